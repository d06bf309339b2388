// Plays fixture episodes with the scripted agent and keeps, beside the recorder, an independent
// copy of every step as plain arrays: what the store's tests compare the read-back against.
import Foundation
import Replay
import ReplayFixtures
import RL

/// One episode as the test saw it, in RLDS steps.
struct ExpectedEpisode {
    var seed: UInt64
    var observations: [[UInt8]] = []
    var renders: [[UInt8]] = []
    var actions: [Int32] = []
    var rewards: [Float] = []
    var flags: [StepFlags] = []
    var qValues: [[Float]] = []
    var values: [Float] = []
    var episodeReturn: Double { rewards.reduce(0) { $0 + Double($1) } }
}

enum FixtureEpisodes {
    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rl-store-tests-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Plays episode `seed` of `environment` with the scripted agent, feeding `recorder` (if
    /// any) as a training loop would, and returns what was played.
    static func play(_ environment: MovingSquareFixture, seed: UInt64, recorder: EpisodeRecorder?,
                     kind: EpisodeKind = .evaluation, withOutputs: Bool = true) throws -> (ExpectedEpisode, Int64?) {
        var expected = ExpectedEpisode(seed: seed)
        var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
        var render = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
        observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
        func capture(_ flags: StepFlags) {
            expected.observations.append(observation)
            render.withUnsafeMutableBytes { environment.render(into: $0) }
            expected.renders.append(render)
            expected.flags.append(flags)
            expected.actions.append(0)
            expected.rewards.append(0)
            expected.qValues.append([Float](repeating: .nan, count: withOutputs ? 5 : 0))
            expected.values.append(.nan)
        }
        capture(.first)
        observation.withUnsafeBytes { _ = recorder?.beginEpisode(kind, seed: seed, observation: $0) }
        var step = 0
        while true {
            let action = ScriptedFixtureAgent.action(step: step, seed: seed)
            let q = ScriptedFixtureAgent.qValues(step: step, seed: seed)
            let value = ScriptedFixtureAgent.value(step: step, seed: seed)
            let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
            expected.actions[step] = Int32(action)
            expected.rewards[step] = result.reward
            if withOutputs {
                expected.qValues[step] = q
                expected.values[step] = value
            }
            var flags: StepFlags = result.done ? .last : []
            if result.terminated { flags.insert(.terminal) }
            if result.truncated { flags.insert(.truncated) }
            capture(flags)
            let id = try q.withUnsafeBufferPointer { q in
                try observation.withUnsafeBytes {
                    try recorder?.recordStep(action: action, outputs: withOutputs ? q : nil,
                                             value: withOutputs ? value : nil, result: result, observation: $0)
                }
            }
            step += 1
            if result.done { return (expected, id) }
        }
    }

    /// Whether `reader` holds exactly `expected`, step by step; returns the first difference.
    static func difference(_ reader: EpisodeReader, _ expected: ExpectedEpisode) throws -> String? {
        guard reader.stepCount == expected.observations.count else {
            return "step count \(reader.stepCount) vs \(expected.observations.count)"
        }
        for t in 0..<reader.stepCount {
            let observation = try reader.withObservation(at: t) { [UInt8]($0) }
            if observation != expected.observations[t] { return "observation of step \(t)" }
            if reader.hasRender {
                let render = try reader.withRender(at: t) { [UInt8]($0) }
                if render != expected.renders[t] { return "render of step \(t)" }
            }
            if reader.actions[t] != expected.actions[t] { return "action of step \(t): \(reader.actions[t]) vs \(expected.actions[t])" }
            if reader.rewards[t] != expected.rewards[t] { return "reward of step \(t)" }
            if reader.flags[t] != expected.flags[t] { return "flags of step \(t): \(reader.flags[t]) vs \(expected.flags[t])" }
            let outputs = Array(reader.outputs(at: t))
            if outputs.count != expected.qValues[t].count
                || zip(outputs, expected.qValues[t]).contains(where: { !($0 == $1 || ($0.isNaN && $1.isNaN)) }) {
                return "outputs of step \(t): \(outputs) vs \(expected.qValues[t])"
            }
            let value = reader.values[t]
            if !(value == expected.values[t] || (value.isNaN && expected.values[t].isNaN)) { return "value of step \(t)" }
        }
        return nil
    }
}
