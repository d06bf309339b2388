// The typed errors of `rl export`: each names the episode, file or program concerned.

/// Why an export failed. Outputs are written under a temporary name and renamed, so a failed
/// export leaves no partial file behind.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// The format is not one of `ExportFormat`.
    case unknownFormat(String)
    /// The episode has no RGB or grayscale image to write as frames.
    case noImageFrames(episode: Int64, observationSpace: String)
    /// `ffmpeg` is not on the PATH.
    case ffmpegMissing
    /// `ffmpeg` ran and failed.
    case ffmpegFailed(status: Int32, detail: String)
    /// libpng could not write or read a file.
    case pngFailed(path: String, detail: String)
    /// A file could not be written.
    case writeFailed(path: String, detail: String)
    /// The zip format without ZIP64 holds entries up to 4 GiB.
    case tooLargeForNPZ(entry: String, bytes: Int)

    public var description: String {
        switch self {
        case .unknownFormat(let format):
            return "unknown export format '\(format)': the formats are "
                + ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        case .noImageFrames(let episode, let space):
            return "episode \(episode) has no image frames to export (no render frames; observations are \(space)); use --format npz"
        case .ffmpegMissing:
            return "mp4 export needs the ffmpeg program, which is not installed (apt-get install ffmpeg); --format png writes the frames instead"
        case .ffmpegFailed(let status, let detail):
            return "ffmpeg failed with status \(status): \(detail)"
        case .pngFailed(let path, let detail):
            return "libpng could not process \(path): \(detail)"
        case .writeFailed(let path, let detail):
            return "could not write \(path): \(detail)"
        case .tooLargeForNPZ(let entry, let bytes):
            return "the array \(entry) has \(bytes) bytes, more than an npz without ZIP64 holds (4 GiB); export fewer steps or use png"
        }
    }
}

/// The formats of `rl export`.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// numpy's zip of .npy arrays, one per RLDS field.
    case npz
    /// One PNG per step.
    case png
    /// H.264 video through ffmpeg.
    case mp4

    /// Parses a format name; `.unknownFormat` names the formats that exist.
    public init(parsing text: String) throws {
        guard let format = ExportFormat(rawValue: text.lowercased()) else { throw ExportError.unknownFormat(text) }
        self = format
    }
}
