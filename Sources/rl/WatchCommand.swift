// `rl watch DIR [--episode N]`: plays recorded episodes in an SDL2 window (the Viewer module).
// Without a display it says so in one line and points at `rl export`. `--live` (the run's
// latest policy acting live) needs the agents and the environment registry and is refused
// with a clear message until they are wired in.
import ArgumentParser
import Foundation
import Replay
import Viewer

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Play recorded episodes in a window.",
        discussion: "Keys: " + ViewerKey.help)

    @Argument(help: "The run directory.")
    var directory: String

    @Option(help: "The episode to start with (default: the first; n/p move between episodes).")
    var episode: Int64?

    @Option(help: "Integer scale-up of the frame (default: fit about 512 pixels).")
    var scale: Int?

    @Option(help: "Playback speed in frames per second.")
    var fps: Int = 15

    @Flag(help: "Start paused.")
    var paused = false

    @Option(help: "Where s saves screenshots (default: the current directory).")
    var screenshots: String?

    @Flag(help: "Run the run's latest policy live in its environment instead of replaying.")
    var live = false

    func validate() throws {
        if let scale, scale < 1 || scale > 16 { throw ValidationError("--scale must be between 1 and 16, got \(scale)") }
        if fps < 1 { throw ValidationError("--fps must be at least 1, got \(fps)") }
    }

    func run() throws {
        let store = try TrajectoryStore(runDirectory: URL(fileURLWithPath: directory))
        if live {
            throw CommandFailure("rl watch --live needs the agents and the environment registry, which this build does not wire in yet; watch recorded episodes with `rl watch \(directory)`")
        }
        let ids = try store.episodeIDs()
        do {
            let viewer = try EpisodeViewer(
                store: store, episodeIDs: ids, startEpisode: episode, scale: scale, framesPerSecond: fps,
                startPaused: paused,
                screenshotDirectory: URL(fileURLWithPath: screenshots ?? FileManager.default.currentDirectoryPath))
            try viewer.run()
        } catch let error as ViewerError {
            throw CommandFailure(error.description)
        }
    }
}
