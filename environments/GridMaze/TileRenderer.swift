// Draws one tile the way MiniGrid 3.2 does (minigrid/utils/rendering.py and each object's
// render): shapes are tested at the centres of a 3x-supersampled tile, the highlight blends 30%
// towards white, and the tile is box-averaged back down with truncation to uint8. Precision
// follows MiniGrid's numpy types (float32 shape constants, float64 test points), so our tiles
// come out byte-identical. Called only to fill the TileAtlas, never per step.
import Foundation

/// Renders single tiles at a given size.
struct TileRenderer {
    let tileSize: Int
    private let subdivisions = 3

    /// An RGB tile (tileSize x tileSize x 3) of `cell` (nil: an empty floor), with the agent
    /// facing `agentHeading` if given, highlighted if `highlight`.
    func render(_ cell: Cell?, agentHeading: Int?, highlight: Bool) -> [UInt8] {
        let n = tileSize * subdivisions
        var canvas = Canvas(size: n)
        canvas.fill(rect(0, 0.031, 0, 1), (100, 100, 100))
        canvas.fill(rect(0, 1, 0, 0.031), (100, 100, 100))
        if let cell { draw(cell, on: &canvas) }
        if let heading = agentHeading {
            let triangle = Triangle(a: (0.12, 0.19), b: (0.87, 0.50), c: (0.12, 0.81))
            let theta = 0.5 * Double.pi * Double(heading)
            canvas.fill({ x, y in
                // MiniGrid's rotate_fn: rotate the test point by -theta about the centre.
                let px = x - 0.5, py = y - 0.5
                let x2 = 0.5 + px * cos(-theta) - py * sin(-theta)
                let y2 = 0.5 + py * cos(-theta) + px * sin(-theta)
                return triangle.contains(x2, y2)
            }, (255, 0, 0))
        }
        if highlight {
            for i in 0..<canvas.pixels.count {
                let v = Double(canvas.pixels[i])
                canvas.pixels[i] = UInt8(min(255, max(0, v + 0.30 * (255 - v))))
            }
        }
        return downsample(canvas)
    }

    private func draw(_ cell: Cell, on canvas: inout Canvas) {
        let c = cell.color.rgb
        let color = (Double(c.0), Double(c.1), Double(c.2))
        let black = (0.0, 0.0, 0.0)
        switch cell.kind {
        case .wall, .goal:
            canvas.fill(rect(0, 1, 0, 1), color)
        case .floor:
            canvas.fill(rect(0.031, 1, 0.031, 1), (color.0 / 2, color.1 / 2, color.2 / 2))
        case .lava:
            canvas.fill(rect(0, 1, 0, 1), (255, 128, 0))
            for i in 0..<3 {
                let lo = 0.3 + 0.2 * Double(i), hi = 0.4 + 0.2 * Double(i)
                canvas.fill(line(0.1, lo, 0.3, hi, r: 0.03), black)
                canvas.fill(line(0.3, hi, 0.5, lo, r: 0.03), black)
                canvas.fill(line(0.5, lo, 0.7, hi, r: 0.03), black)
                canvas.fill(line(0.7, hi, 0.9, lo, r: 0.03), black)
            }
        case .door:
            switch DoorState(rawValue: cell.state) ?? .closed {
            case .open:
                canvas.fill(rect(0.88, 1.00, 0.00, 1.00), color)
                canvas.fill(rect(0.92, 0.96, 0.04, 0.96), black)
            case .locked:
                canvas.fill(rect(0.00, 1.00, 0.00, 1.00), color)
                canvas.fill(rect(0.06, 0.94, 0.06, 0.94), (0.45 * color.0, 0.45 * color.1, 0.45 * color.2))
                canvas.fill(rect(0.52, 0.75, 0.50, 0.56), color)
            case .closed:
                canvas.fill(rect(0.00, 1.00, 0.00, 1.00), color)
                canvas.fill(rect(0.04, 0.96, 0.04, 0.96), black)
                canvas.fill(rect(0.08, 0.92, 0.08, 0.92), color)
                canvas.fill(rect(0.12, 0.88, 0.12, 0.88), black)
                canvas.fill(circle(0.75, 0.50, 0.08), color)
            }
        case .key:
            canvas.fill(rect(0.50, 0.63, 0.31, 0.88), color)
            canvas.fill(rect(0.38, 0.50, 0.59, 0.66), color)
            canvas.fill(rect(0.38, 0.50, 0.81, 0.88), color)
            canvas.fill(circle(0.56, 0.28, 0.190), color)
            canvas.fill(circle(0.56, 0.28, 0.064), black)
        case .ball:
            canvas.fill(circle(0.5, 0.5, 0.31), color)
        case .box:
            canvas.fill(rect(0.12, 0.88, 0.12, 0.88), color)
            canvas.fill(rect(0.18, 0.82, 0.18, 0.82), black)
            canvas.fill(rect(0.16, 0.84, 0.47, 0.53), color)
        case .empty, .unseen, .agent:
            break
        }
    }

    /// numpy's reshape-and-mean over 3x3 blocks (mean over x, then over y), truncated to uint8
    /// when MiniGrid copies the float tile into its uint8 image.
    private func downsample(_ canvas: Canvas) -> [UInt8] {
        let s = subdivisions, n = canvas.size
        var out = [UInt8](repeating: 0, count: tileSize * tileSize * 3)
        for ty in 0..<tileSize {
            for tx in 0..<tileSize {
                for ch in 0..<3 {
                    var outer = 0.0
                    for sy in 0..<s {
                        var inner = 0.0
                        for sx in 0..<s { inner += Double(canvas.pixels[((ty * s + sy) * n + tx * s + sx) * 3 + ch]) }
                        outer += inner / Double(s)
                    }
                    out[(ty * tileSize + tx) * 3 + ch] = UInt8(outer / Double(s))
                }
            }
        }
        return out
    }

    private func rect(_ xmin: Double, _ xmax: Double, _ ymin: Double, _ ymax: Double) -> (Double, Double) -> Bool {
        { x, y in x >= xmin && x <= xmax && y >= ymin && y <= ymax }
    }

    private func circle(_ cx: Double, _ cy: Double, _ r: Double) -> (Double, Double) -> Bool {
        { x, y in (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r }
    }

    /// MiniGrid's point_in_line: distance to a segment whose end points and direction are float32.
    private func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, r: Double) -> (Double, Double) -> Bool {
        let p0x = Float(x0), p0y = Float(y0)
        let ex = Float(x1) - p0x, ey = Float(y1) - p0y
        let dist = (ex * ex + ey * ey).squareRoot()
        let dx = Double(ex / dist), dy = Double(ey / dist), length = Double(dist)
        let xmin = min(x0, x1) - r, xmax = max(x0, x1) + r, ymin = min(y0, y1) - r, ymax = max(y0, y1) + r
        return { x, y in
            if x < xmin || x > xmax || y < ymin || y > ymax { return false }
            let qx = x - Double(p0x), qy = y - Double(p0y)
            let a = min(max(qx * dx + qy * dy, 0), length)
            let px = Double(p0x) + a * dx, py = Double(p0y) + a * dy
            let ddx = x - px, ddy = y - py
            return (ddx * ddx + ddy * ddy).squareRoot() <= r
        }
    }
}

/// MiniGrid's point_in_triangle by barycentric coordinates, float32 where MiniGrid's arrays are.
private struct Triangle {
    let ax, ay: Float
    let v0x, v0y, v1x, v1y: Float
    let dot00, dot01, dot11, inverse: Float

    init(a: (Float, Float), b: (Float, Float), c: (Float, Float)) {
        ax = a.0; ay = a.1
        v0x = c.0 - a.0; v0y = c.1 - a.1
        v1x = b.0 - a.0; v1y = b.1 - a.1
        dot00 = v0x * v0x + v0y * v0y
        dot01 = v0x * v1x + v0y * v1y
        dot11 = v1x * v1x + v1y * v1y
        inverse = 1 / (dot00 * dot11 - dot01 * dot01)
    }

    func contains(_ x: Double, _ y: Double) -> Bool {
        let v2x = x - Double(ax), v2y = y - Double(ay)
        let dot02 = Double(v0x) * v2x + Double(v0y) * v2y
        let dot12 = Double(v1x) * v2x + Double(v1y) * v2y
        let u = (Double(dot11) * dot02 - Double(dot01) * dot12) * Double(inverse)
        let v = (Double(dot00) * dot12 - Double(dot01) * dot02) * Double(inverse)
        return u >= 0 && v >= 0 && (u + v) < 1
    }
}

/// A supersampled RGB canvas; colours are stored with numpy's float-to-uint8 truncation.
private struct Canvas {
    let size: Int
    var pixels: [UInt8]
    init(size: Int) {
        self.size = size
        pixels = [UInt8](repeating: 0, count: size * size * 3)
    }

    /// MiniGrid's fill_coords: paints every pixel whose centre satisfies `inside`.
    mutating func fill(_ inside: (Double, Double) -> Bool, _ color: (Double, Double, Double)) {
        let r = UInt8(color.0), g = UInt8(color.1), b = UInt8(color.2)
        for y in 0..<size {
            for x in 0..<size {
                let yf = (Double(y) + 0.5) / Double(size), xf = (Double(x) + 0.5) / Double(size)
                if inside(xf, yf) {
                    let i = (y * size + x) * 3
                    pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b
                }
            }
        }
    }
}
