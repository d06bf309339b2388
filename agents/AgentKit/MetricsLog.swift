// metrics.csv: one row per finished episode (step, episode, return, length, success, loss,
// mean Q, epsilon, steps/s). Appended and flushed row by row, and truncated back to a
// checkpoint's length on resume, so a resumed run's file matches an uninterrupted run's
// (steps_per_sec aside, which is wall time).
import Foundation

/// One row of metrics.csv.
public struct MetricsRow: Sendable, Equatable {
    public var step: Int
    public var episode: Int
    public var episodeReturn: Double
    public var episodeLength: Int
    public var success: Bool?
    public var loss: Double?
    public var meanQ: Double?
    public var epsilon: Double
    public var stepsPerSecond: Double

    public init(step: Int, episode: Int, episodeReturn: Double, episodeLength: Int, success: Bool?,
                loss: Double?, meanQ: Double?, epsilon: Double, stepsPerSecond: Double) {
        self.step = step
        self.episode = episode
        self.episodeReturn = episodeReturn
        self.episodeLength = episodeLength
        self.success = success
        self.loss = loss
        self.meanQ = meanQ
        self.epsilon = epsilon
        self.stepsPerSecond = stepsPerSecond
    }
}

/// Appends rows to metrics.csv.
public final class MetricsLog {
    public static let header = "step,episode,episode_return,episode_length,success,loss,mean_q,epsilon,steps_per_sec\n"
    private let handle: FileHandle
    /// Bytes in the file so far (checkpoints record it).
    public private(set) var byteCount: UInt64

    /// Opens (or creates) `url`; with `truncatingTo`, cuts the file back to that many bytes
    /// first (the rows written after the checkpoint being resumed).
    public init(url: URL, truncatingTo length: UInt64? = nil) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            guard fm.createFile(atPath: url.path, contents: Data(Self.header.utf8)) else {
                throw RunDirectoryError.io(path: url.path, reason: "cannot create metrics.csv")
            }
        }
        do {
            handle = try FileHandle(forUpdating: url)
            if let length { try handle.truncate(atOffset: length) }
            byteCount = try handle.seekToEnd()
        } catch {
            throw RunDirectoryError.io(path: url.path, reason: "\(error)")
        }
    }

    deinit { try? handle.close() }

    public func append(_ row: MetricsRow) throws {
        func format(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
        let success = row.success.map { $0 ? "1" : "0" } ?? ""
        let line = "\(row.step),\(row.episode),\(format(row.episodeReturn)),\(row.episodeLength),\(success),"
            + "\(format(row.loss)),\(format(row.meanQ)),\(format(row.epsilon)),\(String(format: "%.1f", row.stepsPerSecond))\n"
        let data = Data(line.utf8)
        try handle.write(contentsOf: data)
        byteCount += UInt64(data.count)
    }
}
