// The dueling head of Wang et al. (2016): a state value V and action advantages A from the
// same features, combined as Q = V + A - mean_a A (their equation 9), which keeps V and A
// identifiable. Dopamine's Rainbow puts one linear layer per stream on the encoder's
// features; so does this.
import Tensor

/// Features [B, f] → Q-values [B, actions] through value and advantage streams.
public final class DuelingHead: Layer {
    public let value: Linear
    public let advantage: Linear
    public var computesInputGradient = true

    private struct Buffers {
        let output: FloatTensor      // [B, A]
        let gradValue: FloatTensor   // [B, 1]
        let gradAdvantage: FloatTensor  // [B, A]
        let gradInput: FloatTensor   // [B, f]
    }
    private var cache: [Int: Buffers] = [:]
    private var current: Buffers?

    public init<G: RandomNumberGenerator>(features: Int, actions: Int, generator: inout G) {
        value = Linear(features, 1, generator: &generator)
        advantage = Linear(features, actions, generator: &generator)
    }

    private init(value: Linear, advantage: Linear) {
        self.value = value
        self.advantage = advantage
    }

    public func makeCopy() -> Layer {
        DuelingHead(value: value.makeCopy() as! Linear, advantage: advantage.makeCopy() as! Linear)
    }

    public var namedParameters: [NamedParameter] {
        value.namedParameters.map { NamedParameter(name: "value.\($0.name)", parameter: $0.parameter) }
            + advantage.namedParameters.map { NamedParameter(name: "advantage.\($0.name)", parameter: $0.parameter) }
    }

    public func outputShape(forInputShape shape: [Int]) -> [Int] { [shape.first ?? 1, advantage.outFeatures] }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        let batch = input.batchSize, actions = advantage.outFeatures, features = advantage.inFeatures
        if cache[batch] == nil {
            cache[batch] = Buffers(output: FloatTensor(shape: [batch, actions]), gradValue: FloatTensor(shape: [batch, 1]),
                                   gradAdvantage: FloatTensor(shape: [batch, actions]), gradInput: FloatTensor(shape: [batch, features]))
        }
        let buffers = cache[batch]!
        current = buffers
        let v = value.forward(input)
        let adv = advantage.forward(input)
        combine(v.data, adv.data, batch: batch, actions: actions, into: buffers.output.data)
        return buffers.output
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let buffers = current else { preconditionFailure("DuelingHead.backward: called before forward") }
        let batch = gradOutput.batchSize, actions = advantage.outFeatures
        // dV = sum_a dQ; dA = dQ - mean_a dQ (the mean's gradient spread over every action).
        for b in 0..<batch {
            let row = gradOutput.data + b * actions
            var sum: Float = 0
            for a in 0..<actions { sum += row[a] }
            buffers.gradValue.data[b] = sum
            let mean = sum / Float(actions)
            for a in 0..<actions { buffers.gradAdvantage.data[b * actions + a] = row[a] - mean }
        }
        value.computesInputGradient = computesInputGradient
        advantage.computesInputGradient = computesInputGradient
        let gv = value.backward(buffers.gradValue)
        let ga = advantage.backward(buffers.gradAdvantage)
        guard computesInputGradient, let gv, let ga else { return nil }
        for i in 0..<buffers.gradInput.count { buffers.gradInput.data[i] = gv.data[i] + ga.data[i] }
        return buffers.gradInput
    }
}

/// Q[b, a] = V[b] + A[b, a] - mean_a A[b, a].
private func combine(_ v: UnsafePointer<Float>, _ adv: UnsafePointer<Float>, batch: Int, actions: Int,
                     into q: UnsafeMutablePointer<Float>) {
    for b in 0..<batch {
        let row = adv + b * actions
        var sum: Float = 0
        for a in 0..<actions { sum += row[a] }
        let mean = sum / Float(actions)
        for a in 0..<actions { q[b * actions + a] = v[b] + row[a] - mean }
    }
}
