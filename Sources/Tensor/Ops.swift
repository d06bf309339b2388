// Differentiable operations outside the layer chain, as forward/backward function pairs over
// caller-owned buffers (so a warm step allocates nothing): softmax and log-softmax along the
// last axis, sums and means, gather along the action axis, and broadcasting arithmetic.
// Rows are the leading dimensions flattened; the last axis is the class/action axis.
import Foundation

/// Forward and backward functions. Every `...Backward` overwrites its output gradient.
public enum Ops {
    // MARK: Softmax and log-softmax along the last axis

    /// y = softmax(x) along the last axis (max-subtracted, so large logits do not overflow).
    public static func softmax(_ x: FloatTensor, into y: FloatTensor) {
        let (rows, cols) = rowsAndColumns(x, "Ops.softmax")
        precondition(y.count == x.count, "Ops.softmax: output \(y.shape) for input \(x.shape)")
        for r in 0..<rows { softmaxRow(x.data + r * cols, cols, into: y.data + r * cols) }
    }

    /// dx = y ⊙ (dy − Σ dy ⊙ y) per row, from the softmax output y.
    public static func softmaxBackward(output y: FloatTensor, gradOutput dy: FloatTensor, into dx: FloatTensor) {
        let (rows, cols) = rowsAndColumns(y, "Ops.softmaxBackward")
        checkSame(y, dy, dx, "Ops.softmaxBackward")
        for r in 0..<rows {
            let o = r * cols
            var dot: Float = 0
            for c in 0..<cols { dot += dy[o + c] * y[o + c] }
            for c in 0..<cols { dx[o + c] = y[o + c] * (dy[o + c] - dot) }
        }
    }

    /// y = x − logsumexp(x) along the last axis.
    public static func logSoftmax(_ x: FloatTensor, into y: FloatTensor) {
        let (rows, cols) = rowsAndColumns(x, "Ops.logSoftmax")
        precondition(y.count == x.count, "Ops.logSoftmax: output \(y.shape) for input \(x.shape)")
        for r in 0..<rows {
            let xr = x.data + r * cols, yr = y.data + r * cols
            let lse = logSumExp(xr, cols)
            for c in 0..<cols { yr[c] = xr[c] - lse }
        }
    }

    /// dx = dy − softmax ⊙ Σ dy per row, from the log-softmax output y.
    public static func logSoftmaxBackward(output y: FloatTensor, gradOutput dy: FloatTensor, into dx: FloatTensor) {
        let (rows, cols) = rowsAndColumns(y, "Ops.logSoftmaxBackward")
        checkSame(y, dy, dx, "Ops.logSoftmaxBackward")
        for r in 0..<rows {
            let o = r * cols
            var total: Float = 0
            for c in 0..<cols { total += dy[o + c] }
            for c in 0..<cols { dx[o + c] = dy[o + c] - expf(y[o + c]) * total }
        }
    }

    // MARK: Reductions

    /// Σ x (accumulated in Double).
    public static func sum(_ x: FloatTensor) -> Float {
        var s = 0.0
        for i in 0..<x.count { s += Double(x[i]) }
        return Float(s)
    }

    /// dx = dy (a scalar) everywhere.
    public static func sumBackward(gradOutput: Float, into dx: FloatTensor) { dx.fill(gradOutput) }

    /// Mean of x.
    public static func mean(_ x: FloatTensor) -> Float { sum(x) / Float(max(x.count, 1)) }

    /// dx = dy / n everywhere.
    public static func meanBackward(gradOutput: Float, into dx: FloatTensor) {
        dx.fill(gradOutput / Float(max(dx.count, 1)))
    }

    /// y[r] = Σ_c x[r, c]: sum along the last axis.
    public static func sumLastAxis(_ x: FloatTensor, into y: FloatTensor) {
        let (rows, cols) = rowsAndColumns(x, "Ops.sumLastAxis")
        precondition(y.count == rows, "Ops.sumLastAxis: output \(y.shape) for input \(x.shape)")
        for r in 0..<rows {
            var s: Float = 0
            for c in 0..<cols { s += x[r * cols + c] }
            y[r] = s
        }
    }

    /// dx[r, c] = dy[r].
    public static func sumLastAxisBackward(gradOutput dy: FloatTensor, into dx: FloatTensor) {
        let (rows, cols) = rowsAndColumns(dx, "Ops.sumLastAxisBackward")
        precondition(dy.count == rows, "Ops.sumLastAxisBackward: gradient \(dy.shape) for input \(dx.shape)")
        for r in 0..<rows { (dx.data + r * cols).update(repeating: dy[r], count: cols) }
    }

    // MARK: Gather along the action axis

    /// y[r] = x[r, indices[r]] (Q-values of the actions taken; torch.gather(x, 1, a)).
    public static func gather(_ x: FloatTensor, indices: [Int], into y: FloatTensor) {
        let (rows, cols) = rowsAndColumns(x, "Ops.gather")
        precondition(indices.count == rows && y.count == rows,
                     "Ops.gather: \(indices.count) indices and output \(y.shape) for input \(x.shape)")
        for r in 0..<rows {
            let a = indices[r]
            precondition(a >= 0 && a < cols, "Ops.gather: index \(a) outside 0..<\(cols) at row \(r)")
            y[r] = x[r * cols + a]
        }
    }

    /// dx = 0 except dx[r, indices[r]] = dy[r].
    public static func gatherBackward(gradOutput dy: FloatTensor, indices: [Int], into dx: FloatTensor) {
        let (rows, cols) = rowsAndColumns(dx, "Ops.gatherBackward")
        precondition(indices.count == rows && dy.count == rows,
                     "Ops.gatherBackward: \(indices.count) indices and gradient \(dy.shape) for input \(dx.shape)")
        dx.fill(0)
        for r in 0..<rows { dx[r * cols + indices[r]] = dy[r] }
    }

    // MARK: Broadcasting arithmetic (NumPy rules: shapes aligned at the right, size-1 dims stretch)

    /// out = a + b with broadcasting; `out` has the broadcast shape.
    public static func add(_ a: FloatTensor, _ b: FloatTensor, into out: FloatTensor) {
        broadcast(a, b, out, "Ops.add") { $0 + $1 }
    }

    /// out = a − b with broadcasting.
    public static func subtract(_ a: FloatTensor, _ b: FloatTensor, into out: FloatTensor) {
        broadcast(a, b, out, "Ops.subtract") { $0 - $1 }
    }

    /// out = a ⊙ b with broadcasting.
    public static func multiply(_ a: FloatTensor, _ b: FloatTensor, into out: FloatTensor) {
        broadcast(a, b, out, "Ops.multiply") { $0 * $1 }
    }

    /// Gradients of out = a + b: each is dOut summed over the axes it was broadcast along.
    public static func addBackward(gradOutput: FloatTensor, gradA: FloatTensor?, gradB: FloatTensor?) {
        reduceBroadcast(gradOutput, into: gradA, sign: 1)
        reduceBroadcast(gradOutput, into: gradB, sign: 1)
    }

    /// Gradients of out = a − b.
    public static func subtractBackward(gradOutput: FloatTensor, gradA: FloatTensor?, gradB: FloatTensor?) {
        reduceBroadcast(gradOutput, into: gradA, sign: 1)
        reduceBroadcast(gradOutput, into: gradB, sign: -1)
    }

    /// Gradients of out = a ⊙ b: dA = Σ dOut ⊙ b, dB = Σ dOut ⊙ a over the broadcast axes.
    public static func multiplyBackward(_ a: FloatTensor, _ b: FloatTensor, gradOutput: FloatTensor,
                                        gradA: FloatTensor?, gradB: FloatTensor?) {
        if let gradA {
            gradA.fill(0)
            BroadcastIndexer(a.shape, b.shape, gradOutput.shape, "Ops.multiplyBackward").forEach { o, i, j in
                gradA[i] += gradOutput[o] * b[j]
            }
        }
        if let gradB {
            gradB.fill(0)
            BroadcastIndexer(a.shape, b.shape, gradOutput.shape, "Ops.multiplyBackward").forEach { o, i, j in
                gradB[j] += gradOutput[o] * a[i]
            }
        }
    }

    // MARK: Helpers

    private static func broadcast(_ a: FloatTensor, _ b: FloatTensor, _ out: FloatTensor, _ op: String,
                                  _ f: (Float, Float) -> Float) {
        if a.shape == b.shape {
            precondition(out.count == a.count, "\(op): output \(out.shape) for inputs \(a.shape), \(b.shape)")
            for i in 0..<a.count { out[i] = f(a[i], b[i]) }
            return
        }
        BroadcastIndexer(a.shape, b.shape, out.shape, op).forEach { o, i, j in out[o] = f(a[i], b[j]) }
    }

    /// grad[i] = sign · Σ of dOut over the elements that read input element i.
    private static func reduceBroadcast(_ gradOutput: FloatTensor, into grad: FloatTensor?, sign: Float) {
        guard let grad else { return }
        grad.fill(0)
        BroadcastIndexer(grad.shape, grad.shape, gradOutput.shape, "Ops.reduceBroadcast").forEach { o, i, _ in
            grad[i] += sign * gradOutput[o]
        }
    }

    static func rowsAndColumns(_ x: FloatTensor, _ op: String) -> (Int, Int) {
        precondition(!x.shape.isEmpty && x.shape.last! > 0, "\(op): needs a last axis, got \(x.shape)")
        let cols = x.shape.last!
        return (x.count / cols, cols)
    }

    private static func checkSame(_ a: FloatTensor, _ b: FloatTensor, _ c: FloatTensor, _ op: String) {
        precondition(a.count == b.count && b.count == c.count, "\(op): shapes \(a.shape), \(b.shape), \(c.shape) differ")
    }
}

/// softmax of one row.
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ n: Int, into y: UnsafeMutablePointer<Float>) {
    var m = -Float.infinity
    for c in 0..<n { m = max(m, x[c]) }
    var s: Float = 0
    for c in 0..<n {
        y[c] = expf(x[c] - m)
        s += y[c]
    }
    let inv = 1 / s
    for c in 0..<n { y[c] *= inv }
}

/// log Σ exp(x) of one row, max-subtracted.
@inline(__always)
func logSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var m = -Float.infinity
    for c in 0..<n { m = max(m, x[c]) }
    var s: Float = 0
    for c in 0..<n { s += expf(x[c] - m) }
    return m + logf(s)
}

/// Walks every element of a broadcast output with the matching flat indices into both inputs.
/// Ranks up to 8; strides live on the stack so a warm loss step allocates nothing.
struct BroadcastIndexer {
    private let a: [Int], b: [Int], out: [Int]

    init(_ a: [Int], _ b: [Int], _ out: [Int], _ op: String) {
        let rank = out.count
        precondition(rank <= 8 && a.count <= rank && b.count <= rank,
                     "\(op): cannot broadcast \(a) and \(b) to \(out)")
        for k in 0..<rank {
            let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
            let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
            precondition((da == out[k] || da == 1) && (db == out[k] || db == 1),
                         "\(op): cannot broadcast \(a) and \(b) to \(out)")
        }
        self.a = a
        self.b = b
        self.out = out
    }

    /// Calls body(outIndex, aIndex, bIndex) for every output element in row-major order.
    func forEach(_ body: (Int, Int, Int) -> Void) {
        let rank = out.count
        let total = out.reduce(1, *)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * max(rank, 1)) { scratch in
            let sa = scratch.baseAddress!, sb = sa + rank, idx = sb + rank
            // Strides of a and b in output coordinates (0 along broadcast axes).
            var strideA = 1, strideB = 1
            for k in stride(from: rank - 1, through: 0, by: -1) {
                let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
                let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
                sa[k] = da == 1 ? 0 : strideA
                sb[k] = db == 1 ? 0 : strideB
                strideA *= da
                strideB *= db
                idx[k] = 0
            }
            var ia = 0, ib = 0
            for o in 0..<total {
                body(o, ia, ib)
                var k = rank - 1
                while k >= 0 {
                    idx[k] += 1
                    ia += sa[k]
                    ib += sb[k]
                    if idx[k] < out[k] { break }
                    ia -= sa[k] * out[k]
                    ib -= sb[k] * out[k]
                    idx[k] = 0
                    k -= 1
                }
            }
        }
    }
}
