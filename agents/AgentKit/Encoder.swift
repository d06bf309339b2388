// The encoders shared by every agent, built from an `ObservationLayout`: the Nature CNN for
// image stacks, a smaller CNN for small images, an MLP for vectors and symbolic grids. Each
// returns its layers and its feature count so agents append their own heads (Q-values,
// policy and value) into one `Sequential`, whose parameter names stay PyTorch-like; then
// `WeightInit` may re-draw the whole network (Dopamine's Xavier-uniform scheme).
import Tensor

/// Builders of encoder layers.
public enum Encoder {
    /// The encoder's layers for `layout` and the number of features they output.
    /// `hidden` is the MLP's hidden width (two layers).
    public static func makeLayers<G: RandomNumberGenerator>(for layout: ObservationLayout, hidden: Int = 256,
                                                            generator: inout G) -> (layers: [Layer], features: Int) {
        let input = layout.inputShape
        switch layout.encoder {
        case .nature:
            return convolutional(input, [(32, 8, 4), (64, 4, 2), (64, 3, 1)], linear: 512, &generator)
        case .small:
            return convolutional(input, [(32, 5, 2), (64, 3, 2), (64, 3, 2)], linear: 256, &generator)
        case .symbolic:
            // Linear on the one-hot vector, computed from its hot positions only.
            return ([OneHotLinear(layout.oneHotWidth, hidden, activeCount: input[0], generator: &generator), ReLU(),
                     Linear(hidden, hidden, generator: &generator), ReLU()], hidden)
        case .mlp, .auto:
            let n = input[0]
            return ([Linear(n, hidden, generator: &generator), ReLU(),
                     Linear(hidden, hidden, generator: &generator), ReLU()], hidden)
        }
    }

    /// Convolutions (channels, kernel, stride) with ReLUs, flattened into one linear layer.
    private static func convolutional<G: RandomNumberGenerator>(_ input: [Int], _ convs: [(Int, Int, Int)], linear: Int,
                                                                _ generator: inout G) -> (layers: [Layer], features: Int) {
        var layers: [Layer] = []
        var shape = [1] + input
        for (channels, kernel, stride) in convs {
            let conv = Conv2D(shape[1], channels, kernelSize: kernel, stride: stride, generator: &generator)
            shape = conv.outputShape(forInputShape: shape)
            precondition(shape[2] > 0 && shape[3] > 0, "Encoder: input \(input) is too small for the convolutions")
            layers += [conv, ReLU()]
        }
        layers.append(Flatten())
        layers += [Linear(shape[1] * shape[2] * shape[3], linear, generator: &generator), ReLU()]
        return (layers, linear)
    }
}

/// How an agent's network starts.
public enum WeightInit: String, Sendable, CaseIterable, Codable {
    /// PyTorch's defaults for nn.Linear / nn.Conv2d, which the layers draw when built.
    case torch
    /// Xavier-uniform weights and zero biases: what Dopamine's JAX networks set, among them the
    /// FullRainbowNetwork of its DrQ(eps) configuration (`nn.initializers.xavier_uniform()`
    /// kernels, Flax's zero biases).
    case xavier

    /// Re-draws `parameters` (a freshly built network's) by this scheme: nothing for `torch`;
    /// for `xavier`, every weight of two or more dimensions from `Initializer.xavierUniform` and
    /// every parameter named `bias` or `*.bias` set to zero.
    public func apply<G: RandomNumberGenerator>(to parameters: [NamedParameter], generator: inout G) {
        guard self == .xavier else { return }
        for named in parameters {
            let value = named.parameter.value
            if named.name == "bias" || named.name.hasSuffix(".bias") {
                Initializer.constant(value, 0)
            } else if value.shape.count >= 2 {
                Initializer.xavierUniform(value, using: &generator)
            }
        }
    }
}
