// `weight_init=xavier` (Dopamine's networks: Xavier-uniform kernels, zero biases) re-draws the
// Q-network the agent builds, and the target starts as its copy; `torch` (the configuration's
// default) leaves PyTorch's initialisation as the layers drew it. The atari100k preset asks for
// Xavier, and a run directory written before the setting existed still builds PyTorch's.
import AgentKit
import DQN
import RL
import Tensor
import Testing

@Test func xavierWeightInitRedrawsTheQNetwork() throws {
    var c = DQNConfiguration.preset("atari100k")!
    c.replayCapacity = 1_000
    c.weightInit = .torch
    let space = Space.box(shape: [84, 84], element: .uint8, low: 0, high: 255)
    let torchAgent = try DQNAgent(configuration: c, observationSpace: space, actionSpace: .discrete(6), seed: 3)
    c.weightInit = .xavier
    let agent = try DQNAgent(configuration: c, observationSpace: space, actionSpace: .discrete(6), seed: 3)
    let named = agent.online.namedParameters
    #expect(named.count == 12, "\(named.map(\.name))")  // 3 convolutions, the linear layer, value, advantage
    var weights = 0
    for p in named {
        let values = p.parameter.value.toArray()
        if p.name.hasSuffix("bias") {
            #expect(values.allSatisfy { $0 == 0 }, "\(p.name) is not zero")
        } else {
            weights += 1
            let bound = Initializer.xavierBound(shape: p.parameter.shape)
            #expect(values.allSatisfy { abs($0) <= bound }, "\(p.name) exceeds \(bound)")
            // Near its bound, which lies above PyTorch's 1/sqrt(fan_in) for every layer after the
            // first (and below it for the first), so PyTorch's draws fail one of the two checks.
            #expect(values.map(abs).max()! > 0.9 * bound, "\(p.name) does not reach its bound")
        }
    }
    #expect(weights == 6)
    let torchFirst = torchAgent.online.namedParameters.first { $0.name.hasSuffix("bias") }!
    #expect(torchFirst.parameter.value.toArray().contains { $0 != 0 }, "weight_init=torch draws biases (PyTorch's)")
    // The target network starts as the online network's copy.
    let x = FloatTensor(shape: [2, 4, 84, 84], values: (0..<(2 * 4 * 84 * 84)).map { Float($0 % 251) / 255 })
    #expect(agent.target.forward(x).toArray() == agent.online.forward(x).toArray())
}

@Test func weightInitSettingNamesItsValues() throws {
    var c = DQNConfiguration()
    try DQNConfiguration.table.apply(["weight_init": "xavier"], to: &c)
    #expect(c.weightInit == .xavier)
    #expect(throws: SettingsError.self) { try DQNConfiguration.table.apply(["weight_init": "glorot"], to: &c) }
    #expect(DQNConfiguration.table.first { $0.name == "weight_init" }?.accepted == "torch|xavier")
}

@Test func atari100kPresetDrawsDopaminesInitialisation() throws {
    let descriptor = DQNAgent.descriptor
    let resolved = try descriptor.resolve("atari100k", [:])
    #expect(resolved["weight_init"] == "xavier")
    #expect(try descriptor.resolve("atari100k", ["weight_init": "torch"])["weight_init"] == "torch")
    #expect(try descriptor.resolve("nature", [:])["weight_init"] == "torch")

    // config.json of a run made before the setting existed: the same settings without the key.
    var older = resolved
    older.removeValue(forKey: "weight_init")
    older["replay_capacity"] = "1000"
    let space = Space.box(shape: [84, 84], element: .uint8, low: 0, high: 255)
    func firstBias(_ settings: [String: String]) throws -> [Float] {
        let agent = try descriptor.make(settings, space, .discrete(6), 3) as! DQNAgent
        return agent.online.namedParameters.first { $0.name.hasSuffix("bias") }!.parameter.value.toArray()
    }
    #expect(try firstBias(older).contains { $0 != 0 }, "an older run directory resumes with PyTorch's initialisation")
    older["weight_init"] = "xavier"
    #expect(try firstBias(older).allSatisfy { $0 == 0 }, "the preset's own settings draw zero biases")
}
