// A fully connected layer, y = x W^T + b, as PyTorch's nn.Linear (weight [out, in]) so
// state_dict names and layouts map one to one. Forward and both gradients are single sgemms
// (an sgemv for a single input).
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
            // W (5x faster for the Nature CNN's 3136x512 layer).
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outF), Int32(inF), 1, weight.value.data, Int32(inF),
                        input.data, 1, bias == nil ? 0 : 1, y.data, 1)
        } else {
            gemm(transA: false, transB: true, m: batch, n: outF, k: inF,
                 input.data, weight.value.data, beta: bias == nil ? 0 : 1, y.data)
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
        // dW [out, in] += dY^T [out, B] · x [B, in]
        gemm(transA: true, transB: false, m: outFeatures, n: inFeatures, k: batch,
             gradOutput.data, x.data, beta: 1, weight.gradient.data)
        if let bias { addColumnSums(gradOutput.data, rows: batch, cols: outFeatures, into: bias.gradient.data) }
        guard computesInputGradient else { return nil }
        // dX [B, in] = dY [B, out] · W [out, in]
        gemm(transA: false, transB: false, m: batch, n: inFeatures, k: outFeatures,
             gradOutput.data, weight.value.data, beta: 0, buffers.gradInput.data)
        return buffers.gradInput
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
