// A fully connected layer, y = x W^T + b, as PyTorch's nn.Linear (weight [out, in]) so
// state_dict names and layouts map one to one. Forward and both gradients are single sgemms
// (an sgemv for a single input), each split by features across the engine's threads.
import CBLAS

/// Fully connected layer. Input [B, in] (or any [B, ...] holding `in` values per item),
/// output [B, out]. Weight [out, in], bias [out].
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    public var computesInputGradient = true

    private struct Buffers {
        let output: FloatTensor     // [B, out]
        let gradInput: FloatTensor  // [B, in]
    }
    private var cache = BatchCache<Buffers>()
    private var current: Buffers?
    private var lastInput: FloatTensor?

    /// A layer with PyTorch's default initialisation drawn from `generator`.
    public init<G: RandomNumberGenerator>(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true,
                                          generator: inout G) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear(\(inFeatures), \(outFeatures)): sizes must be positive")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(shape: [outFeatures, inFeatures])
        self.bias = bias ? Parameter(shape: [outFeatures]) : nil
        Initializer.kaimingUniformDefault(weight.value, fanIn: inFeatures, using: &generator)
        if let b = self.bias { Initializer.biasDefault(b.value, fanIn: inFeatures, using: &generator) }
    }

    private init(copying other: Linear) {
        inFeatures = other.inFeatures
        outFeatures = other.outFeatures
        weight = other.weight.copyingValue()
        bias = other.bias?.copyingValue()
        computesInputGradient = other.computesInputGradient
    }

    public func makeCopy() -> Layer { Linear(copying: self) }

    /// Built once: traversal runs every step (zeroGradients) and must not allocate.
    public private(set) lazy var namedParameters: [NamedParameter] = {
        var list = [NamedParameter(name: "weight", parameter: weight)]
        if let bias { list.append(NamedParameter(name: "bias", parameter: bias)) }
        return list
    }()

    public func outputShape(forInputShape shape: [Int]) -> [Int] { [shape.first ?? 1, outFeatures] }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        let batch = input.batchSize
        precondition(input.itemCount == inFeatures,
                     "Linear.forward: input \(input.shape) does not hold \(inFeatures) features per item")
        let (inF, outF) = (inFeatures, outFeatures)
        let buffers = cache.entry(batch: batch) {
            Buffers(output: FloatTensor(shape: [batch, outF]), gradInput: FloatTensor(shape: [batch, inF]))
        }
        current = buffers
        lastInput = input
        let y = buffers.output
        // Start from the bias rows so the product adds into them (beta 1): one pass fewer.
        if let bias {
            for b in 0..<batch { (y.data + b * outF).update(from: bias.value.data, count: outF) }
        }
        if batch == 1 {
            // Acting: a matrix-vector product reads W once, where sgemm would first pack all of
            // W (5x faster for the Nature CNN's 3136x512 layer). One thread: waking another
            // costs more than it saves at this size.
            prepareBLAS()
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outF), Int32(inF), 1, weight.value.data, Int32(inF),
                        input.data, 1, bias == nil ? 0 : 1, y.data, 1)
        } else {
            // y[:, outputs] = x · W[outputs, :]^T, one block of output features per thread.
            let state = LinearPass(batch: batch, inFeatures: inF, outFeatures: outF, input: input.data,
                                   weight: weight.value.data, output: y.data, beta: bias == nil ? 0 : 1)
            parallelParts(parts(batch), state: state) { state, part, parts in
                state.assumingMemoryBound(to: LinearPass.self).pointee.forward(part: part, of: parts)
            }
        }
        return y
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let buffers = current, let x = lastInput else {
            preconditionFailure("Linear.backward: called before forward")
        }
        let batch = x.batchSize
        precondition(gradOutput.count == batch * outFeatures,
                     "Linear.backward: gradient \(gradOutput.shape) for output \(buffers.output.shape)")
        if let bias { addColumnSums(gradOutput.data, rows: batch, cols: outFeatures, into: bias.gradient.data) }
        // dW [out, in] += dY^T [out, B] · x [B, in], split by output features; then
        // dX [B, in] = dY [B, out] · W [out, in], split by input features.
        let state = LinearPass(batch: batch, inFeatures: inFeatures, outFeatures: outFeatures, input: x.data,
                               weight: weight.value.data, output: buffers.gradInput.data, beta: 0,
                               gradOutput: gradOutput.data, weightGradient: weight.gradient.data,
                               computesInputGradient: computesInputGradient)
        parallelParts(parts(batch), state: state) { state, part, parts in
            state.assumingMemoryBound(to: LinearPass.self).pointee.backward(part: part, of: parts)
        }
        guard computesInputGradient else { return nil }
        return buffers.gradInput
    }
}

extension Linear {
    /// Threads for one of this layer's GEMMs: all of them for the big layers, one where the
    /// product is too small to pay for waking a thread (under ~1 MFLOP).
    fileprivate func parts(_ batch: Int) -> Int {
        batch * inFeatures * outFeatures >= 500_000 ? min(BLAS.threadCount, outFeatures, inFeatures) : 1
    }
}

/// One linear layer's GEMMs, split by features between threads (no two pieces write the same
/// element, so results do not depend on the split).
private struct LinearPass {
    let batch: Int, inFeatures: Int, outFeatures: Int
    /// The layer's input [B, in].
    let input: UnsafePointer<Float>
    /// [out, in].
    let weight: UnsafePointer<Float>
    /// Forward: y [B, out]. Backward: dX [B, in].
    let output: UnsafeMutablePointer<Float>
    /// Forward: 1 when y already holds the bias.
    let beta: Float
    var gradOutput: UnsafePointer<Float>? = nil
    var weightGradient: UnsafeMutablePointer<Float>? = nil
    var computesInputGradient = false

    private func share(_ count: Int, _ part: Int, _ parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// y[:, o] = x · W[o, :]^T (+ y) for this part's output features o.
    func forward(part: Int, of parts: Int) {
        let o = share(outFeatures, part, parts)
        guard !o.isEmpty else { return }
        gemm(transA: false, transB: true, m: batch, n: o.count, k: inFeatures,
             input, lda: inFeatures, weight + o.lowerBound * inFeatures, ldb: inFeatures, beta: beta,
             output + o.lowerBound, ldc: outFeatures)
    }

    /// dW[o, :] += dY[:, o]^T · x for this part's output features, then dX[:, i] = dY · W[:, i]
    /// for its input features i.
    func backward(part: Int, of parts: Int) {
        guard let dy = gradOutput, let dw = weightGradient else { return }
        let o = share(outFeatures, part, parts)
        if !o.isEmpty {
            gemm(transA: true, transB: false, m: o.count, n: inFeatures, k: batch,
                 dy + o.lowerBound, lda: outFeatures, input, ldb: inFeatures, beta: 1,
                 dw + o.lowerBound * inFeatures, ldc: inFeatures)
        }
        guard computesInputGradient else { return }
        let i = share(inFeatures, part, parts)
        guard !i.isEmpty else { return }
        gemm(transA: false, transB: false, m: batch, n: i.count, k: outFeatures,
             dy, lda: outFeatures, weight + i.lowerBound, ldb: inFeatures, beta: 0,
             output + i.lowerBound, ldc: inFeatures)
    }
}

/// out[c] += Σ_r m[r, c] for a row-major [rows, cols] matrix (bias gradients).
@inline(__always)
func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * cols
        for c in 0..<cols { out[c] += row[c] }
    }
}
