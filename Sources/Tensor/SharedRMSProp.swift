// The A3C paper's optimiser (Mnih et al. 2016, "shared RMSProp"): one set of squared-gradient
// statistics for the shared parameters, updated lock-free by every worker thread with its own
// gradients: s ← α s + (1−α) g², θ ← θ − η g / sqrt(s + ε) (ε inside the root, as the paper).

/// RMSProp whose parameters and statistics are shared by asynchronous workers (Hogwild).
///
/// `@unchecked Sendable`: workers call `step(applyingGradientsOf:)` concurrently without locks,
/// as in the A3C paper. Each element update reads and writes plain Floats, so a race only
/// loses or mixes individual updates (which Hogwild tolerates); no memory is ever reallocated
/// after `init`, so no thread can see a dangling buffer. `learningRate` is written by one thread
/// (the schedule) and read by all; a stale read is harmless.
public final class SharedRMSProp: Optimizer, @unchecked Sendable {
    public var learningRate: Float
    public let alpha: Float
    public let epsilon: Float
    public var stepCount = 0
    private let parameters: [NamedParameter]
    private let squareAverages: [FloatTensor]

    /// The shared model's parameters, for workers to pull with `copyParameters(from:)`.
    public var sharedParameters: [NamedParameter] { parameters }

    /// `parameters` are the shared model's; the paper's defaults are α 0.99, ε 0.1.
    public init(parameters: [NamedParameter], learningRate: Float = 7e-4, alpha: Float = 0.99,
                epsilon: Float = 0.1) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        squareAverages = zeroStates(like: parameters)
    }

    public var stateTensors: [(name: String, tensor: FloatTensor)] {
        zip(parameters, squareAverages).map { ("\($0.name).square_avg", $1) }
    }

    /// Updates the shared parameters from their own gradients (single-threaded use, A2C).
    public func step() {
        step(applyingGradientsOf: parameters.map(\.parameter))
    }

    /// Updates the shared parameters from a worker's gradients. `gradients` are the worker
    /// model's parameters, in the same order and shapes as the shared ones.
    public func step(applyingGradientsOf gradients: [Parameter]) {
        precondition(gradients.count == parameters.count,
                     "SharedRMSProp.step: \(gradients.count) worker parameters for \(parameters.count) shared")
        for (k, named) in parameters.enumerated() {
            let p = named.parameter
            precondition(gradients[k].shape == p.shape,
                         "SharedRMSProp.step: worker \(gradients[k].shape) for shared \(named.name) \(p.shape)")
            sharedRMSPropUpdate(p.value.data, gradients[k].gradient.data, squareAverages[k].data,
                                count: p.value.count, lr: learningRate, alpha: alpha, epsilon: epsilon)
        }
        stepCount += 1
    }
}

/// One tensor's update from one worker. Races with other workers are tolerated (Hogwild).
@inline(__always)
private func sharedRMSPropUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                                 _ s: UnsafeMutablePointer<Float>, count: Int, lr: Float, alpha: Float,
                                 epsilon: Float) {
    for i in 0..<count {
        let grad = g[i]
        let updated = alpha * s[i] + (1 - alpha) * grad * grad
        s[i] = updated
        p[i] -= lr * grad / (updated + epsilon).squareRoot()
    }
}
