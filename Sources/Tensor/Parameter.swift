// A trainable tensor and its gradient, the unit that optimisers, clipping, copying and
// safetensors files work on.

/// A trainable value with a gradient buffer of the same shape. Layers accumulate into
/// `gradient` during `backward`; `zeroGradient()` clears it.
///
/// `@unchecked Sendable`: A3C workers update a shared model's parameters without locks
/// (Hogwild, as the A3C paper does); the races are part of the algorithm, and each element is
/// a plain Float so a torn update only mixes two valid values.
public final class Parameter: @unchecked Sendable {
    /// The parameter's values.
    public let value: FloatTensor
    /// The gradient accumulated since the last `zeroGradient()`.
    public let gradient: FloatTensor

    /// A zero-valued parameter of `shape` with a zero gradient.
    public init(shape: [Int]) {
        value = FloatTensor(shape: shape)
        gradient = FloatTensor(shape: shape)
    }

    public var shape: [Int] { value.shape }

    /// Clears the gradient.
    public func zeroGradient() { gradient.fill(0) }
}

/// A parameter with its stable name (PyTorch state_dict style, e.g. "0.weight").
public struct NamedParameter: Sendable {
    public let name: String
    public let parameter: Parameter
    public init(name: String, parameter: Parameter) {
        self.name = name
        self.parameter = parameter
    }
}

extension Parameter {
    /// A new parameter of the same shape holding a copy of this one's value (a layer's copy
    /// for a target network or an A3C worker); its gradient starts at zero.
    public func copyingValue() -> Parameter {
        let copy = Parameter(shape: value.shape)
        copy.value.copy(from: value)
        return copy
    }
}
