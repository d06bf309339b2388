// OpenCV's INTER_AREA shrink of one grey frame (210x160 to 84x84 for the Atari presets) in
// exact integer arithmetic. Area weights are rationals (covered length over cell length), so
// every output is an exact fraction S / D; it is rounded as OpenCV's Float computation rounds
// it, and only an exact tie (S / D = n + 1/2, where Float rounding error decides) is recomputed
// in OpenCV's Float order (rows' horizontal sums, then the vertical sum). The result equals
// RL's AreaResampler (OpenCV's order in Float) pixel for pixel, at a fraction of its cost: the
// vertical pass runs first over whole rows, contiguous and vectorisable.

/// Precomputed integer taps for shrinking a `sourceHeight` x `sourceWidth` grey frame.
public struct GreyAreaResizer: Sendable {
    public let sourceHeight, sourceWidth, height, width: Int
    /// Taps per output row / column: source index, integer weight, OpenCV's Float weight.
    private let rowStart: [Int], rowIndex: [Int], rowWeight: [UInt16], rowFloat: [Float]
    private let columnStart: [Int], columnIndex: [Int], columnFloat: [Float]
    /// The common denominator of a full output: (row denominator) x (column denominator).
    private let denominator: Int32
    /// ceil(2^32 / denominator): sum / denominator as a multiply and a shift (exact for sums
    /// below 2^32 / denominator, which 255 x denominator is).
    private let reciprocal: Int64
    /// Column taps padded to `columnTapCount` per output (weight 0 on index 0), so the
    /// horizontal pass runs a fixed-length loop the compiler unrolls.
    private let columnTapCount: Int
    private let paddedIndex: [Int32], paddedWeight: [Int32]

    /// Nil when the area weights are not exact rationals of a small denominator (they are for
    /// every integer size; the check guards the arithmetic, not the caller).
    public init?(sourceHeight: Int, sourceWidth: Int, height: Int, width: Int) {
        guard height >= 1, width >= 1, height <= sourceHeight, width <= sourceWidth,
              let rows = Self.taps(source: sourceHeight, destination: height),
              let columns = Self.taps(source: sourceWidth, destination: width) else { return nil }
        self.sourceHeight = sourceHeight; self.sourceWidth = sourceWidth
        self.height = height; self.width = width
        // The vertical pass sums in UInt16 (SSE2 multiplies 16-bit lanes, not 32-bit ones).
        guard Int(rows.denominator) * 255 <= Int(UInt16.max) else { return nil }
        (rowStart, rowIndex, rowFloat) = (rows.start, rows.index, rows.float)
        rowWeight = rows.weight.map { UInt16($0) }
        (columnStart, columnIndex, columnFloat) = (columns.start, columns.index, columns.float)
        denominator = rows.denominator * columns.denominator
        // 255 x denominator must fit the Int32 sums and keep the reciprocal division exact.
        guard Int(denominator) * 255 < Int(Int32.max), Int(denominator) * Int(denominator) * 255 < 1 << 32 else { return nil }
        reciprocal = ((Int64(1) << 32) + Int64(denominator) - 1) / Int64(denominator)
        var most = 0
        for x in 0..<width { most = max(most, columns.start[x + 1] - columns.start[x]) }
        columnTapCount = most
        var index = [Int32](repeating: 0, count: width * most), weight = index
        for x in 0..<width {
            for (k, tap) in (columns.start[x]..<columns.start[x + 1]).enumerated() {
                index[x * most + k] = Int32(columns.index[tap]); weight[x * most + k] = columns.weight[tap]
            }
        }
        (paddedIndex, paddedWeight) = (index, weight)
    }

    /// UInt16s of scratch `resize` needs (the vertical pass's rows).
    public var scratchCount: Int { height * sourceWidth }

    typealias Taps = (start: [Int], index: [Int], weight: [Int32], float: [Float], denominator: Int32)

    /// OpenCV's computeResizeAreaTab (the same cells and Float weights as AreaResampler), with
    /// each weight also as an integer over the smallest common denominator.
    private static func taps(source: Int, destination: Int) -> Taps? {
        let scale = Double(source) / Double(destination)
        var start = [0], index: [Int] = [], exact: [Double] = [], float: [Float] = []
        func add(_ s: Int, _ weight: Double) {
            index.append(s); exact.append(weight); float.append(Float(weight))
        }
        for d in 0..<destination {
            let f1 = Double(d) * scale, f2 = f1 + scale
            let s1 = Int(f1.rounded(.up)), s2 = Int(f2.rounded(.down))
            let cell = min(scale, Double(source) - f1)
            if Double(s1) - f1 > 1e-3 { add(s1 - 1, (Double(s1) - f1) / cell) }
            for s in s1..<max(s1, s2) where s < source { add(s, 1.0 / cell) }
            if f2 - Double(s2) > 1e-3 && s2 < source { add(s2, min(min(f2 - Double(s2), 1.0), cell) / cell) }
            start.append(index.count)
        }
        // Weights are multiples of 1/source (covered lengths are multiples of 1/destination).
        var numerators: [Int] = []
        for weight in exact {
            let n = (weight * Double(source)).rounded()
            guard abs(weight * Double(source) - n) < 1e-6 else { return nil }
            numerators.append(Int(n))
        }
        let common = numerators.reduce(source) { gcd($0, $1) }
        return (start, index, numerators.map { Int32($0 / common) }, float, Int32(source / common))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Shrinks `source` (sourceHeight x sourceWidth) into `destination` (height x width);
    /// `scratch` holds `scratchCount` UInt16s.
    public func resize(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>,
                       scratch: UnsafeMutablePointer<UInt16>) {
        rowIndex.withUnsafeBufferPointer { rIndex in
            rowWeight.withUnsafeBufferPointer { rWeight in
                rowStart.withUnsafeBufferPointer { rStart in
                    verticalPass(source, scratch, rStart.baseAddress!, rIndex.baseAddress!, rWeight.baseAddress!)
                }
            }
        }
        paddedIndex.withUnsafeBufferPointer { cIndex in
            paddedWeight.withUnsafeBufferPointer { cWeight in
                horizontalPass(source, scratch, destination, cIndex.baseAddress!, cWeight.baseAddress!)
            }
        }
    }

    /// scratch[y][x] = sum over the row taps of y of weight x source[row][x]; the inner loop is
    /// contiguous over x so the compiler vectorises it.
    private func verticalPass(_ source: UnsafePointer<UInt8>, _ scratch: UnsafeMutablePointer<UInt16>,
                              _ start: UnsafePointer<Int>, _ index: UnsafePointer<Int>, _ weight: UnsafePointer<UInt16>) {
        let w = sourceWidth
        for y in 0..<height {
            let out = scratch + y &* w
            out.update(repeating: 0, count: w)
            for tap in start[y]..<start[y + 1] {
                let row = source + index[tap] &* w, k = weight[tap]
                for x in 0..<w { out[x] &+= k &* UInt16(row[x]) }
            }
        }
    }

    /// destination[y][x] = the column taps' weighted sum of scratch[y], rounded to nearest;
    /// exact ties are settled by OpenCV's Float computation. The division is a multiply by the
    /// reciprocal (a hardware divide per pixel cost more than the rest of the resize).
    private func horizontalPass(_ source: UnsafePointer<UInt8>, _ scratch: UnsafePointer<UInt16>,
                                _ destination: UnsafeMutablePointer<UInt8>,
                                _ index: UnsafePointer<Int32>, _ weight: UnsafePointer<Int32>) {
        let d = denominator, half = denominator / 2, even = denominator % 2 == 0
        let taps = columnTapCount, inverse = reciprocal
        for y in 0..<height {
            let row = scratch + y &* sourceWidth, out = destination + y &* width
            for x in 0..<width {
                let i = index + x &* taps, k = weight + x &* taps
                var sum: Int32
                if taps == 3 {
                    // The usual case (160 to 84 columns): three taps, unrolled.
                    sum = k[0] &* Int32(row[Int(i[0])]) &+ k[1] &* Int32(row[Int(i[1])]) &+ k[2] &* Int32(row[Int(i[2])])
                } else {
                    sum = 0
                    for t in 0..<taps { sum &+= k[t] &* Int32(row[Int(i[t])]) }
                }
                let quotient = Int32(truncatingIfNeeded: (Int64(sum) &* inverse) >> 32)
                let remainder = sum &- quotient &* d
                if even && remainder == half {
                    out[x] = openCVPixel(source, y: y, x: x)
                } else {
                    out[x] = UInt8(truncatingIfNeeded: remainder > half ? quotient + 1 : quotient)
                }
            }
        }
    }

    /// One output pixel as OpenCV (and AreaResampler) compute it in Float.
    private func openCVPixel(_ source: UnsafePointer<UInt8>, y: Int, x: Int) -> UInt8 {
        var accumulator: Float = 0
        for ty in rowStart[y]..<rowStart[y + 1] {
            let row = source + rowIndex[ty] * sourceWidth
            var sum: Float = 0
            for tx in columnStart[x]..<columnStart[x + 1] { sum += Float(row[columnIndex[tx]]) * columnFloat[tx] }
            accumulator += rowFloat[ty] * sum
        }
        return UInt8(max(0, min(255, accumulator.rounded(.toNearestOrEven))))
    }
}
