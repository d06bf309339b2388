// The layer contract: explicit forward and backward passes (llm.c, Darknet), each layer
// owning its outputs and workspaces per batch size so a warm training step allocates nothing.

/// A differentiable layer with an explicit backward pass.
///
/// `forward` returns a tensor the layer owns and reuses (valid until its next `forward` at the
/// same batch size); it remembers its input for `backward`. `backward` takes the gradient of
/// the loss with respect to the last forward's output, adds the parameter gradients into
/// each `Parameter.gradient`, and returns the gradient with respect to the input, or nil when
/// `computesInputGradient` is false (the first layer of a network, whose input is data).
public protocol Layer: AnyObject {
    /// The output shape for an input shape (batch first).
    func outputShape(forInputShape shape: [Int]) -> [Int]
    /// Computes the output for `input`; remembers `input` for `backward`.
    func forward(_ input: FloatTensor) -> FloatTensor
    /// Accumulates parameter gradients; returns the input gradient unless not wanted.
    @discardableResult func backward(_ gradOutput: FloatTensor) -> FloatTensor?
    /// Whether `backward` computes the gradient with respect to the input.
    var computesInputGradient: Bool { get set }
    /// Parameters with local names ("weight", "bias"; "0.weight" inside Sequential).
    var namedParameters: [NamedParameter] { get }
    /// A new layer of the same architecture holding a copy of this one's parameter values
    /// (target networks, A3C workers). Workspaces are not shared.
    func makeCopy() -> Layer
}

extension Layer {
    /// The parameters in traversal order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// Total number of trainable scalars.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.value.count } }

    /// Clears every parameter gradient.
    public func zeroGradients() {
        for p in namedParameters { p.parameter.zeroGradient() }
    }


    /// Copies parameter values from a layer of the same architecture (target networks).
    /// Mismatched names or shapes are a programmer error.
    public func copyParameters(from other: Layer) {
        copyParameters(from: other.namedParameters)
    }

    /// Copies parameter values from another model's parameter list (an A3C worker pulling the
    /// shared parameters, e.g. `SharedRMSProp.sharedParameters`).
    public func copyParameters(from theirs: [NamedParameter]) {
        let mine = namedParameters
        precondition(mine.count == theirs.count,
                     "copyParameters(from:): \(theirs.count) parameters into a model with \(mine.count)")
        for (a, b) in zip(mine, theirs) {
            precondition(a.name == b.name && a.parameter.shape == b.parameter.shape,
                         "copyParameters(from:): \(b.name) \(b.parameter.shape) into \(a.name) \(a.parameter.shape)")
            a.parameter.value.copy(from: b.parameter.value)
        }
    }
}

/// Per-batch-size storage for a layer's reused buffers: one entry per batch size seen, so
/// alternating inference (batch 1) and training (batch 32) never reallocates.
struct BatchCache<Entry> {
    private var entries: [Int: Entry] = [:]

    /// The entry for `batch`, made by `make` the first time only.
    mutating func entry(batch: Int, make: () -> Entry) -> Entry {
        if let e = entries[batch] { return e }
        let e = make()
        entries[batch] = e
        return e
    }
}
