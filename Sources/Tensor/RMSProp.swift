// RMSProp as torch.optim.RMSprop: s ← α s + (1−α) g²; centred also tracks ḡ ← lerp(ḡ, g, 1−α)
// and uses s − ḡ²; then p −= lr · g / (sqrt(·) + ε), or through a momentum buffer.

/// torch.optim.RMSprop(lr, alpha, eps, momentum, centered, weight_decay).
public final class RMSProp: Optimizer {
    public var learningRate: Float
    public let alpha: Float
    public let epsilon: Float
    public let momentum: Float
    public let centered: Bool
    public let weightDecay: Float
    public var stepCount = 0
    private let parameters: [NamedParameter]
    private let squareAverages: [FloatTensor]
    private let gradientAverages: [FloatTensor]
    private let momentumBuffers: [FloatTensor]

    public init(parameters: [NamedParameter], learningRate: Float = 1e-2, alpha: Float = 0.99,
                epsilon: Float = 1e-8, momentum: Float = 0, centered: Bool = false, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.weightDecay = weightDecay
        squareAverages = zeroStates(like: parameters)
        gradientAverages = centered ? zeroStates(like: parameters) : []
        momentumBuffers = momentum > 0 ? zeroStates(like: parameters) : []
    }

    public var stateTensors: [(name: String, tensor: FloatTensor)] {
        var list: [(name: String, tensor: FloatTensor)] = []
        for (k, p) in parameters.enumerated() {
            list.append(("\(p.name).square_avg", squareAverages[k]))
            if centered { list.append(("\(p.name).grad_avg", gradientAverages[k])) }
            if momentum > 0 { list.append(("\(p.name).momentum_buffer", momentumBuffers[k])) }
        }
        return list
    }

    public func step() {
        stepCount += 1
        for (k, named) in parameters.enumerated() {
            let p = named.parameter
            let gAvg = centered ? gradientAverages[k].data : nil
            let buf = momentum > 0 ? momentumBuffers[k].data : nil
            // The plain case gets its own branch-free copy of the loop, which vectorises.
            if weightDecay == 0 && gAvg == nil && buf == nil {
                rmspropUpdate(p.value.data, p.gradient.data, squareAverages[k].data, nil, nil,
                              count: p.value.count, lr: learningRate, alpha: alpha, epsilon: epsilon,
                              momentum: 0, weightDecay: 0)
            } else {
                rmspropUpdate(p.value.data, p.gradient.data, squareAverages[k].data, gAvg, buf,
                              count: p.value.count, lr: learningRate, alpha: alpha, epsilon: epsilon,
                              momentum: momentum, weightDecay: weightDecay)
            }
        }
    }
}

/// One tensor's RMSProp update in one pass.
@inline(__always)
private func rmspropUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                           _ s: UnsafeMutablePointer<Float>, _ gAvg: UnsafeMutablePointer<Float>?,
                           _ buf: UnsafeMutablePointer<Float>?, count: Int, lr: Float, alpha: Float,
                           epsilon: Float, momentum: Float, weightDecay: Float) {
    for i in 0..<count {
        var grad = g[i]
        if weightDecay != 0 { grad += weightDecay * p[i] }
        s[i] = alpha * s[i] + (1 - alpha) * grad * grad
        var variance = s[i]
        if let gAvg {
            gAvg[i] += (1 - alpha) * (grad - gAvg[i])
            variance -= gAvg[i] * gAvg[i]
        }
        let denominator = variance.squareRoot() + epsilon
        if let buf {
            buf[i] = momentum * buf[i] + grad / denominator
            p[i] -= lr * buf[i]
        } else {
            p[i] -= lr * grad / denominator
        }
    }
}
