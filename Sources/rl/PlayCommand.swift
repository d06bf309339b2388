// `rl play ID`: a person plays an environment from the registry with the keyboard, in a window;
// every finished episode is recorded to a trajectory store as a human demonstration (kind
// `human`), for watching, export and later imitation. Atari steps in real time with the keys
// held; mazes step once per key press.
import ArgumentParser
import Foundation
import Replay
import RL
import Viewer

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play an environment with the keyboard; episodes are recorded as human demonstrations.",
        discussion: "Keys: arrows move (mazes: up forward, left/right turn), space fire, g pickup, d drop, t toggle, enter done, q/Esc quit.")

    @Argument(help: "The environment (see `rl envs`), e.g. maze/doorkey-8.")
    var id: String

    @Option(help: "Run directory to record into (default: runs/play-<id>).")
    var out: String?

    @Option(help: "Seed of the first episode (then seed + 1, ...).")
    var seed: UInt64 = 0

    @Option(help: "Steps per second in real-time play (Atari).")
    var fps: Int = 15

    @Option(name: .customLong("set"), help: "Environment option key=value (repeatable).")
    var options: [String] = []

    @Flag(help: "Play without recording.")
    var noRecord = false

    func run() throws {
        let environment = try EnvironmentRegistry.standard().make(id, optionPairs: options)
        guard let rendering = environment as? any RenderingEnvironment else {
            throw CommandFailure("\(id) does not render an image, so it cannot be played in a window")
        }
        var recorder: EpisodeRecorder?
        if !noRecord {
            let directory = URL(fileURLWithPath: out ?? "runs/play-" + id.replacingOccurrences(of: "/", with: "-"))
            let store = try TrajectoryStore.create(runDirectory: directory)
            recorder = try EpisodeRecorder(store: store, environment: rendering, environmentID: id, agent: "human", policy: .all)
        }
        do {
            let session = try PlaySession(environment: rendering, environmentID: id,
                                          driver: .keyboard(realTime: id.hasPrefix("atari/")), recorder: recorder,
                                          seed: seed, framesPerSecond: fps)
            try session.run()
            if let recorder {
                print("recorded \(session.recordedEpisodes.count) episode(s) to \(recorder.store.runDirectory.path)")
            }
        } catch let error as ViewerError {
            throw CommandFailure(error.description)
        }
    }
}
