// A preprocessed Atari environment (the presets' fused environment, or the chain of wrappers
// around the game) is recorded with the game's raw 210x160 screen beside the 84x84 stack the
// agent saw, and with the game's action names: the store finds them through any wrappers.
import ALE
import Foundation
import RL
import Replay
import TestSupport
import Testing

@Test(arguments: ["fused", "wrappers"])
func preprocessedAtariRecordingKeepsTheRawScreen(preprocessing: String) throws {
    var registry = EnvironmentRegistry()
    AtariFamily.register(into: &registry)
    let environment: any Environment
    do {
        environment = try registry.make("atari/pong", options: ["preset": "nature", "max-frames": "400",
                                                                 "preprocessing": preprocessing])
    } catch {
        #expect(!TestEnvironment.oraclesRequired, "atari/pong could not be made: \(error)")
        TestEnvironment.note("atari/pong is unavailable (\(error)): skipping the preprocessed recording test")
        return
    }
    let screen = try #require(environment.renderingSource)
    #expect(screen.renderSpace == .image(height: 210, width: 160, channels: 3))
    #expect(environment.actionNamesThroughWrappers.count == 6)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("preprocessed-\(preprocessing)-\(getpid())")
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let recorder = try EpisodeRecorder(store: try TrajectoryStore.create(runDirectory: directory), environment: environment,
                                       environmentID: "atari/pong", agent: "random", policy: .all)
    var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
    var render = [UInt8](repeating: 0, count: screen.renderSpace.byteCount)
    var screens: [[UInt8]] = []
    observation.withUnsafeMutableBytes { _ = environment.reset(seed: 2, observation: $0) }
    observation.withUnsafeBytes { _ = recorder.beginEpisode(.training, seed: 2, observation: $0) }
    render.withUnsafeMutableBytes { screen.render(into: $0) }
    screens.append(render)
    var generator = SeededGenerator(seed: 2)
    var episode: Int64?
    for _ in 0..<1_000 where episode == nil {
        let action = generator.uniform(below: 6)
        let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
        render.withUnsafeMutableBytes { screen.render(into: $0) }
        screens.append(render)
        episode = try observation.withUnsafeBytes { try recorder.recordStep(action: action, result: result, observation: $0) }
    }
    let reader = try EpisodeReader(store: try TrajectoryStore(runDirectory: directory), episode: try #require(episode))
    #expect(reader.record.renderSpace == .image(height: 210, width: 160, channels: 3))
    #expect(reader.record.observationSpace == environment.observationSpace)
    #expect(reader.record.actionNames.count == 6)
    #expect(reader.stepCount == screens.count)
    var differing = 0
    for step in 0..<reader.stepCount where try reader.withRender(at: step, { Array($0) }) != screens[step] { differing += 1 }
    #expect(differing == 0, "\(differing) raw screens read back different")
    #expect(Set(screens).count > 10, "the screens moved")
}
