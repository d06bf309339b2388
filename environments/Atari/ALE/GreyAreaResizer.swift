// OpenCV's INTER_AREA shrink of one grey frame (210x160 to 84x84 for the Atari presets) in
// exact integer arithmetic. Area weights are rationals (covered length over cell length), so
// every output is an exact fraction S / D; it is rounded as OpenCV's Float computation rounds
// it, and only an exact tie (S / D = n + 1/2, where Float rounding error decides) is recomputed
// in OpenCV's Float order (rows' horizontal sums, then the vertical sum). The result equals
// RL's AreaResampler (OpenCV's order in Float) pixel for pixel, at a fraction of its cost: the
// vertical pass runs first over whole rows, contiguous and vectorisable, then the horizontal
// pass over the same row while it is in cache. A caller that knows which source rows changed
// since its last resize recomputes only the output rows that read them.

/// Precomputed integer taps for shrinking a `sourceHeight` x `sourceWidth` grey frame.
public struct GreyAreaResizer: Sendable {
    public let sourceHeight, sourceWidth, height, width: Int
    /// Taps per output row / column: source index, integer weight, OpenCV's Float weight.
    private let rowStart: [Int], rowIndex: [Int], rowWeight: [UInt16], rowFloat: [Float]
    private let columnStart: [Int], columnIndex: [Int], columnFloat: [Float]
    /// The common denominator of a full output: (row denominator) x (column denominator).
    private let denominator: Int32
    /// ceil(2^32 / denominator): n / denominator as a multiply and a shift (exact for n below
    /// 2^32 / denominator, which every rounded sum, at most 255.5 x denominator, is).
    private let reciprocal: Int64
    /// Column taps as windows: output x reads the `columnTapCount` consecutive columns from
    /// `windowFirst[x]` with `windowWeight` (0 where a column is outside its cell), so the
    /// horizontal pass loads one index per output and runs a loop the compiler unrolls.
    private let columnTapCount: Int
    private let windowFirst: [Int32], windowWeight: [Int32]

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
        // The rounded sums (255.5 x denominator at most) must fit Int32 and keep the reciprocal
        // division exact (n x denominator < 2^32).
        let largest = 255 * Int(denominator) + Int(denominator) / 2
        guard largest < Int(Int32.max), largest * Int(denominator) < 1 << 32 else { return nil }
        reciprocal = ((Int64(1) << 32) + Int64(denominator) - 1) / Int64(denominator)
        // A cell's columns are consecutive; the widest cell sets the window.
        var span = 1
        for x in 0..<width {
            let cell = columns.index[columns.start[x]..<columns.start[x + 1]]
            span = max(span, (cell.max() ?? 0) - (cell.min() ?? 0) + 1)
        }
        columnTapCount = span
        var first = [Int32](repeating: 0, count: width), weight = [Int32](repeating: 0, count: width * span)
        for x in 0..<width {
            let cell = columns.start[x]..<columns.start[x + 1]
            let start = min(cell.map { columns.index[$0] }.min() ?? 0, sourceWidth - span)
            first[x] = Int32(start)
            for tap in cell { weight[x * span + columns.index[tap] - start] += columns.weight[tap] }
        }
        (windowFirst, windowWeight) = (first, weight)
    }

    /// UInt16s of scratch `resize` needs (one row of the vertical pass).
    public var scratchCount: Int { sourceWidth }

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
        resizeRows(source, destination, scratch, reuse: nil)
    }

    /// As `resize`, but recomputes only the output rows that read a source row flagged in
    /// `changedRows` (sourceHeight flags) and copies the others from `previous`: this resizer's
    /// output for the source as it was before those changes (it may be `destination` itself).
    /// Atari screens keep most rows from one frame skip to the next.
    public func resize(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>,
                       scratch: UnsafeMutablePointer<UInt16>, previous: UnsafePointer<UInt8>,
                       changedRows: UnsafePointer<Bool>) {
        resizeRows(source, destination, scratch, reuse: (previous, changedRows))
    }

    private func resizeRows(_ source: UnsafePointer<UInt8>, _ destination: UnsafeMutablePointer<UInt8>,
                            _ scratch: UnsafeMutablePointer<UInt16>,
                            reuse: (previous: UnsafePointer<UInt8>, changed: UnsafePointer<Bool>)?) {
        rowIndex.withUnsafeBufferPointer { rIndex in
            rowWeight.withUnsafeBufferPointer { rWeight in
                rowStart.withUnsafeBufferPointer { rStart in
                    windowFirst.withUnsafeBufferPointer { cFirst in
                        windowWeight.withUnsafeBufferPointer { cWeight in
                            let start = rStart.baseAddress!, index = rIndex.baseAddress!
                            for y in 0..<height {
                                let out = destination + y &* width
                                if let reuse, !(start[y]..<start[y + 1]).contains(where: { reuse.changed[index[$0]] }) {
                                    let kept = reuse.previous + y &* width
                                    if kept != UnsafePointer(out) { out.update(from: kept, count: width) }
                                    continue
                                }
                                verticalRow(y, source, scratch, start, index, rWeight.baseAddress!)
                                horizontalRow(y, source, scratch, out, cFirst.baseAddress!, cWeight.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// row[x] = sum over the row taps of y of weight x source[tap row][x]; the inner loop is
    /// contiguous over x so the compiler vectorises it.
    @inline(__always)
    private func verticalRow(_ y: Int, _ source: UnsafePointer<UInt8>, _ row: UnsafeMutablePointer<UInt16>,
                             _ start: UnsafePointer<Int>, _ index: UnsafePointer<Int>, _ weight: UnsafePointer<UInt16>) {
        let w = sourceWidth
        row.update(repeating: 0, count: w)
        for tap in start[y]..<start[y + 1] {
            let line = source + index[tap] &* w, k = weight[tap]
            for x in 0..<w { row[x] &+= k &* UInt16(line[x]) }
        }
    }

    /// out[x] = the weighted sum of row's window for x (row: output row y after the vertical
    /// pass), rounded to nearest; exact ties are settled by OpenCV's Float computation. The
    /// division is a multiply by the reciprocal (a hardware divide per pixel cost more than the
    /// rest of the resize), of the sum plus half the denominator, so rounding is the quotient and
    /// a tie is an exact one.
    @inline(__always)
    private func horizontalRow(_ y: Int, _ source: UnsafePointer<UInt8>, _ row: UnsafePointer<UInt16>,
                               _ out: UnsafeMutablePointer<UInt8>,
                               _ first: UnsafePointer<Int32>, _ weight: UnsafePointer<Int32>) {
        let d = denominator, half = denominator / 2, even = denominator % 2 == 0
        let taps = columnTapCount, inverse = reciprocal
        for x in 0..<width {
            let r = row + Int(first[x]), k = weight + x &* taps
            var sum: Int32
            if taps == 3 {
                // The usual case (160 to 84 columns): three columns, unrolled.
                sum = k[0] &* Int32(r[0]) &+ k[1] &* Int32(r[1]) &+ k[2] &* Int32(r[2])
            } else {
                sum = 0
                for t in 0..<taps { sum &+= k[t] &* Int32(r[t]) }
            }
            let biased = sum &+ half
            let quotient = Int32(truncatingIfNeeded: (Int64(biased) &* inverse) &>> 32)
            if even && biased == quotient &* d {
                out[x] = openCVPixel(source, y: y, x: x)
            } else {
                out[x] = UInt8(truncatingIfNeeded: quotient)
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
