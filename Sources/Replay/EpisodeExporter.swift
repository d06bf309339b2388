// Hands stored episodes to other tools: npz (numpy's zip of .npy arrays, one per RLDS field),
// one PNG per step, or an mp4 through the ffmpeg program. Frames stream from the store one
// chunk at a time, and every output is written under a temporary name and renamed when whole.
import Foundation
import RL

/// Writes one episode of a store in the formats of `ExportFormat`.
public enum EpisodeExporter {
    // MARK: npz

    /// Writes `reader`'s episode as an npz that `numpy.load` reads: `observation` (or
    /// `observation_<name>` per part of a dictionary space), `render` where present, `action`
    /// (int32), `reward` (float32), `is_first`/`is_last`/`is_terminal` (bool), and the agent's
    /// `q_values` or `action_probabilities` (float32, steps x actions) and `value` where it
    /// reported them. Arrays have one row per RLDS step.
    public static func writeNPZ(_ reader: EpisodeReader, to url: URL) throws {
        let record = reader.record
        let steps = reader.stepCount
        let partial = url.appendingPathExtension("partial")
        do {
            let zip = try ExportZipWriter(url: partial)
            for part in observationParts(record.observationSpace) {
                try writeNPY(zip, name: part.name, descr: part.descr, shape: [steps] + part.shape) {
                    for t in 0..<steps {
                        try reader.withObservation(at: t) { observation in
                            try zip.write(UnsafeRawBufferPointer(rebasing: observation[part.offset..<part.offset + part.bytes]))
                        }
                    }
                }
            }
            if let renderSpace = record.renderSpace, case .box(let shape, _, _, _) = renderSpace {
                try writeNPY(zip, name: "render", descr: "|u1", shape: [steps] + shape) {
                    for t in 0..<steps { try reader.withRender(at: t) { try zip.write($0) } }
                }
            }
            try writeArray(zip, name: "action", descr: "<i4", shape: [steps], reader.actions)
            try writeArray(zip, name: "reward", descr: "<f4", shape: [steps], reader.rewards)
            for (name, flag) in [("is_first", StepFlags.first), ("is_last", .last), ("is_terminal", .terminal)] {
                try writeArray(zip, name: name, descr: "|b1", shape: [steps], reader.flags.map { $0.contains(flag) ? UInt8(1) : 0 })
            }
            switch record.outputKind {
            case .none: break
            case .qValues:
                try writeArray(zip, name: "q_values", descr: "<f4", shape: [steps, record.outputWidth], reader.outputs)
            case .probabilities:
                try writeArray(zip, name: "action_probabilities", descr: "<f4", shape: [steps, record.outputWidth], reader.outputs)
            }
            if reader.values.contains(where: { !$0.isNaN }) {
                try writeArray(zip, name: "value", descr: "<f4", shape: [steps], reader.values)
            }
            try zip.finish()
            try replace(url, with: partial)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// One array of an observation: a whole box, or one part of a dictionary space.
    struct ObservationPart {
        var name: String
        var descr: String
        var shape: [Int]
        var offset: Int
        var bytes: Int
    }

    static func observationParts(_ space: Space, prefix: String = "observation", offset: Int = 0) -> [ObservationPart] {
        switch space {
        case .discrete:
            return [ObservationPart(name: prefix, descr: "<i4", shape: [], offset: offset, bytes: 4)]
        case .box(let shape, let element, _, _):
            return [ObservationPart(name: prefix, descr: element == .uint8 ? "|u1" : "<f4", shape: shape,
                                    offset: offset, bytes: space.byteCount)]
        case .dictionary(let parts):
            var result: [ObservationPart] = [], start = offset
            for part in parts {
                result += observationParts(part.space, prefix: prefix + "_" + part.name, offset: start)
                start += part.space.byteCount
            }
            return result
        }
    }

    /// The .npy header of NPY format 1.0: magic, version, little-endian header length, and a
    /// Python dict literal padded with spaces so the data starts at a multiple of 64 bytes.
    public static func npyHeader(descr: String, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var header: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        ExportZipWriter.append16(&header, UInt16(dict.utf8.count))
        return header + Array(dict.utf8)
    }

    private static func writeNPY(_ zip: ExportZipWriter, name: String, descr: String, shape: [Int],
                                 body: () throws -> Void) throws {
        try zip.beginEntry(name + ".npy")
        try zip.write(npyHeader(descr: descr, shape: shape))
        try body()
        try zip.endEntry()
    }

    private static func writeArray<T>(_ zip: ExportZipWriter, name: String, descr: String, shape: [Int], _ values: [T]) throws {
        try writeNPY(zip, name: name, descr: descr, shape: shape) {
            try values.withUnsafeBytes { try zip.write($0) }
        }
    }

    // MARK: frames

    /// The size of the episode's image frames: its render frames, or else its observations
    /// where they are uint8 images (height x width x 3 or 1). `.noImageFrames` otherwise.
    public static func frameShape(_ record: EpisodeRecord) throws -> (height: Int, width: Int, channels: Int) {
        if let render = record.renderSpace, case .box(let shape, .uint8, _, _) = render, shape.count == 3 {
            return (shape[0], shape[1], shape[2])
        }
        if case .box(let shape, .uint8, _, _) = record.observationSpace,
           shape.count == 2 || (shape.count == 3 && (shape[2] == 3 || shape[2] == 1)) {
            return (shape[0], shape[1], shape.count == 3 ? shape[2] : 1)
        }
        throw ExportError.noImageFrames(episode: record.id, observationSpace: record.observationSpace.description)
    }

    /// Calls `body` with the image frame of `step` (render frame, else observation).
    public static func withFrame<R>(_ reader: EpisodeReader, at step: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        reader.hasRender ? try reader.withRender(at: step, body) : try reader.withObservation(at: step, body)
    }

    /// Writes one PNG per step into `directory` (created where missing), named
    /// `frame-00000.png` ..., and returns their URLs.
    @discardableResult
    public static func writePNGs(_ reader: EpisodeReader, to directory: URL) throws -> [URL] {
        let (height, width, channels) = try frameShape(reader.record)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExportError.writeFailed(path: directory.path, detail: error.localizedDescription)
        }
        var urls: [URL] = []
        for t in 0..<reader.stepCount {
            let pixels = try withFrame(reader, at: t) { [UInt8]($0) }
            let url = directory.appendingPathComponent(String(format: "frame-%05d.png", t))
            let partial = directory.appendingPathComponent(String(format: ".frame-%05d.partial.png", t))
            try PNGImage(width: width, height: height, channels: channels, pixels: pixels).write(to: partial)
            try replace(url, with: partial)
            urls.append(url)
        }
        return urls
    }

    // MARK: mp4

    /// The `ffmpeg` program on the PATH, or nil.
    public static func findFFmpeg() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("ffmpeg") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Encodes the episode's frames as an H.264 mp4 through ffmpeg, scaled up by `scale` with
    /// nearest-neighbour sampling (pixel art stays sharp), at `framesPerSecond`.
    public static func writeMP4(_ reader: EpisodeReader, to url: URL, framesPerSecond: Int = 30, scale: Int = 4,
                                ffmpeg: URL? = findFFmpeg()) throws {
        guard let ffmpeg else { throw ExportError.ffmpegMissing }
        let (height, width, channels) = try frameShape(reader.record)
        let partial = url.deletingPathExtension().appendingPathExtension("partial.mp4")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("rl-ffmpeg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = [
            "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", channels == 3 ? "rgb24" : "gray",
            "-s", "\(width)x\(height)", "-r", "\(framesPerSecond)", "-i", "-",
            "-vf", "scale=trunc(iw*\(scale)/2)*2:trunc(ih*\(scale)/2)*2:flags=neighbor",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", partial.path,
        ]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        do { try process.run() } catch {
            throw ExportError.ffmpegFailed(status: -1, detail: "could not start \(ffmpeg.path): \(error.localizedDescription)")
        }
        do {
            for t in 0..<reader.stepCount {
                try withFrame(reader, at: t) { try input.fileHandleForWriting.write(contentsOf: Data($0)) }
            }
            try input.fileHandleForWriting.close()
        } catch {
            // ffmpeg exiting early closes the pipe; its status and message say why below.
            try? input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: partial)
            let detail = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ExportError.ffmpegFailed(status: process.terminationStatus,
                                           detail: detail.split(separator: "\n").suffix(3).joined(separator: "; "))
        }
        try replace(url, with: partial)
    }

    /// Moves `partial` onto `url`, replacing what was there.
    static func replace(_ url: URL, with partial: URL) throws {
        do {
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: partial, to: url)
        } catch {
            throw ExportError.writeFailed(path: url.path, detail: error.localizedDescription)
        }
    }
}
