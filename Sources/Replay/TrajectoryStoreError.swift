// The typed errors of the trajectory store. Everything that comes from outside (a directory, a
// file, an episode number) fails with one of these, naming the input and what exists, so the
// command line can print one line and nothing ever crashes on a bad or damaged store.
import Foundation

/// Why the trajectory store could not do what was asked.
public enum TrajectoryStoreError: Error, Equatable, CustomStringConvertible {
    /// The path does not exist or is not a directory.
    case notADirectory(path: String)
    /// The directory exists but holds no store; `contents` lists what it does hold.
    case notARunDirectory(path: String, contents: [String])
    /// The store file is not a trajectory store, or is truncated or damaged.
    case corrupted(path: String, detail: String)
    /// The store was written by a newer format than this build reads.
    case unsupportedFormat(path: String, version: Int)
    /// No episode with this id; `existing` describes the ids the store holds.
    case noSuchEpisode(id: Int64, existing: String)
    /// An argument that the store cannot honour (a bad policy, a mismatched buffer size).
    case invalidArgument(String)
    /// The file could not be read or written (permissions, disk full, locked); a failed write
    /// stores nothing of its episode and leaves earlier ones intact.
    case accessFailed(path: String, detail: String)

    public var description: String {
        switch self {
        case .notADirectory(let path):
            return "\(path) is not a directory"
        case .notARunDirectory(let path, let contents):
            let held = contents.isEmpty ? "it is empty" : "it holds: " + contents.prefix(12).joined(separator: ", ")
                + (contents.count > 12 ? ", ..." : "")
            return "\(path) is not a run directory: it has no \(TrajectoryStore.fileName) (\(held))"
        case .corrupted(let path, let detail):
            return "the trajectory store \(path) is damaged or truncated: \(detail)"
        case .unsupportedFormat(let path, let version):
            return "the trajectory store \(path) has format \(version); this build reads format \(TrajectoryStore.formatVersion)"
        case .noSuchEpisode(let id, let existing):
            return "no episode \(id) in this store: \(existing)"
        case .invalidArgument(let message):
            return message
        case .accessFailed(let path, let detail):
            return "could not access the trajectory store \(path): \(detail)"
        }
    }
}
