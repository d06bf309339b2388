// A run's checkpoints: numbered directories written whole under a temporary name, each with
// a manifest of its files' sizes and checksums written last, then renamed into place, so a
// crash or kill -9 mid-write leaves only a partial directory that is ignored, and the
// previous checkpoint is never touched until a newer one is complete. Loading verifies the
// manifest first, so a truncated or corrupted file is a clear error, not garbage weights.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors of reading a run's checkpoints.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case none(directory: String)
    case corrupt(checkpoint: String, reason: String, previous: String?)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .none(let directory):
            return "no complete checkpoint in \(directory)"
        case .corrupt(let checkpoint, let reason, let previous):
            let hint = previous.map { "; the previous checkpoint \($0) is intact: move the corrupt one aside to resume from it" } ?? ""
            return "checkpoint \(checkpoint) is corrupt: \(reason)\(hint)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// The checkpoints of one run directory.
public struct CheckpointStore {
    /// The `checkpoints` folder.
    public let directory: URL
    /// How many complete checkpoints to keep (older ones are deleted after a new one lands).
    public var keep: Int

    public init(runDirectory: URL, keep: Int = 2) {
        directory = runDirectory.appendingPathComponent("checkpoints")
        self.keep = keep
    }

    static let manifestName = "manifest.json"

    struct Manifest: Codable {
        var step: Int
        var files: [String: FileEntry]
    }

    struct FileEntry: Codable {
        var bytes: Int
        var checksum: String
    }

    /// Complete checkpoints, oldest first, with their step numbers.
    public func complete() -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("step-"), let step = Int(name.dropFirst(5)) else { return nil }
            return (step, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// Writes a checkpoint for `step`: `body` fills a fresh temporary directory, then the
    /// manifest is written, everything synced, and the directory renamed into place.
    /// `pauseForTesting` (seconds) sleeps after `body`, before the manifest and the rename:
    /// the kill -9 test uses it to kill the process mid-checkpoint deterministically.
    @discardableResult
    public func write(step: Int, pauseForTesting: Double = 0, _ body: (URL) throws -> Void) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let final = directory.appendingPathComponent(String(format: "step-%09d", step))
        let partial = directory.appendingPathComponent(".partial-\(getpid())-\(step)")
        try? fm.removeItem(at: partial)
        try fm.createDirectory(at: partial, withIntermediateDirectories: true)
        do {
            try body(partial)
            if pauseForTesting > 0 {
                FileHandle.standardError.write(Data("checkpoint-pause: \(partial.path)\n".utf8))
                Thread.sleep(forTimeInterval: pauseForTesting)
            }
            var manifest = Manifest(step: step, files: [:])
            for name in try fm.contentsOfDirectory(atPath: partial.path).sorted() {
                let url = partial.appendingPathComponent(name)
                let (bytes, sum) = try Self.checksum(of: url)
                manifest.files[name] = FileEntry(bytes: bytes, checksum: sum)
                try Self.sync(url)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let manifestURL = partial.appendingPathComponent(Self.manifestName)
            try encoder.encode(manifest).write(to: manifestURL)
            try Self.sync(manifestURL)
            try Self.sync(partial)
            if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
            guard rename(partial.path, final.path) == 0 else {
                throw CheckpointError.io(path: final.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
            try Self.sync(directory)
        } catch {
            try? fm.removeItem(at: partial)
            throw error
        }
        for old in complete().dropLast(keep) { try? fm.removeItem(at: old.url) }
        return final
    }

    /// Deletes partial directories left by killed writers.
    public func removePartials() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".partial-") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// The newest complete checkpoint, verified against its manifest (every file, or the
    /// files named in `only`); a corrupt one is an error naming it and the previous (intact)
    /// checkpoint, and nothing is deleted.
    public func latestVerified(only: Set<String>? = nil) throws -> (step: Int, url: URL) {
        let all = complete()
        guard let latest = all.last else { throw CheckpointError.none(directory: directory.path) }
        let previous = all.dropLast().last?.url.path
        try Self.verify(latest.url, previous: previous, only: only)
        return latest
    }

    /// Checks the files of `checkpoint` (all, or those in `only`) against its manifest.
    public static func verify(_ checkpoint: URL, previous: String? = nil, only: Set<String>? = nil) throws {
        let name = checkpoint.path
        let manifestURL = checkpoint.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw CheckpointError.corrupt(checkpoint: name, reason: "manifest.json is missing", previous: previous)
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            throw CheckpointError.corrupt(checkpoint: name, reason: "manifest.json is unreadable", previous: previous)
        }
        for (file, entry) in manifest.files.sorted(by: { $0.key < $1.key }) where only?.contains(file) ?? true {
            let url = checkpoint.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CheckpointError.corrupt(checkpoint: name, reason: "\(file) is missing", previous: previous)
            }
            let (bytes, sum) = try checksum(of: url)
            if bytes != entry.bytes {
                throw CheckpointError.corrupt(checkpoint: name, reason: "\(file) holds \(bytes) bytes, the manifest says \(entry.bytes) (truncated?)", previous: previous)
            }
            if sum != entry.checksum {
                throw CheckpointError.corrupt(checkpoint: name, reason: "\(file) does not match its checksum", previous: previous)
            }
        }
    }

    /// Size and FNV-1a-64 checksum of a file, read in chunks (replay files can be gigabytes).
    static func checksum(of url: URL) throws -> (Int, String) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw CheckpointError.io(path: url.path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hash: UInt64 = 0xcbf29ce484222325
        var total = 0
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            total += chunk.count
            chunk.withUnsafeBytes { raw in hash = fnv1a(raw, hash) }
        }
        return (total, String(hash, radix: 16))
    }

    /// fsync on a file or directory, so the rename lands only after the data.
    static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CheckpointError.io(path: url.path, reason: "cannot open for fsync") }
        defer { close(fd) }
        _ = fsync(fd)
    }
}

/// FNV-1a over bytes, continuing from `hash`, eight bytes per round for speed.
private func fnv1a(_ raw: UnsafeRawBufferPointer, _ start: UInt64) -> UInt64 {
    var h = start
    let words = raw.count / 8
    for i in 0..<words {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x100000001b3
    }
    for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* 0x100000001b3 }
    return h
}
