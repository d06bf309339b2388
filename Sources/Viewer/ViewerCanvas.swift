// The viewer draws each picture into this RGB canvas in memory (frame scaled up, panel, text,
// bars) and hands it to SDL whole. Keeping the drawing in plain Swift makes it testable without
// a display and independent of the window's pixel format.

/// An RGB image of `width x height` with the few drawing operations the viewer needs.
public struct ViewerCanvas {
    public let width: Int
    public let height: Int
    /// `height x width x 3` bytes.
    public private(set) var pixels: [UInt8]

    public typealias Color = (r: UInt8, g: UInt8, b: UInt8)

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Fills the rectangle (clipped to the canvas).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1 && y0 < y1 else { return }
        let canvasWidth = width
        pixels.withUnsafeMutableBufferPointer { p in
            for row in y0..<y1 {
                var i = 3 * (row * canvasWidth + x0)
                for _ in x0..<x1 {
                    p[i] = color.r; p[i + 1] = color.g; p[i + 2] = color.b
                    i += 3
                }
            }
        }
    }

    /// Draws an image of `imageWidth x imageHeight` (3 channels, or 1 for gray) at (x, y),
    /// each pixel as a `scale x scale` block: nearest-neighbour, so pixel art stays sharp.
    public mutating func blitScaled(_ image: UnsafeRawBufferPointer, imageWidth: Int, imageHeight: Int, channels: Int,
                                    x: Int, y: Int, scale: Int) {
        precondition(image.count >= imageWidth * imageHeight * channels,
                     "ViewerCanvas.blitScaled: \(image.count) bytes for \(imageWidth)x\(imageHeight)x\(channels)")
        let canvasWidth = width, canvasHeight = height
        pixels.withUnsafeMutableBufferPointer { p in
            for sy in 0..<imageHeight {
                for dy in 0..<scale {
                    let row = y + sy * scale + dy
                    guard row >= 0 && row < canvasHeight else { continue }
                    for sx in 0..<imageWidth {
                        let source = (sy * imageWidth + sx) * channels
                        let r = image[source], g = channels == 3 ? image[source + 1] : r, b = channels == 3 ? image[source + 2] : r
                        for dx in 0..<scale {
                            let column = x + sx * scale + dx
                            guard column >= 0 && column < canvasWidth else { continue }
                            let i = 3 * (row * canvasWidth + column)
                            p[i] = r; p[i + 1] = g; p[i + 2] = b
                        }
                    }
                }
            }
        }
    }

    /// Draws `text` with the built-in 5x7 font, each font pixel `scale x scale`; returns the
    /// x just past the text.
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 2, _ color: Color) -> Int {
        var penX = x
        for character in text {
            let rows = BitmapFont.rows(of: character)
            for (rowIndex, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fill(x: penX + column * scale, y: y + rowIndex * scale, width: scale, height: scale, color)
                }
            }
            penX += (BitmapFont.glyphWidth + 1) * scale
        }
        return penX
    }

    /// The width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 2) -> Int {
        text.count * (BitmapFont.glyphWidth + 1) * scale
    }

    /// The pixel at (x, y).
    public func pixel(x: Int, y: Int) -> Color {
        let i = 3 * (y * width + x)
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
