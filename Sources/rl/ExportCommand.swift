// `rl export DIR --episode N --format npz|png|mp4`: writes one recorded episode for other tools
// (numpy, image viewers, video players). Reads the store only; outputs appear whole or not at all.
import ArgumentParser
import Foundation
import Replay

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a recorded episode as npz (numpy), PNG frames or mp4 (through ffmpeg).",
        discussion: "Example: rl export runs/pong --episode 3 --format npz --out pong-3.npz")

    @Argument(help: "The run directory.")
    var directory: String

    @Option(help: "The episode's id (see `rl episodes DIR`).")
    var episode: Int64

    @Option(help: "npz, png or mp4.")
    var format: String

    @Option(help: "Output file (npz, mp4) or directory (png). Default: episode-N.npz, episode-N-frames/, episode-N.mp4.")
    var out: String?

    @Option(help: "Frames per second of the mp4.")
    var fps: Int = 30

    @Option(help: "Integer scale-up of the mp4's frames.")
    var scale: Int = 4

    func validate() throws {
        do { _ = try ExportFormat(parsing: format) } catch { throw ValidationError(String(describing: error)) }
        if fps < 1 { throw ValidationError("--fps must be at least 1, got \(fps)") }
        if scale < 1 || scale > 16 { throw ValidationError("--scale must be between 1 and 16, got \(scale)") }
    }

    func run() throws {
        let format = try ExportFormat(parsing: format)
        let store = try TrajectoryStore(runDirectory: URL(fileURLWithPath: directory))
        let reader = try EpisodeReader(store: store, episode: episode)
        switch format {
        case .npz:
            let url = URL(fileURLWithPath: out ?? "episode-\(episode).npz")
            try EpisodeExporter.writeNPZ(reader, to: url)
            print("wrote \(url.path) (\(reader.stepCount) steps)")
        case .png:
            let url = URL(fileURLWithPath: out ?? "episode-\(episode)-frames")
            let files = try EpisodeExporter.writePNGs(reader, to: url)
            print("wrote \(files.count) PNG frames to \(url.path)")
        case .mp4:
            let url = URL(fileURLWithPath: out ?? "episode-\(episode).mp4")
            try EpisodeExporter.writeMP4(reader, to: url, framesPerSecond: fps, scale: scale)
            print("wrote \(url.path) (\(reader.stepCount) frames at \(fps) fps)")
        }
    }
}
