// A chain of layers, itself a layer; parameter names follow PyTorch's nn.Sequential state_dict
// ("0.weight", "0.bias", "3.weight", ...), so goldens and safetensors files map one to one.

/// Layers applied in order. By default the first layer computes no input gradient (its input
/// is data); set `computesInputGradient` when the input's gradient is wanted.
///
/// `@unchecked Sendable` for A3C: a worker's model is built on one thread and handed to its
/// worker thread, and the shared model's parameters are read and updated by every worker
/// without locks (Hogwild, racy by design, see `Parameter`). What stays the caller's duty:
/// `forward`/`backward` of one model never run on two threads at once (they reuse buffers).
public final class Sequential: Layer, @unchecked Sendable {
    public let layers: [Layer]

    public var computesInputGradient: Bool {
        didSet { layers.first?.computesInputGradient = computesInputGradient }
    }

    /// A chain of `layers`; the first one is told its input needs no gradient.
    public init(_ layers: [Layer]) {
        precondition(!layers.isEmpty, "Sequential: no layers")
        self.layers = layers
        computesInputGradient = false
        layers.first?.computesInputGradient = false
        for layer in layers.dropFirst() { layer.computesInputGradient = true }
        // A convolution followed by a ReLU applies it in its own layout moves (one pass fewer
        // each way over the largest activations); the ReLU layer stays, for state_dict indices.
        for (layer, next) in zip(layers, layers.dropFirst()) {
            if let conv = layer as? Conv2D, let relu = next as? ReLU {
                conv.fusesReLU = true
                relu.passesThrough = true
            }
        }
    }

    public func makeCopy() -> Layer {
        let copy = Sequential(layers.map { $0.makeCopy() })
        copy.computesInputGradient = computesInputGradient
        return copy
    }

    /// Built once (the layers are fixed): traversal runs every step and must not allocate.
    public private(set) lazy var namedParameters: [NamedParameter] = {
        var list: [NamedParameter] = []
        for (i, layer) in layers.enumerated() {
            for p in layer.namedParameters {
                list.append(NamedParameter(name: "\(i).\(p.name)", parameter: p.parameter))
            }
        }
        return list
    }()

    public func outputShape(forInputShape shape: [Int]) -> [Int] {
        layers.reduce(shape) { $1.outputShape(forInputShape: $0) }
    }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        var x = input
        for layer in layers { x = layer.forward(x) }
        return x
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        var g: FloatTensor? = gradOutput
        for layer in layers.reversed() {
            guard let current = g else { return nil }
            g = layer.backward(current)
        }
        return g
    }
}
