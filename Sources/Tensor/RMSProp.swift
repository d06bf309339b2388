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
            let state = RMSPropPass(p: p.value.data, g: p.gradient.data, s: squareAverages[k].data,
                                    gAvg: centered ? gradientAverages[k].data : nil,
                                    buf: momentum > 0 ? momentumBuffers[k].data : nil,
                                    lr: learningRate, alpha: alpha, epsilon: epsilon, momentum: momentum,
                                    weightDecay: weightDecay)
            // Elementwise, so any split of the elements gives the same result.
            parallelRanges(p.value.count, minimumPerPart: 32768, state: state) { state, start, end in
                state.assumingMemoryBound(to: RMSPropPass.self).pointee.update(start..<end)
            }
        }
    }
}

/// One tensor's RMSProp step: its buffers and constants, handed to the pool's threads.
private struct RMSPropPass {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, s: UnsafeMutablePointer<Float>
    let gAvg: UnsafeMutablePointer<Float>?, buf: UnsafeMutablePointer<Float>?
    let lr: Float, alpha: Float, epsilon: Float, momentum: Float, weightDecay: Float

    /// Updates elements `range`: the plain and the centred cases (DQN's Nature preset) each
    /// get a branch-free four-lane loop; momentum or weight decay take the general loop.
    func update(_ range: Range<Int>) {
        let o = range.lowerBound
        if weightDecay == 0 && buf == nil {
            rmspropUpdate4(p + o, g + o, s + o, gAvg.map { $0 + o }, count: range.count, lr: lr, alpha: alpha,
                           epsilon: epsilon)
        } else {
            rmspropUpdate(p + o, g + o, s + o, gAvg.map { $0 + o }, buf.map { $0 + o }, count: range.count,
                          lr: lr, alpha: alpha, epsilon: epsilon, momentum: momentum, weightDecay: weightDecay)
        }
    }
}

/// Plain or centred RMSProp without momentum or decay, four lanes at a time: the same
/// operations in the same order as `rmspropUpdate` (sqrtps rounds like sqrtss), so every
/// element gets the same result as the scalar loop.
@inline(__always)
private func rmspropUpdate4(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ s: UnsafeMutablePointer<Float>, _ gAvg: UnsafeMutablePointer<Float>?,
                            count: Int, lr: Float, alpha: Float, epsilon: Float) {
    let oneMinusAlpha = 1 - alpha
    var i = 0
    if let gAvg {
        while i + 4 <= count {
            let grad = load4(g, i)
            let si = alpha * load4(s, i) + oneMinusAlpha * grad * grad
            store4(si, s, i)
            var ga = load4(gAvg, i)
            ga += oneMinusAlpha * (grad - ga)
            store4(ga, gAvg, i)
            let denominator = squareRoot4(si - ga * ga) + epsilon
            store4(load4(p, i) - lr * grad / denominator, p, i)
            i += 4
        }
    } else {
        while i + 4 <= count {
            let grad = load4(g, i)
            let si = alpha * load4(s, i) + oneMinusAlpha * grad * grad
            store4(si, s, i)
            let denominator = squareRoot4(si) + epsilon
            store4(load4(p, i) - lr * grad / denominator, p, i)
            i += 4
        }
    }
    rmspropUpdate(p + i, g + i, s + i, gAvg.map { $0 + i }, nil, count: count - i, lr: lr, alpha: alpha,
                  epsilon: epsilon, momentum: 0, weightDecay: 0)
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
