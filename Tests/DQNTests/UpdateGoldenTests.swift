// One DQN gradient step against PyTorch: the same initial weights, minibatch and settings
// give the same loss, TD errors and updated weights. Goldens come from
// scripts/dqn_update_golden.py (PyTorch), for a plain DQN step (max target, squared error) and
// a full one (Double DQN, dueling head, Huber with importance weights, gradient clipping).
import AgentKit
import DQN
import Foundation
import Replay
import RL
import Tensor
import Testing

let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

@Test(arguments: ["plain", "full"])
func oneUpdateMatchesPyTorch(_ name: String) throws {
    let file = try SafeTensors.read(goldens.appendingPathComponent("dqn_update_\(name).safetensors"))
    var c = DQNConfiguration()
    c.hidden = 8
    c.batchSize = 5
    c.replayCapacity = 100
    c.optimizer = .adam
    c.learningRate = 0.01
    c.adamEpsilon = 1e-8
    c.dueling = file.metadata["dueling"] == "true"
    c.doubleDQN = file.metadata["double"] == "true"
    c.loss = DQNLossKind(rawValue: file.metadata["loss"] ?? "")!
    c.maxGradNorm = Double(file.metadata["max_grad_norm"] ?? "") ?? -1
    let agent = try DQNAgent(configuration: c, observationSpace: .box(shape: [6], element: .float32, low: -100, high: 100),
                             actionSpace: .discrete(3), seed: 0)
    for p in agent.online.namedParameters { try file.copy("online.\(p.name)", into: p.parameter.value) }
    for p in agent.target.namedParameters { try file.copy("target.\(p.name)", into: p.parameter.value) }

    let batch = ReplayBatch(batchSize: 5, stateByteCount: 6 * 4)
    let observations = try file.tensor("batch.observations"), next = try file.tensor("batch.next_observations")
    UnsafeMutableRawPointer(batch.observations.baseAddress!).copyMemory(from: observations.data, byteCount: 5 * 6 * 4)
    UnsafeMutableRawPointer(batch.nextObservations.baseAddress!).copyMemory(from: next.data, byteCount: 5 * 6 * 4)
    let actions = try file.tensor("batch.actions"), returns = try file.tensor("batch.returns")
    let discounts = try file.tensor("batch.discounts"), weights = try file.tensor("batch.weights")
    for b in 0..<5 {
        batch.actions[b] = Int32(actions[b])
        batch.returns[b] = returns[b]
        batch.discounts[b] = discounts[b]
        batch.weights[b] = weights[b]
    }

    let (loss, _) = agent.update(on: batch)
    #expect(abs(loss - Double(try file.tensor("expected_loss")[0])) < 1e-5)
    let errors = try file.tensor("expected_td_errors")
    for b in 0..<5 { #expect(abs(agent.lastTDErrors[b] - errors[b]) < 1e-5) }
    var compared = 0
    for p in agent.online.namedParameters {
        let expected = try file.tensor("expected.\(p.name)")
        let initial = try file.tensor("online.\(p.name)")
        var moved = false
        for i in 0..<expected.count {
            #expect(abs(p.parameter.value[i] - expected[i]) < 2e-5, "\(p.name)[\(i)]")
            if initial[i] != expected[i] { moved = true }
        }
        #expect(moved, "\(p.name) did not change in PyTorch's step either: the golden checks nothing there")
        compared += 1
    }
    #expect(compared == (c.dueling ? 8 : 6))
}
