// Loss functions with PyTorch's definitions and mean reductions. Each returns the loss and
// writes (or, with `accumulate`, adds) the gradient with respect to its input scaled by
// `scale`, so an agent can combine several losses on one buffer without extra passes.
import Foundation

/// Scalar losses: value returned, gradient written into a caller-owned buffer.
public enum Loss {
    /// mean((prediction − target)²), as F.mse_loss. Gradient 2(p − t)/n.
    @discardableResult
    public static func meanSquaredError(prediction: FloatTensor, target: FloatTensor,
                                        gradient: FloatTensor? = nil, scale: Float = 1,
                                        accumulate: Bool = false) -> Float {
        check(prediction, target, gradient, "Loss.meanSquaredError")
        let n = prediction.count
        var total = 0.0
        for i in 0..<n {
            let d = prediction[i] - target[i]
            total += Double(d * d)
            if let gradient { write(gradient, i, scale * 2 * d / Float(n), accumulate) }
        }
        return Float(total / Double(n))
    }

    /// Smooth L1 / Huber as F.smooth_l1_loss(beta: 1), mean reduction:
    /// 0.5 d²/β where |d| < β, else |d| − 0.5β. Gradient d/β or sign(d), over n.
    @discardableResult
    public static func huber(prediction: FloatTensor, target: FloatTensor, beta: Float = 1,
                             gradient: FloatTensor? = nil, scale: Float = 1,
                             accumulate: Bool = false) -> Float {
        check(prediction, target, gradient, "Loss.huber")
        precondition(beta > 0, "Loss.huber: beta \(beta) must be positive")
        let n = prediction.count
        var total = 0.0
        for i in 0..<n {
            let d = prediction[i] - target[i]
            let ad = abs(d)
            let g: Float
            if ad < beta {
                total += Double(0.5 * d * d / beta)
                g = d / beta
            } else {
                total += Double(ad - 0.5 * beta)
                g = d > 0 ? 1 : -1
            }
            if let gradient { write(gradient, i, scale * g / Float(n), accumulate) }
        }
        return Float(total / Double(n))
    }

    /// Cross-entropy of logits [B, C] against class labels, mean over the batch, as
    /// F.cross_entropy. Gradient (softmax − one-hot)/B.
    @discardableResult
    public static func crossEntropy(logits: FloatTensor, labels: [Int], gradient: FloatTensor? = nil,
                                    scale: Float = 1, accumulate: Bool = false) -> Float {
        let (rows, cols) = Ops.rowsAndColumns(logits, "Loss.crossEntropy")
        precondition(labels.count == rows, "Loss.crossEntropy: \(labels.count) labels for logits \(logits.shape)")
        if let gradient { precondition(gradient.count == logits.count, "Loss.crossEntropy: gradient \(gradient.shape) for logits \(logits.shape)") }
        var total = 0.0
        let invB = 1 / Float(rows)
        for r in 0..<rows {
            let x = logits.data + r * cols
            let label = labels[r]
            precondition(label >= 0 && label < cols, "Loss.crossEntropy: label \(label) outside 0..<\(cols)")
            let lse = logSumExp(x, cols)
            total += Double(lse - x[label])
            if let gradient {
                for c in 0..<cols {
                    let p = expf(x[c] - lse)
                    write(gradient, r * cols + c, scale * (p - (c == label ? 1 : 0)) * invB, accumulate)
                }
            }
        }
        return Float(total / Double(rows))
    }

    /// Entropy of the categorical distributions softmax(logits) [B, C], mean over the batch:
    /// H = −Σ p log p. Gradient wrt logits: −p (log p + H), over B. (Maximise it by passing a
    /// negative `scale` into a loss being minimised.)
    @discardableResult
    public static func categoricalEntropy(logits: FloatTensor, gradient: FloatTensor? = nil,
                                          scale: Float = 1, accumulate: Bool = false) -> Float {
        let (rows, cols) = Ops.rowsAndColumns(logits, "Loss.categoricalEntropy")
        if let gradient { precondition(gradient.count == logits.count, "Loss.categoricalEntropy: gradient \(gradient.shape) for logits \(logits.shape)") }
        var total = 0.0
        let invB = 1 / Float(rows)
        for r in 0..<rows {
            let x = logits.data + r * cols
            let lse = logSumExp(x, cols)
            var h: Float = 0
            for c in 0..<cols {
                let logp = x[c] - lse
                h -= expf(logp) * logp
            }
            total += Double(h)
            if let gradient {
                for c in 0..<cols {
                    let logp = x[c] - lse
                    write(gradient, r * cols + c, scale * (-expf(logp) * (logp + h)) * invB, accumulate)
                }
            }
        }
        return Float(total / Double(rows))
    }

    @inline(__always)
    private static func write(_ g: FloatTensor, _ i: Int, _ v: Float, _ accumulate: Bool) {
        if accumulate { g[i] += v } else { g[i] = v }
    }

    private static func check(_ p: FloatTensor, _ t: FloatTensor, _ g: FloatTensor?, _ op: String) {
        precondition(p.count == t.count && p.count > 0, "\(op): prediction \(p.shape) and target \(t.shape) differ")
        if let g { precondition(g.count == p.count, "\(op): gradient \(g.shape) for prediction \(p.shape)") }
    }
}
