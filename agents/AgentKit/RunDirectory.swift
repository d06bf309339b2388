// A run directory (DESIGN.md): config.json, metrics.csv, checkpoints/, eval.json. Creating
// one refuses an existing non-empty folder, so a typo never overwrites another run; opening
// one for resume or evaluation refuses a folder without a readable config.json.
import Foundation

/// Errors of creating or opening a run directory.
public enum RunDirectoryError: Error, CustomStringConvertible, Equatable {
    case exists(path: String, resumable: Bool)
    case notARun(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .exists(let path, let resumable):
            return resumable
                ? "run directory \(path) already holds a run; continue it with `rl train --resume \(path)` or choose another --out"
                : "\(path) exists and is not a run directory; refusing to overwrite it (choose another --out)"
        case .notARun(let path, let reason):
            return "\(path) is not a run directory: \(reason)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// The files of one run.
public struct RunDirectory: Sendable {
    public let url: URL
    public let configuration: RunConfiguration

    public var configURL: URL { url.appendingPathComponent("config.json") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }
    public var evaluationURL: URL { url.appendingPathComponent("eval.json") }
    public var checkpoints: CheckpointStore { CheckpointStore(runDirectory: url) }

    /// Creates `url` (which must not exist, or be empty) and writes config.json.
    public static func create(at url: URL, configuration: RunConfiguration) throws -> RunDirectory {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            let contents = isDirectory.boolValue ? ((try? fm.contentsOfDirectory(atPath: url.path)) ?? ["?"]) : ["?"]
            if !contents.isEmpty {
                let resumable = fm.fileExists(atPath: url.appendingPathComponent("config.json").path)
                throw RunDirectoryError.exists(path: url.path, resumable: resumable)
            }
        }
        do {
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(configuration).write(to: url.appendingPathComponent("config.json"), options: .atomic)
        } catch {
            throw RunDirectoryError.io(path: url.path, reason: "\(error)")
        }
        return RunDirectory(url: url, configuration: configuration)
    }

    /// Opens an existing run, reading its config.json.
    public static func open(_ url: URL) throws -> RunDirectory {
        let config = url.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RunDirectoryError.notARun(path: url.path, reason: "it does not exist")
        }
        guard let data = try? Data(contentsOf: config) else {
            throw RunDirectoryError.notARun(path: url.path, reason: "it has no config.json")
        }
        do {
            let configuration = try JSONDecoder().decode(RunConfiguration.self, from: data)
            return RunDirectory(url: url, configuration: configuration)
        } catch {
            throw RunDirectoryError.notARun(path: url.path, reason: "config.json is unreadable (\(error))")
        }
    }

    private init(url: URL, configuration: RunConfiguration) {
        self.url = url
        self.configuration = configuration
    }
}
