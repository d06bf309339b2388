// Adam exactly as torch.optim.Adam (amsgrad off): m ← lerp(m, g, 1−β1), v ← β2 v + (1−β2) g²,
// p ← p − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε). Note ε is added after the bias
// correction of sqrt(v), which is where PyTorch puts it.
import Foundation

/// torch.optim.Adam(lr, betas, eps, weight_decay).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public var stepCount = 0
    private let parameters: [NamedParameter]
    private let firstMoments: [FloatTensor]
    private let secondMoments: [FloatTensor]

    public init(parameters: [NamedParameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = zeroStates(like: parameters)
        secondMoments = zeroStates(like: parameters)
    }

    public var stateTensors: [(name: String, tensor: FloatTensor)] {
        var list: [(name: String, tensor: FloatTensor)] = []
        for (k, p) in parameters.enumerated() {
            list.append(("\(p.name).exp_avg", firstMoments[k]))
            list.append(("\(p.name).exp_avg_sq", secondMoments[k]))
        }
        return list
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = 1 - pow(Double(beta1), t)
        let correction2Root = (1 - pow(Double(beta2), t)).squareRoot()
        let stepSize = Float(Double(learningRate) / correction1)
        for (k, named) in parameters.enumerated() {
            let p = named.parameter
            let (pv, g, m, v) = (p.value.data, p.gradient.data, firstMoments[k].data, secondMoments[k].data)
            let state = AdamPass(p: pv, g: g, m: m, v: v, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                 stepSize: stepSize, inverseCorrection2Root: Float(1 / correction2Root),
                                 weightDecay: weightDecay)
            // Elementwise, so any split of the elements gives the same result.
            parallelRanges(p.value.count, minimumPerPart: 32768, state: state) { state, start, end in
                state.assumingMemoryBound(to: AdamPass.self).pointee.update(start..<end)
            }
        }
    }
}

/// One tensor's Adam step: its buffers and this step's constants, handed to the pool's threads.
private struct AdamPass {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, inverseCorrection2Root: Float
    let weightDecay: Float

    /// Updates elements `range`. Two copies of the loop, so the common no-decay case has no
    /// branch and vectorises.
    func update(_ range: Range<Int>) {
        let o = range.lowerBound
        if weightDecay == 0 {
            adamUpdate(p + o, g + o, m + o, v + o, count: range.count, beta1: beta1, beta2: beta2, epsilon: epsilon,
                       stepSize: stepSize, inverseCorrection2Root: inverseCorrection2Root, weightDecay: 0, decays: false)
        } else {
            adamUpdate(p + o, g + o, m + o, v + o, count: range.count, beta1: beta1, beta2: beta2, epsilon: epsilon,
                       stepSize: stepSize, inverseCorrection2Root: inverseCorrection2Root, weightDecay: weightDecay,
                       decays: true)
        }
    }
}

/// One tensor's Adam update, fused into one pass over p, g, m, v, four lanes at a time (the
/// same operations in the same order as the scalar tail, so every element gets the same result).
@inline(__always)
private func adamUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                        beta1: Float, beta2: Float, epsilon: Float, stepSize: Float,
                        inverseCorrection2Root: Float, weightDecay: Float, decays: Bool) {
    let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
    var i = 0
    while i + 4 <= count {
        var grad = load4(g, i)
        let param = load4(p, i)
        if decays { grad += weightDecay * param }
        var mi = load4(m, i)
        mi += oneMinusBeta1 * (grad - mi)
        let vi = beta2 * load4(v, i) + oneMinusBeta2 * grad * grad
        store4(mi, m, i)
        store4(vi, v, i)
        let denominator = squareRoot4(vi) * inverseCorrection2Root + epsilon
        store4(param - stepSize * mi / denominator, p, i)
        i += 4
    }
    while i < count {
        var grad = g[i]
        if decays { grad += weightDecay * p[i] }
        m[i] += oneMinusBeta1 * (grad - m[i])
        v[i] = beta2 * v[i] + oneMinusBeta2 * grad * grad
        let denominator = v[i].squareRoot() * inverseCorrection2Root + epsilon
        p[i] -= stepSize * m[i] / denominator
        i += 1
    }
}
