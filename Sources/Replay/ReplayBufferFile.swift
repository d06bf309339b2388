// Saving and restoring replay buffers (uniform and prioritised) for checkpoints. The file is a
// magic word, a JSON header with the configuration and counters, the used slots' raw arrays,
// and a trailer with a checksum of everything before it, so that a truncated or corrupted
// file is refused with a clear error instead of restoring garbage. Arrays go through POSIX
// read/write straight from the buffer's memory: a full Atari buffer is ~7 GB and must not be
// copied into a Data first. Files are written to a temporary name, synced and renamed.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a replay file could not be saved or restored.
public enum ReplayBufferError: Error, CustomStringConvertible, Equatable {
    case io(path: String, reason: String)
    case notAReplayFile(path: String)
    case truncated(path: String)
    case corrupt(path: String, reason: String)
    case configurationMismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "replay file \(path): \(reason)"
        case .notAReplayFile(let path): return "\(path) is not a replay-buffer file (bad magic word)"
        case .truncated(let path): return "replay file \(path) is truncated"
        case .corrupt(let path, let reason): return "replay file \(path) is corrupt: \(reason)"
        case .configurationMismatch(let path, let reason):
            return "replay file \(path) was saved with another configuration: \(reason)"
        }
    }
}

/// The counters and settings saved in a replay file's header.
struct ReplayFileHeader: Codable, Equatable {
    var kind: String
    var configuration: ReplayBufferConfiguration
    var writeHead: Int64
    var pendingStamp: Int64
    var transitionsAdded: Int64
    var currentEpisodeStart: Int64
    var lastActionStamp: Int64
    var alpha: Double?
    var epsilon: Double?
    var maxPriority: Double?
}

private let magic: [UInt8] = Array("RLREPLAY".utf8)
private let trailerMagic: [UInt8] = Array("RLRPEND1".utf8)

extension ReplayBuffer {
    /// Saves the buffer to `url` (written to a temporary name, synced and renamed).
    public func save(to url: URL) throws {
        try ReplayFileWriter.write(to: url, header: header(kind: "uniform")) { writer in
            try writeArrays(writer)
        }
    }

    /// Restores the buffer from a file saved by `save(to:)` with the same configuration.
    public func load(from url: URL) throws {
        try ReplayFileReader.read(from: url) { reader, header in
            try checkCompatible(header, kind: "uniform", path: url.path)
            try readArrays(reader, header)
        }
    }

    func header(kind: String) -> ReplayFileHeader {
        ReplayFileHeader(kind: kind, configuration: configuration, writeHead: writeHead,
                         pendingStamp: pendingStamp, transitionsAdded: transitionsAdded,
                         currentEpisodeStart: currentEpisodeStart, lastActionStamp: lastActionStamp)
    }

    var usedSlots: Int { Int(min(writeHead, Int64(configuration.capacity))) }

    func writeArrays(_ writer: ReplayFileWriter) throws {
        let n = usedSlots
        try writer.write(UnsafeRawPointer(frames), n * configuration.frameByteCount)
        try writer.write(UnsafeRawPointer(actions), n * 4)
        try writer.write(UnsafeRawPointer(rewards), n * 4)
        try writer.write(UnsafeRawPointer(flags), n)
        try writer.write(UnsafeRawPointer(stamps), n * 8)
        try writer.write(UnsafeRawPointer(episodeStarts), n * 8)
    }

    func checkCompatible(_ header: ReplayFileHeader, kind: String, path: String) throws {
        guard header.kind == kind else {
            throw ReplayBufferError.configurationMismatch(path: path, reason: "it holds a \(header.kind) buffer, not a \(kind) one")
        }
        guard header.configuration == configuration else {
            throw ReplayBufferError.configurationMismatch(
                path: path, reason: "file has \(header.configuration), buffer has \(configuration)")
        }
        let used = min(header.writeHead, Int64(configuration.capacity))
        guard header.writeHead >= 0, header.lastActionStamp < header.writeHead,
              header.pendingStamp < header.writeHead, used >= 0 else {
            throw ReplayBufferError.corrupt(path: path, reason: "inconsistent counters in the header")
        }
    }

    func readArrays(_ reader: ReplayFileReader, _ header: ReplayFileHeader) throws {
        let n = Int(min(header.writeHead, Int64(configuration.capacity)))
        try reader.read(UnsafeMutableRawPointer(frames), n * configuration.frameByteCount)
        try reader.read(UnsafeMutableRawPointer(actions), n * 4)
        try reader.read(UnsafeMutableRawPointer(rewards), n * 4)
        try reader.read(UnsafeMutableRawPointer(flags), n)
        try reader.read(UnsafeMutableRawPointer(stamps), n * 8)
        try reader.read(UnsafeMutableRawPointer(episodeStarts), n * 8)
        let rest = configuration.capacity - n
        (flags + n).update(repeating: 0, count: rest)
        (stamps + n).update(repeating: -1, count: rest)
        writeHead = header.writeHead
        pendingStamp = header.pendingStamp
        transitionsAdded = header.transitionsAdded
        currentEpisodeStart = header.currentEpisodeStart
        lastActionStamp = header.lastActionStamp
    }
}

extension PrioritizedReplayBuffer {
    /// Saves the buffer and its priorities to `url` (temporary name, sync, rename).
    public func save(to url: URL) throws {
        var header = buffer.header(kind: "prioritized")
        header.alpha = alpha
        header.epsilon = epsilon
        header.maxPriority = maxPriority
        try ReplayFileWriter.write(to: url, header: header) { writer in
            try buffer.writeArrays(writer)
            let leaves = Array(tree.leaves)
            try leaves.withUnsafeBytes { try writer.write($0.baseAddress!, $0.count) }
        }
    }

    /// Restores a buffer saved by `save(to:)` with the same configuration, alpha and epsilon.
    public func load(from url: URL) throws {
        try ReplayFileReader.read(from: url) { reader, header in
            try buffer.checkCompatible(header, kind: "prioritized", path: url.path)
            guard header.alpha == alpha, header.epsilon == epsilon, let maxP = header.maxPriority else {
                throw ReplayBufferError.configurationMismatch(
                    path: url.path, reason: "alpha/epsilon \(header.alpha ?? .nan)/\(header.epsilon ?? .nan), expected \(alpha)/\(epsilon)")
            }
            try buffer.readArrays(reader, header)
            var leaves = [Double](repeating: 0, count: tree.capacity)
            try leaves.withUnsafeMutableBytes { try reader.read($0.baseAddress!, $0.count) }
            guard leaves.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw ReplayBufferError.corrupt(path: url.path, reason: "negative or non-finite priority")
            }
            tree.setLeaves(leaves)
            maxPriority = maxP
        }
    }
}

/// A 64-bit checksum fed section by section (FNV-1a style over 8-byte words: fast enough for
/// gigabytes, and any truncation, flipped bit or reordering changes it).
struct ReplayChecksum {
    var value: UInt64 = 0xcbf29ce484222325

    /// Folds `count` bytes at `pointer` into the checksum.
    mutating func update(_ pointer: UnsafeRawPointer, _ count: Int) {
        var h = value
        let words = count / 8
        for i in 0..<words {
            h = (h ^ pointer.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x100000001b3
            h ^= h >> 29
        }
        for i in (words * 8)..<count {
            h = (h ^ UInt64(pointer.load(fromByteOffset: i, as: UInt8.self))) &* 0x100000001b3
        }
        value = (h ^ UInt64(count)) &* 0x9e3779b97f4a7c15
    }
}

/// Writes a replay file: magic, header, sections, trailer; to a temporary name, then renamed.
final class ReplayFileWriter {
    let fd: Int32
    let path: String
    var checksum = ReplayChecksum()

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    static func write(to url: URL, header: ReplayFileHeader, body: (ReplayFileWriter) throws -> Void) throws {
        let temporary = url.path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ReplayBufferError.io(path: temporary, reason: String(cString: strerror(errno))) }
        let writer = ReplayFileWriter(fd: fd, path: temporary)
        do {
            try magic.withUnsafeBytes { try writer.write($0.baseAddress!, $0.count) }
            let json = try JSONEncoder().encode(header)
            var length = UInt32(json.count).littleEndian
            try writer.write(&length, 4)
            try json.withUnsafeBytes { try writer.write($0.baseAddress!, $0.count) }
            try body(writer)
            var sum = writer.checksum.value.littleEndian
            try writer.writeRaw(&sum, 8)
            try trailerMagic.withUnsafeBytes { try writer.writeRaw($0.baseAddress!, $0.count) }
            guard fsync(fd) == 0 else { throw ReplayBufferError.io(path: temporary, reason: "fsync failed") }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ReplayBufferError.io(path: url.path, reason: "rename failed: \(reason)")
        }
    }

    /// Writes `count` bytes and folds them into the checksum.
    func write(_ pointer: UnsafeRawPointer, _ count: Int) throws {
        checksum.update(pointer, count)
        try writeRaw(pointer, count)
    }

    func writeRaw(_ pointer: UnsafeRawPointer, _ count: Int) throws {
        var done = 0
        while done < count {
            let n = Glibc.write(fd, pointer + done, min(count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw ReplayBufferError.io(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
    }
}

/// Reads a replay file written by `ReplayFileWriter`, checking sizes and the checksum.
final class ReplayFileReader {
    let fd: Int32
    let path: String
    var checksum = ReplayChecksum()

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    static func read(from url: URL, body: (ReplayFileReader, ReplayFileHeader) throws -> Void) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw ReplayBufferError.io(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let reader = ReplayFileReader(fd: fd, path: url.path)
        var head = [UInt8](repeating: 0, count: 8)
        try head.withUnsafeMutableBytes { try reader.read($0.baseAddress!, 8) }
        guard head == magic else { throw ReplayBufferError.notAReplayFile(path: url.path) }
        var length: UInt32 = 0
        try reader.read(&length, 4)
        let jsonLength = Int(UInt32(littleEndian: length))
        guard jsonLength < 1 << 20 else { throw ReplayBufferError.corrupt(path: url.path, reason: "header length \(jsonLength)") }
        var json = [UInt8](repeating: 0, count: jsonLength)
        try json.withUnsafeMutableBytes { try reader.read($0.baseAddress!, jsonLength) }
        let header: ReplayFileHeader
        do {
            header = try JSONDecoder().decode(ReplayFileHeader.self, from: Data(json))
        } catch {
            throw ReplayBufferError.corrupt(path: url.path, reason: "unreadable header")
        }
        try body(reader, header)
        let expected = reader.checksum.value
        var stored: UInt64 = 0
        try reader.readRaw(&stored, 8)
        var tail = [UInt8](repeating: 0, count: 8)
        try tail.withUnsafeMutableBytes { try reader.readRaw($0.baseAddress!, 8) }
        guard tail == trailerMagic else { throw ReplayBufferError.corrupt(path: url.path, reason: "bad trailer") }
        guard UInt64(littleEndian: stored) == expected else {
            throw ReplayBufferError.corrupt(path: url.path, reason: "checksum mismatch")
        }
    }

    /// Reads exactly `count` bytes and folds them into the checksum.
    func read(_ pointer: UnsafeMutableRawPointer, _ count: Int) throws {
        try readRaw(pointer, count)
        checksum.update(pointer, count)
    }

    func readRaw(_ pointer: UnsafeMutableRawPointer, _ count: Int) throws {
        var done = 0
        while done < count {
            let n = Glibc.read(fd, pointer + done, min(count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw ReplayBufferError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { throw ReplayBufferError.truncated(path: path) }
            done += n
        }
    }
}
