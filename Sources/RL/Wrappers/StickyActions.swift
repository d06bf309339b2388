// Machado et al. (2018)'s sticky actions: with probability p the environment repeats the
// previous action instead of the chosen one, which removes the determinism agents can exploit.
// The wrapper owns its generator, seeded from the reset seed, so runs stay reproducible.

/// With probability `probability`, executes the previous action instead of the given one.
public final class StickyActions: EnvironmentWrapper {
    public let inner: any Environment
    public let probability: Double
    private var generator: SeededGenerator
    private var previousAction = 0

    /// `seed` seeds the wrapper's own generator until a `reset(seed:)` reseeds it.
    public init(_ inner: any Environment, probability: Double = 0.25, seed: UInt64 = 0) {
        precondition((0...1).contains(probability), "StickyActions: probability \(probability) outside 0...1")
        self.inner = inner
        self.probability = probability
        self.generator = SeededGenerator(seed: seed)
    }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { generator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 0x571C)) }
        previousAction = 0
        return inner.reset(seed: seed, observation: observation)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        if let n = actionSpace.discreteCount, !(0..<n).contains(action) {
            throw EnvironmentError.invalidAction(action, space: actionSpace)
        }
        let executed = generator.bernoulli(probability) ? previousAction : action
        previousAction = executed
        return try inner.step(executed, observation: observation)
    }
}
