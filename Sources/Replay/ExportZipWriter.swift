// A streaming zip writer for npz files: entries are deflated with zlib as they are written and
// their sizes and CRC-32 patched into the local header afterwards, so an episode's frames go
// to disk one chunk at a time. Plain zip (no ZIP64): numpy's zipfile reads it.
import CZlib
import Foundation

/// Writes a zip archive entry by entry.
final class ExportZipWriter {
    private struct Entry {
        var name: [UInt8]
        var headerOffset: UInt64
        var crc: UInt32
        var compressedSize: UInt64
        var size: UInt64
    }

    private let path: String
    private let handle: FileHandle
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    private var current: Entry?
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 20)
    /// zlib level 1: frames compress almost as well as at 6, several times faster.
    private let level: Int32 = 1

    init(url: URL) throws {
        path = url.path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ExportError.writeFailed(path: path, detail: "cannot create the file")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func beginEntry(_ name: String) throws {
        precondition(current == nil, "ExportZipWriter.beginEntry(\(name)) inside another entry")
        let entry = Entry(name: Array(name.utf8), headerOffset: offset, crc: 0, compressedSize: 0, size: 0)
        try emit(localHeader(entry))
        current = entry
        stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")
    }

    /// Appends bytes to the current entry.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        current!.crc = UInt32(crc32(uLong(current!.crc), bytes.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
        current!.size += UInt64(bytes.count)
        try deflateAll(bytes, finish: false)
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    func endEntry() throws {
        try deflateAll(UnsafeRawBufferPointer(start: nil, count: 0), finish: true)
        deflateEnd(&stream)
        var entry = current!
        current = nil
        entry.compressedSize = offset - entry.headerOffset - UInt64(30 + entry.name.count)
        for size in [entry.size, entry.compressedSize] where size >= 0xFFFF_FFFF {
            throw ExportError.tooLargeForNPZ(entry: String(decoding: entry.name, as: UTF8.self), bytes: Int(size))
        }
        // Patch CRC and sizes into the local header, then return to the end.
        do {
            try handle.seek(toOffset: entry.headerOffset + 14)
            var patch: [UInt8] = []
            Self.append32(&patch, entry.crc)
            Self.append32(&patch, UInt32(entry.compressedSize))
            Self.append32(&patch, UInt32(entry.size))
            try handle.write(contentsOf: patch)
            try handle.seek(toOffset: offset)
        } catch {
            throw ExportError.writeFailed(path: path, detail: error.localizedDescription)
        }
        entries.append(entry)
    }

    /// Writes the central directory and closes the file.
    func finish() throws {
        let directoryOffset = offset
        for entry in entries {
            var header: [UInt8] = []
            Self.append32(&header, 0x0201_4b50)
            Self.append16(&header, 20)  // version made by
            Self.append16(&header, 20)  // version needed
            Self.append16(&header, 0)   // flags
            Self.append16(&header, 8)   // deflate
            Self.append16(&header, 0)   // time
            Self.append16(&header, 0x21) // date: 1980-01-01
            Self.append32(&header, entry.crc)
            Self.append32(&header, UInt32(entry.compressedSize))
            Self.append32(&header, UInt32(entry.size))
            Self.append16(&header, UInt16(entry.name.count))
            Self.append16(&header, 0)   // extra
            Self.append16(&header, 0)   // comment
            Self.append16(&header, 0)   // disk
            Self.append16(&header, 0)   // internal attributes
            Self.append32(&header, 0)   // external attributes
            Self.append32(&header, UInt32(entry.headerOffset))
            header += entry.name
            try emit(header)
        }
        var end: [UInt8] = []
        Self.append32(&end, 0x0605_4b50)
        Self.append16(&end, 0)
        Self.append16(&end, 0)
        Self.append16(&end, UInt16(entries.count))
        Self.append16(&end, UInt16(entries.count))
        Self.append32(&end, UInt32(offset - directoryOffset))
        Self.append32(&end, UInt32(directoryOffset))
        Self.append16(&end, 0)
        try emit(end)
        do { try handle.close() } catch { throw ExportError.writeFailed(path: path, detail: error.localizedDescription) }
    }

    private func localHeader(_ entry: Entry) -> [UInt8] {
        var header: [UInt8] = []
        Self.append32(&header, 0x0403_4b50)
        Self.append16(&header, 20)   // version needed
        Self.append16(&header, 0)    // flags
        Self.append16(&header, 8)    // deflate
        Self.append16(&header, 0)    // time
        Self.append16(&header, 0x21) // date
        Self.append32(&header, 0)    // CRC, patched by endEntry
        Self.append32(&header, 0)    // compressed size, patched
        Self.append32(&header, 0)    // size, patched
        Self.append16(&header, UInt16(entry.name.count))
        Self.append16(&header, 0)
        return header + entry.name
    }

    /// Runs deflate over `input` until it is consumed; when finishing, until the stream ends.
    /// zlib asks to be called again whenever it filled the whole output buffer.
    private func deflateAll(_ input: UnsafeRawBufferPointer, finish: Bool) throws {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        var status: Int32 = Z_OK
        repeat {
            let produced = output.withUnsafeMutableBytes { out -> Int in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                status = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                precondition(status != Z_STREAM_ERROR, "ExportZipWriter: deflate stream error")
                return out.count - Int(stream.avail_out)
            }
            if produced > 0 { try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0.prefix(produced))) } }
        } while finish ? status != Z_STREAM_END : stream.avail_out == 0
    }

    private func emit(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try emit($0) } }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        do { try handle.write(contentsOf: Data(bytes)) } catch {
            throw ExportError.writeFailed(path: path, detail: error.localizedDescription)
        }
        offset += UInt64(bytes.count)
    }

    static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
