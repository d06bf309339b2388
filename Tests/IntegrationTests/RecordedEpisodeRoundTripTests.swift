// Round trips through the trajectory store with the framework's own environments: an episode
// of a maze and of an Atari game, played with seeded random actions and recorded as the
// environment produced it, reads back equal step by step (observation, render frame, action,
// reward, RLDS flags). The store's own tests use fixtures and reference frames; these show
// the pieces fit together as `rl train`, `rl eval` and `rl play` use them.
import ALE
import Foundation
import GridMaze
import RL
import Replay
import TestSupport
import Testing

private func registry() -> EnvironmentRegistry {
    var registry = EnvironmentRegistry()
    GridMazeFamily.register(into: &registry)
    AtariFamily.register(into: &registry)
    return registry
}

private struct PlayedStep {
    var observation: [UInt8]
    var render: [UInt8]
    var action: Int
    var reward: Float
}

/// Plays one episode of `environment` with seeded random actions, recording it into a fresh
/// store, and returns the store's directory, the episode id and what was played.
private func recordOneEpisode(_ environment: any RenderingEnvironment, id: String, seed: UInt64,
                              maxSteps: Int) throws -> (URL, Int64, [PlayedStep]) {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("round-trip-\(getpid())-\(id.replacingOccurrences(of: "/", with: "-"))")
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try TrajectoryStore.create(runDirectory: directory)
    let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: id, agent: "random",
                                       policy: .all)
    var generator = SeededGenerator(seed: seed)
    let actions = environment.actionSpace.discreteCount!
    var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
    var render = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
    observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
    render.withUnsafeMutableBytes { environment.render(into: $0) }
    observation.withUnsafeBytes { _ = recorder.beginEpisode(.training, seed: seed, observation: $0) }
    var played: [PlayedStep] = []
    var episodeID: Int64?
    for _ in 0..<maxSteps {
        let action = generator.uniform(below: actions)
        played.append(PlayedStep(observation: observation, render: render, action: action, reward: 0))
        let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
        played[played.count - 1].reward = result.reward
        render.withUnsafeMutableBytes { environment.render(into: $0) }
        episodeID = try observation.withUnsafeBytes {
            try recorder.recordStep(action: action, result: result, observation: $0)
        }
        if result.done { break }
    }
    played.append(PlayedStep(observation: observation, render: render, action: 0, reward: 0))
    return (directory, try #require(episodeID, "\(id): the episode did not end within \(maxSteps) steps"), played)
}

private func expectReadBackEqual(_ directory: URL, _ episodeID: Int64, _ played: [PlayedStep], _ id: String) throws {
    let reader = try EpisodeReader(store: try TrajectoryStore(runDirectory: directory), episode: episodeID)
    #expect(reader.record.environmentID == id)
    #expect(reader.stepCount == played.count)
    #expect(reader.flags.first?.contains(.first) == true && reader.flags.last?.contains(.last) == true)
    var mismatches = 0
    for (step, expected) in played.enumerated() {
        let observation = try reader.withObservation(at: step) { Array($0) }
        let render = try reader.withRender(at: step) { Array($0) }
        if observation != expected.observation || render != expected.render { mismatches += 1 }
        if step < played.count - 1 {
            #expect(Int(reader.actions[step]) == expected.action && reader.rewards[step] == expected.reward,
                    "\(id) step \(step)")
        }
    }
    #expect(mismatches == 0, "\(id): \(mismatches) of \(played.count) steps read back different frames")
}

@Test func mazeEpisodeRoundTripsThroughTheStore() throws {
    let id = "maze/four-rooms"
    let environment = try #require(try registry().make(id, options: ["obs": "rgb"]) as? any RenderingEnvironment)
    let (directory, episode, played) = try recordOneEpisode(environment, id: id, seed: 3, maxSteps: 10_000)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(played.count > 10)
    try expectReadBackEqual(directory, episode, played, id)
}

@Test func atariEpisodeRoundTripsThroughTheStore() throws {
    let id = "atari/pong"
    let made: any Environment
    do {
        made = try registry().make(id, options: ["obs": "rgb", "max-frames": "1200"])
    } catch {
        // No ROM here (a clone without ale-py): skipped, except under `make test`.
        #expect(!TestEnvironment.oraclesRequired, "atari/pong could not be made: \(error)")
        TestEnvironment.note("atari/pong is unavailable (\(error)): skipping its store round trip")
        return
    }
    let environment = try #require(made as? any RenderingEnvironment)
    let (directory, episode, played) = try recordOneEpisode(environment, id: id, seed: 5, maxSteps: 1_000)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(played.count == 301, "1200 frames at frame skip 4 end the episode after 300 steps")
    // The frames moved: a recording of one repeated frame would prove little.
    #expect(Set(played.map(\.observation)).count > 100)
    try expectReadBackEqual(directory, episode, played, id)
}
