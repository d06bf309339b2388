// A fully connected layer over one-hot inputs that reads only the hot positions: the input is
// the list of hot indices, and y = b + Σ W[index]. It computes what `Linear` computes on the
// dense one-hot vector (the tests check that), at a seventh of the cost for a 7x7 MiniGrid
// view (147 hot positions of 1029): the first layer was most of a DQN update's arithmetic.
// The weight is stored [in, out] (PyTorch's nn.EmbeddingBag layout, mode "sum") so each hot
// index reads and updates one contiguous row.
import Tensor

/// y[b] = bias + Σ_j weight[index[b, j]] for `activeCount` hot indices per item (negative
/// indices are skipped). Input [B, activeCount] of indices stored as floats; output [B, out].
/// The input is data, so there is no input gradient (`computesInputGradient` must be false,
/// as it is for the first layer of a `Sequential`).
public final class OneHotLinear: Layer {
    /// Size of the dense one-hot vector.
    public let inFeatures: Int
    public let outFeatures: Int
    /// Hot indices per item.
    public let activeCount: Int
    /// [inFeatures, outFeatures]: row i is what a hot position i adds.
    public let weight: Parameter
    public let bias: Parameter
    public var computesInputGradient = false {
        didSet { precondition(!computesInputGradient, "OneHotLinear: its input (indices) has no gradient") }
    }

    private var outputs: [Int: FloatTensor] = [:]
    private var lastInput: FloatTensor?

    /// A layer initialised as PyTorch's nn.Linear(inFeatures, outFeatures) would be: weights
    /// and bias uniform in ±1/sqrt(inFeatures).
    public init<G: RandomNumberGenerator>(_ inFeatures: Int, _ outFeatures: Int, activeCount: Int, generator: inout G) {
        precondition(inFeatures > 0 && outFeatures > 0 && activeCount > 0,
                     "OneHotLinear(\(inFeatures), \(outFeatures), active \(activeCount)): sizes must be positive")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.activeCount = activeCount
        weight = Parameter(shape: [inFeatures, outFeatures])
        bias = Parameter(shape: [outFeatures])
        Initializer.kaimingUniformDefault(weight.value, fanIn: inFeatures, using: &generator)
        Initializer.biasDefault(bias.value, fanIn: inFeatures, using: &generator)
    }

    private init(copying other: OneHotLinear) {
        inFeatures = other.inFeatures
        outFeatures = other.outFeatures
        activeCount = other.activeCount
        weight = other.weight.copyingValue()
        bias = other.bias.copyingValue()
    }

    public func makeCopy() -> Layer { OneHotLinear(copying: self) }

    /// Built once: traversal runs every update and must not allocate.
    public private(set) lazy var namedParameters: [NamedParameter] = [
        NamedParameter(name: "weight", parameter: weight), NamedParameter(name: "bias", parameter: bias),
    ]

    public func outputShape(forInputShape shape: [Int]) -> [Int] { [shape.first ?? 1, outFeatures] }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        let batch = input.batchSize
        precondition(input.itemCount == activeCount,
                     "OneHotLinear.forward: input \(input.shape) does not hold \(activeCount) indices per item")
        let output: FloatTensor
        if let cached = outputs[batch] { output = cached } else {
            output = FloatTensor(shape: [batch, outFeatures])
            outputs[batch] = output
        }
        lastInput = input
        gatherRows(indices: input.data, batch: batch, active: activeCount, rows: inFeatures,
                   table: weight.value.data, bias: bias.value.data, width: outFeatures, into: output.data)
        return output
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let x = lastInput else { preconditionFailure("OneHotLinear.backward: called before forward") }
        let batch = x.batchSize
        precondition(gradOutput.count == batch * outFeatures,
                     "OneHotLinear.backward: gradient \(gradOutput.shape) for \(batch) x \(outFeatures) outputs")
        scatterRows(indices: x.data, batch: batch, active: activeCount, rows: inFeatures,
                    gradient: gradOutput.data, width: outFeatures, into: weight.gradient.data)
        let biasGradient = bias.gradient.data
        for b in 0..<batch {
            let row = gradOutput.data + b * outFeatures
            for o in 0..<outFeatures { biasGradient[o] += row[o] }
        }
        return nil
    }
}

/// out[b] = bias + Σ_j table[indices[b, j]] (rows of `width` floats; negative indices skipped).
private func gatherRows(indices: UnsafePointer<Float>, batch: Int, active: Int, rows: Int,
                        table: UnsafePointer<Float>, bias: UnsafePointer<Float>, width: Int,
                        into out: UnsafeMutablePointer<Float>) {
    for b in 0..<batch {
        let y = out + b * width
        y.update(from: bias, count: width)
        for j in 0..<active {
            let index = Int(indices[b * active + j])
            if index < 0 { continue }
            precondition(index < rows, "OneHotLinear: index \(index) outside 0..<\(rows)")
            let row = table + index * width
            for o in 0..<width { y[o] += row[o] }
        }
    }
}

/// table[indices[b, j]] += gradient[b] for every hot index (the weight gradient).
private func scatterRows(indices: UnsafePointer<Float>, batch: Int, active: Int, rows: Int,
                         gradient: UnsafePointer<Float>, width: Int, into table: UnsafeMutablePointer<Float>) {
    for b in 0..<batch {
        let g = gradient + b * width
        for j in 0..<active {
            let index = Int(indices[b * active + j])
            if index < 0 { continue }
            precondition(index < rows, "OneHotLinear: index \(index) outside 0..<\(rows)")
            let row = table + index * width
            for o in 0..<width { row[o] += g[o] }
        }
    }
}
