// The no-op starts of Mnih et al. (2015): after each reset, a random number (1...noopMax) of
// no-op actions, so that evaluation does not always begin from the same state.

/// After reset, takes a random number of `noopAction` steps in 1...`noopMax`.
public final class NoopReset: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let noopMax: Int
    public let noopAction: Int
    private var generator: SeededGenerator

    public init(_ inner: any Environment, noopMax: Int = 30, noopAction: Int = 0, seed: UInt64 = 0) {
        precondition(noopMax >= 1, "NoopReset: noopMax \(noopMax) must be at least 1")
        self.inner = inner
        self.noopMax = noopMax
        self.noopAction = noopAction
        self.generator = SeededGenerator(seed: seed)
    }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { generator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 0x0009)) }
        var info = inner.reset(seed: seed, observation: observation)
        let noops = 1 + generator.uniform(below: noopMax)
        for _ in 0..<noops {
            // The no-op action is inside the space by construction; a throw here is a bug.
            guard let result = try? inner.step(noopAction, observation: observation) else {
                preconditionFailure("NoopReset: no-op action \(noopAction) rejected by \(inner.actionSpace)")
            }
            info = result.info
            if result.done { info = inner.reset(seed: nil, observation: observation) }
        }
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        try inner.step(action, observation: observation)
    }

    /// The inner environment's state and the generator that draws the next no-op count.
    public struct State: Sendable {
        let inner: any Sendable
        let generator: SeededGenerator
        let setup: String
    }

    private var setup: String { "noop-max \(noopMax), no-op action \(noopAction)" }

    public func saveState() throws -> State {
        State(inner: try inner.saveAnyState(), generator: generator, setup: setup)
    }

    public func restoreState(_ state: State) throws {
        try checkSavedSetup(state.setup, setup)
        try inner.restoreAnyState(state.inner)
        generator = state.generator
    }
}
