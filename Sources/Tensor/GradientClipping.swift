// Global-norm gradient clipping with torch.nn.utils.clip_grad_norm_'s semantics.

/// Gradient clipping over a set of parameters.
public enum GradientClipping {
    /// Scales every gradient by min(1, maxNorm / (‖g‖ + 1e-6)) where ‖g‖ is the L2 norm of all
    /// gradients together, as clip_grad_norm_; returns ‖g‖ before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var sumOfSquares = 0.0
        for p in parameters {
            let g = p.gradient
            var s: Float = 0
            for i in 0..<g.count { s += g[i] * g[i] }
            sumOfSquares += Double(s)
        }
        let norm = Float(sumOfSquares.squareRoot())
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 {
            for p in parameters {
                let g = p.gradient
                for i in 0..<g.count { g[i] *= coefficient }
            }
        }
        return norm
    }
}
