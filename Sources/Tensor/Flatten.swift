// Flatten: [B, C, H, W] → [B, C·H·W] in NCHW order (PyTorch's nn.Flatten), as a view: no copy.

/// Reshapes each batch item to one row. Output and input gradient are views of their sources.
public final class Flatten: Layer {
    public var computesInputGradient = true
    // The last view made, reused while forward sees the same input tensor (steady state).
    private var lastInput: FloatTensor?
    private var lastOutput: FloatTensor?
    private var lastGradSource: FloatTensor?
    private var lastGradView: FloatTensor?

    public init() {}

    public var namedParameters: [NamedParameter] { [] }
    public func makeCopy() -> Layer { Flatten() }

    public func outputShape(forInputShape shape: [Int]) -> [Int] {
        [shape.first ?? 1, shape.dropFirst().reduce(1, *)]
    }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        if let out = lastOutput, input === lastInput { return out }
        let out = FloatTensor(viewing: input, shape: outputShape(forInputShape: input.shape))
        lastInput = input
        lastOutput = out
        return out
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let input = lastInput else { preconditionFailure("Flatten.backward: called before forward") }
        guard computesInputGradient else { return nil }
        if let view = lastGradView, gradOutput === lastGradSource, view.shape == input.shape { return view }
        let view = FloatTensor(viewing: gradOutput, shape: input.shape)
        lastGradSource = gradOutput
        lastGradView = view
        return view
    }
}
