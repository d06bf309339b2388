// Machado et al. (2018)'s sticky actions: with probability p the environment repeats the
// previous action instead of the chosen one, which removes the determinism agents can exploit.
// The wrapper owns its generator, seeded from the reset seed, so runs stay reproducible.

/// With probability `probability`, executes the previous action instead of the given one.
public final class StickyActions: EnvironmentWrapper, StateSavingEnvironment {
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

    /// The inner environment's state, the generator and the action a repeat would take.
    public struct State: Sendable {
        let inner: any Sendable
        let generator: SeededGenerator
        let previousAction: Int
        let probability: Double
    }

    public func saveState() throws -> State {
        State(inner: try inner.saveAnyState(), generator: generator, previousAction: previousAction, probability: probability)
    }

    public func restoreState(_ state: State) throws {
        try checkSavedSetup("probability \(state.probability)", "probability \(probability)")
        try inner.restoreAnyState(state.inner)
        generator = state.generator
        previousAction = state.previousAction
    }
}
