// The deferred hard target update (DQNAgent.defersTargetCopies) must not change what the agent
// computes: two agents with the same seed, fed the same observations and rewards, one copying
// the online weights into the target at every hard update as the algorithm is written and one
// deferring the copy, choose the same actions and end with bit-identical online and target
// weights. Cases: Atari 100k's shape (a sync after every update, where the target forward pass
// is skipped), a sync every 4 steps with updates between syncs (the copy is made just before
// the optimiser moves away from a target still needed), and an image input with DrQ's
// augmentation.
import AgentKit
import DQN
import Foundation
import RL
import Tensor
import Testing

struct DeferredTargetCase: CustomTestStringConvertible, Sendable {
    var targetPeriod: Int
    var trainFrequency: Int
    var image: Bool
    var testDescription: String { "period \(targetPeriod), train every \(trainFrequency)\(image ? ", image + drq" : "")" }
}

@Test(arguments: [
    DeferredTargetCase(targetPeriod: 1, trainFrequency: 1, image: false),
    DeferredTargetCase(targetPeriod: 4, trainFrequency: 1, image: false),
    DeferredTargetCase(targetPeriod: 3, trainFrequency: 2, image: false),
    DeferredTargetCase(targetPeriod: 1, trainFrequency: 1, image: true),
])
func deferredTargetCopiesChangeNothing(_ setup: DeferredTargetCase) throws {
    var c = DQNConfiguration()
    c.hidden = 16
    c.batchSize = 8
    c.replayCapacity = 500
    c.optimizer = .adam
    c.learningRate = 0.01
    c.doubleDQN = true
    c.dueling = true
    c.nStep = 3
    c.learningStarts = 20
    c.trainFrequency = setup.trainFrequency
    c.targetUpdatePeriod = setup.targetPeriod
    c.epsilonStart = 1
    c.epsilonEnd = 0.2
    c.epsilonDecaySteps = 100
    let space: Space
    if setup.image {
        c.frameStack = 2
        c.augmentation = .drq
        c.encoder = .small
        // One image per minibatch: convolutions split their batch across the engine's threads,
        // and tests running beside this one change that process-wide count, which changes the
        // summation order of the weight gradients; a batch of one is never split.
        c.batchSize = 1
        space = .box(shape: [32, 32, 3], element: .uint8, low: 0, high: 255)
    } else {
        space = .box(shape: [6], element: .float32, low: -10, high: 10)
    }
    let copying = try DQNAgent(configuration: c, observationSpace: space, actionSpace: .discrete(3), seed: 5)
    copying.defersTargetCopies = false
    let deferring = try DQNAgent(configuration: c, observationSpace: space, actionSpace: .discrete(3), seed: 5)
    #expect(deferring.defersTargetCopies)

    var generator = SeededGenerator(seed: 11)
    let observation = UnsafeMutableRawBufferPointer.allocate(byteCount: space.byteCount, alignment: 64)
    defer { observation.deallocate() }
    func draw() {
        if setup.image {
            for i in 0..<observation.count { observation[i] = UInt8(truncatingIfNeeded: generator.next()) }
        } else {
            let floats = observation.bindMemory(to: Float.self)
            for i in 0..<floats.count { floats[i] = Float(generator.unitDouble() * 4 - 2) }
        }
    }
    var decisions = 0
    for _ in 0..<6 {
        draw()
        var a = copying.beginEpisode(observation: UnsafeRawBufferPointer(observation))
        var b = deferring.beginEpisode(observation: UnsafeRawBufferPointer(observation))
        #expect(a == b)
        for _ in 0..<40 {
            draw()
            let reward = Float(generator.uniform(below: 3)) - 1
            a = copying.step(reward: reward, observation: UnsafeRawBufferPointer(observation))
            b = deferring.step(reward: reward, observation: UnsafeRawBufferPointer(observation))
            #expect(a == b)
            decisions += 1
        }
        draw()
        copying.endEpisode(reward: 1, terminated: true, observation: UnsafeRawBufferPointer(observation))
        deferring.endEpisode(reward: 1, terminated: true, observation: UnsafeRawBufferPointer(observation))
    }
    #expect(decisions == 240)
    #expect(deferring.updateCount == copying.updateCount)
    #expect(deferring.updateCount > 100)

    func values(_ network: Sequential) -> [[Float]] {
        network.parameters.map { Array(UnsafeBufferPointer(start: $0.value.data, count: $0.value.count)) }
    }
    let onlineWeights = values(copying.online)
    #expect(values(deferring.online) == onlineWeights)
    #expect(values(deferring.target) == values(copying.target))
    // The weights moved, and the target is not simply the initial network.
    let fresh = try DQNAgent(configuration: c, observationSpace: space, actionSpace: .discrete(3), seed: 5)
    #expect(values(fresh.online) != onlineWeights)
    #expect(values(deferring.target) != values(fresh.target))
}
