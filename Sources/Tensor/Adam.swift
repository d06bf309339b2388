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
            adamUpdate(p.value.data, p.gradient.data, firstMoments[k].data, secondMoments[k].data,
                       count: p.value.count, beta1: beta1, beta2: beta2, epsilon: epsilon,
                       stepSize: stepSize, inverseCorrection2Root: Float(1 / correction2Root),
                       weightDecay: weightDecay)
        }
    }
}

/// One tensor's Adam update, fused into one pass over p, g, m, v.
@inline(__always)
private func adamUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                        beta1: Float, beta2: Float, epsilon: Float, stepSize: Float,
                        inverseCorrection2Root: Float, weightDecay: Float) {
    let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
    for i in 0..<count {
        var grad = g[i]
        if weightDecay != 0 { grad += weightDecay * p[i] }
        m[i] += oneMinusBeta1 * (grad - m[i])
        v[i] = beta2 * v[i] + oneMinusBeta2 * grad * grad
        let denominator = v[i].squareRoot() * inverseCorrection2Root + epsilon
        p[i] -= stepSize * m[i] / denominator
    }
}
