// PNG files through libpng's simplified API (png_image_*), which reports errors in a struct
// instead of longjmp, so it is safe to call from Swift. Used for `rl export --format png`, the
// viewer's screenshots, and by tests to decode what was written.
import CPNG
import Foundation

/// An 8-bit RGB or grayscale image in memory, rows top to bottom.
public struct PNGImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// 3 (RGB) or 1 (gray).
    public var channels: Int
    /// `height x width x channels` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "PNGImage: \(channels) channels (1 or 3 supported)")
        precondition(pixels.count == width * height * channels,
                     "PNGImage: \(pixels.count) bytes for \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Writes the image as a PNG file.
    public func write(to url: URL) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        let ok = pixels.withUnsafeBytes { bytes in
            png_image_write_to_file(&image, url.path, 0, bytes.baseAddress, Int32(width * channels), nil)
        }
        if ok == 0 {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw ExportError.pngFailed(path: url.path, detail: message)
        }
    }

    /// Reads a PNG file, converted to 8-bit RGB.
    public static func read(from url: URL) throws -> PNGImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw ExportError.pngFailed(path: url.path, detail: message)
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 3), nil) }
        guard ok != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw ExportError.pngFailed(path: url.path, detail: message)
        }
        return PNGImage(width: width, height: height, channels: 3, pixels: pixels)
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
