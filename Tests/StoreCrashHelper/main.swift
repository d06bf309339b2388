// The process the trajectory store's crash test kills with SIGKILL. It records fixture
// episodes into a store and reports on standard output what it has committed:
//   store-crash-helper DIR complete N   records N episodes, then begins another and reports
//                                        "mid-episode" while it keeps stepping it forever;
//   store-crash-helper DIR continuous    records episodes back to back, forever, reporting each.
// A test process, not part of the framework.
import Foundation
import Replay
import RL
import ReplayFixtures

/// One line on standard output, unbuffered: the test acts on it at once.
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: store-crash-helper DIR complete N | DIR continuous\n".utf8))
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
let mode = arguments[2]
let completeCount = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3

do {
    let store = try TrajectoryStore.create(runDirectory: directory)
    // In "complete" mode no time limit: the scripted agent reaches the goal, and the last
    // episode, all no-ops, never ends.
    let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: mode == "continuous" ? 60 : 1_000_000)
    // Small chunks, so that episodes span several of them.
    let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                       agent: "scripted", policy: .all, outputKind: .qValues, outputWidth: 5,
                                       chunkBytes: 16 << 10)
    var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
    var episode = 0
    while true {
        let seed = UInt64(episode + 1)
        let endless = mode == "complete" && episode == completeCount
        observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
        observation.withUnsafeBytes { _ = recorder.beginEpisode(.evaluation, seed: seed, observation: $0) }
        var step = 0
        while true {
            let action = endless ? 0 : ScriptedFixtureAgent.action(step: step, seed: seed)
            let q = ScriptedFixtureAgent.qValues(step: step, seed: seed)
            let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
            if endless && step == 50 { report("mid-episode") }
            let id = try q.withUnsafeBufferPointer { q in
                try observation.withUnsafeBytes {
                    try recorder.recordStep(action: action, outputs: q, value: ScriptedFixtureAgent.value(step: step, seed: seed),
                                            result: result, observation: $0)
                }
            }
            step += 1
            if let id {
                report("episode \(id) seed \(seed)")
                break
            }
            if endless && step > 50 { usleep(1000) }
        }
        episode += 1
    }
} catch {
    FileHandle.standardError.write(Data("store-crash-helper: \(error)\n".utf8))
    exit(1)
}
