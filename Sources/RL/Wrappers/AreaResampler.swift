// Area-interpolation downscaling with OpenCV's INTER_AREA semantics: each output pixel is the
// average of the source area it covers, partial pixels weighted by their covered fraction,
// computed separably in Float and rounded to nearest (cvRound). Weights are tabulated once.

/// Precomputed taps for resizing H x W x C uint8 images to h x w x C by area averaging.
public struct AreaResampler: Sendable {
    public let sourceHeight, sourceWidth, height, width, channels: Int
    private let xStart: [Int], xSource: [Int], xWeight: [Float]
    private let yStart: [Int], ySource: [Int], yWeight: [Float]

    /// Downscaling only (area interpolation is defined for shrinking; OpenCV switches to
    /// bilinear when enlarging).
    public init(sourceHeight: Int, sourceWidth: Int, height: Int, width: Int, channels: Int) {
        precondition(height >= 1 && width >= 1 && height <= sourceHeight && width <= sourceWidth,
                     "AreaResampler: \(sourceHeight)x\(sourceWidth) -> \(height)x\(width) is not a downscale")
        self.sourceHeight = sourceHeight; self.sourceWidth = sourceWidth
        self.height = height; self.width = width; self.channels = channels
        (xStart, xSource, xWeight) = AreaResampler.taps(source: sourceWidth, destination: width)
        (yStart, ySource, yWeight) = AreaResampler.taps(source: sourceHeight, destination: height)
    }

    /// OpenCV's computeResizeAreaTab: the source cells overlapping each destination cell and
    /// their weights (covered length / cell length).
    private static func taps(source: Int, destination: Int) -> ([Int], [Int], [Float]) {
        let scale = Double(source) / Double(destination)
        var start = [0], index: [Int] = [], weight: [Float] = []
        for d in 0..<destination {
            let f1 = Double(d) * scale, f2 = f1 + scale
            let s1 = Int(f1.rounded(.up)), s2 = Int(f2.rounded(.down))
            let cell = min(scale, Double(source) - f1)
            if Double(s1) - f1 > 1e-3 {
                index.append(s1 - 1); weight.append(Float((Double(s1) - f1) / cell))
            }
            for s in s1..<max(s1, s2) where s < source {
                index.append(s); weight.append(Float(1.0 / cell))
            }
            if f2 - Double(s2) > 1e-3 && s2 < source {
                index.append(s2); weight.append(Float(min(min(f2 - Double(s2), 1.0), cell) / cell))
            }
            start.append(index.count)
        }
        return (start, index, weight)
    }

    /// Exact halving, OpenCV's fast path for a 2x2 area: (a + b + c + d + 2) >> 2, which rounds
    /// ties up where the general path rounds them to even.
    private func halve(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>) {
        let c = channels, srcRow = sourceWidth * c
        for dy in 0..<height {
            let top = source + 2 * dy * srcRow, bottom = top + srcRow
            let out = destination + dy * width * c
            for dx in 0..<width {
                for ch in 0..<c {
                    let i = 2 * dx * c + ch
                    let sum = Int(top[i]) + Int(top[i + c]) + Int(bottom[i]) + Int(bottom[i + c])
                    out[dx * c + ch] = UInt8((sum + 2) >> 2)
                }
            }
        }
    }

    /// Resizes `source` into `destination` using `row` (width x channels Floats) and `accumulator`
    /// (same size) as scratch, so the caller allocates them once.
    public func resize(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>,
                       row: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>) {
        if sourceWidth == 2 * width && sourceHeight == 2 * height {
            halve(source, into: destination)
            return
        }
        let c = channels, rowCount = width * c
        for dy in 0..<height {
            accumulator.update(repeating: 0, count: rowCount)
            for ty in yStart[dy]..<yStart[dy + 1] {
                let wy = yWeight[ty]
                let srcRow = source + ySource[ty] * sourceWidth * c
                // Horizontal pass for this source row.
                for dx in 0..<width {
                    for ch in 0..<c {
                        var sum: Float = 0
                        for tx in xStart[dx]..<xStart[dx + 1] {
                            sum += Float(srcRow[xSource[tx] * c + ch]) * xWeight[tx]
                        }
                        row[dx * c + ch] = sum
                    }
                }
                for i in 0..<rowCount { accumulator[i] += wy * row[i] }
            }
            let out = destination + dy * rowCount
            for i in 0..<rowCount {
                out[i] = UInt8(max(0, min(255, accumulator[i].rounded(.toNearestOrEven))))
            }
        }
    }
}
