// PyTorch's default initialisers (so a model built here starts from the same distribution as
// nn.Linear / nn.Conv2d) and the orthogonal initialiser RL agents often use, drawn from a
// caller-supplied seeded generator.

/// Weight and bias initialisation schemes.
public enum Initializer {
    /// PyTorch's default for nn.Linear / nn.Conv2d weights: kaiming_uniform(a = sqrt(5)),
    /// which is uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)). `fanIn` is inputs per output unit.
    public static func kaimingUniformDefault<G: RandomNumberGenerator>(
        _ tensor: FloatTensor, fanIn: Int, using generator: inout G) {
        // gain = sqrt(2 / (1 + a^2)) = sqrt(1/3); bound = sqrt(3) * gain / sqrt(fan_in).
        uniform(tensor, bound: 1 / Float(fanIn).squareRoot(), using: &generator)
    }

    /// PyTorch's default bias: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    public static func biasDefault<G: RandomNumberGenerator>(
        _ tensor: FloatTensor, fanIn: Int, using generator: inout G) {
        uniform(tensor, bound: fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0, using: &generator)
    }

    /// Uniform in [-bound, bound).
    public static func uniform<G: RandomNumberGenerator>(
        _ tensor: FloatTensor, bound: Float, using generator: inout G) {
        for i in 0..<tensor.count { tensor[i] = generator.uniformFloat(-bound, bound) }
    }

    /// torch.nn.init.xavier_uniform_ (Glorot & Bengio 2010), Flax's `xavier_uniform`:
    /// uniform(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)). The fans are PyTorch's:
    /// shape [out, in, k...] gives fan_in = in * prod(k), fan_out = out * prod(k); the bound is
    /// symmetric in the two, so a weight stored [in, out] gets the same one.
    public static func xavierUniform<G: RandomNumberGenerator>(
        _ tensor: FloatTensor, gain: Float = 1, using generator: inout G) {
        uniform(tensor, bound: xavierBound(shape: tensor.shape, gain: gain), using: &generator)
    }

    /// The bound of `xavierUniform` for a weight of `shape` (at least two dimensions).
    public static func xavierBound(shape: [Int], gain: Float = 1) -> Float {
        precondition(shape.count >= 2, "Initializer.xavierBound: shape \(shape) has fewer than two dimensions")
        let receptive = shape.dropFirst(2).reduce(1, *)
        let fans = (shape[0] + shape[1]) * receptive
        return gain * (6 / Float(fans)).squareRoot()
    }

    /// Sets every element to `value` (zero biases).
    public static func constant(_ tensor: FloatTensor, _ value: Float) { tensor.fill(value) }

    /// torch.nn.init.orthogonal_: the tensor viewed as rows = shape[0], cols = the rest, set to
    /// a (semi-)orthogonal matrix times `gain`: QR of a Gaussian matrix with Q's columns signed
    /// by R's diagonal (done here by modified Gram–Schmidt in Double, which yields exactly that Q).
    public static func orthogonal<G: RandomNumberGenerator>(
        _ tensor: FloatTensor, gain: Float = 1, using generator: inout G) {
        let rows = tensor.shape.first ?? 1
        let cols = rows == 0 ? 0 : tensor.count / rows
        // Orthonormalise the columns of a tall (n x m, n >= m) Gaussian matrix.
        let n = max(rows, cols), m = min(rows, cols)
        var a = [Double](repeating: 0, count: n * m)  // column-major: column j at a[j*n ..< (j+1)*n]
        for i in 0..<(n * m) { a[i] = generator.standardNormal() }
        for j in 0..<m {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<n { dot += a[k * n + i] * a[j * n + i] }
                for i in 0..<n { a[j * n + i] -= dot * a[k * n + i] }
            }
            var norm = 0.0
            for i in 0..<n { norm += a[j * n + i] * a[j * n + i] }
            norm = norm.squareRoot()
            for i in 0..<n { a[j * n + i] /= norm }
        }
        // Q is n x m; the tensor is rows x cols: Q itself when rows >= cols, else Q transposed.
        for r in 0..<rows {
            for c in 0..<cols {
                let q = rows >= cols ? a[c * n + r] : a[r * n + c]
                tensor[r * cols + c] = Float(q) * gain
            }
        }
    }
}
