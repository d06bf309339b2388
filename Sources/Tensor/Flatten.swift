// Flatten: [B, C, H, W] → [B, C·H·W] in NCHW order (PyTorch's nn.Flatten), as a view: no copy.

/// Reshapes each batch item to one row. Output and input gradient are views of their sources.
public final class Flatten: Layer {
    public var computesInputGradient = true
    /// The views made for each batch size, reused while the same source tensors come back
    /// (the steady state, also when acting at batch 1 and learning at 32 alternate).
    private struct Views {
        var input: FloatTensor?, output: FloatTensor?
        var gradSource: FloatTensor?, gradView: FloatTensor?
    }
    private var views: [Int: Views] = [:]
    private var lastInput: FloatTensor?

    public init() {}

    public var namedParameters: [NamedParameter] { [] }
    public func makeCopy() -> Layer { Flatten() }

    public func outputShape(forInputShape shape: [Int]) -> [Int] {
        [shape.first ?? 1, shape.dropFirst().reduce(1, *)]
    }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        lastInput = input
        let batch = input.batchSize
        if let cached = views[batch], cached.input === input, let out = cached.output { return out }
        let out = FloatTensor(viewing: input, shape: outputShape(forInputShape: input.shape))
        views[batch, default: Views()].input = input
        views[batch, default: Views()].output = out
        return out
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let input = lastInput else { preconditionFailure("Flatten.backward: called before forward") }
        guard computesInputGradient else { return nil }
        let batch = input.batchSize
        if let cached = views[batch], cached.gradSource === gradOutput, let view = cached.gradView,
           view.shape == input.shape { return view }
        let view = FloatTensor(viewing: gradOutput, shape: input.shape)
        views[batch, default: Views()].gradSource = gradOutput
        views[batch, default: Views()].gradView = view
        return view
    }
}
