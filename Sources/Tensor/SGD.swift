// Stochastic gradient descent with optional momentum, as torch.optim.SGD (dampening 0): the
// first step's buffer is the gradient itself, later buf = μ·buf + g, and p −= lr·buf.

/// torch.optim.SGD(lr, momentum, weight_decay) without dampening or Nesterov.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public var stepCount = 0
    private let parameters: [NamedParameter]
    private let buffers: [FloatTensor]

    public init(parameters: [NamedParameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        buffers = momentum == 0 ? [] : zeroStates(like: parameters)
    }

    public var stateTensors: [(name: String, tensor: FloatTensor)] {
        zip(parameters, buffers).map { ("\($0.name).momentum_buffer", $1) }
    }

    public func step() {
        for (k, named) in parameters.enumerated() {
            let p = named.parameter
            sgdUpdate(p.value.data, p.gradient.data, momentum == 0 ? nil : buffers[k].data,
                      count: p.value.count, lr: learningRate, momentum: momentum,
                      weightDecay: weightDecay, first: stepCount == 0)
        }
        stepCount += 1
    }
}

/// One tensor's SGD update; `first` seeds the momentum buffer with the gradient, as PyTorch does.
@inline(__always)
private func sgdUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                       _ buf: UnsafeMutablePointer<Float>?, count: Int, lr: Float, momentum: Float,
                       weightDecay: Float, first: Bool) {
    for i in 0..<count {
        var d = g[i]
        if weightDecay != 0 { d += weightDecay * p[i] }
        if let buf {
            buf[i] = first ? d : momentum * buf[i] + d
            d = buf[i]
        }
        p[i] -= lr * d
    }
}
