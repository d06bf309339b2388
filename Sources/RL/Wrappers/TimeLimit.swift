// Gymnasium's TimeLimit: truncates an episode after a fixed number of steps. The cut is
// reported as `truncated`, never `terminated`, so learners bootstrap through it.

/// Ends an episode with `truncated` after `maxSteps` steps.
public final class TimeLimit: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let maxSteps: Int
    private var elapsed = 0
    private var finished = false

    public init(_ inner: any Environment, maxSteps: Int) {
        precondition(maxSteps > 0, "TimeLimit: maxSteps \(maxSteps) must be positive")
        self.inner = inner
        self.maxSteps = maxSteps
    }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        elapsed = 0
        finished = false
        return inner.reset(seed: seed, observation: observation)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        if finished { throw EnvironmentError.stepAfterEpisodeEnd }
        var result = try inner.step(action, observation: observation)
        elapsed += 1
        if elapsed >= maxSteps { result.truncated = true }
        finished = result.done
        return result
    }

    /// The inner environment's state and the steps taken in the episode.
    public struct State: Sendable {
        let inner: any Sendable
        let elapsed: Int
        let finished: Bool
        let maxSteps: Int
    }

    public func saveState() throws -> State {
        State(inner: try inner.saveAnyState(), elapsed: elapsed, finished: finished, maxSteps: maxSteps)
    }

    public func restoreState(_ state: State) throws {
        try checkSavedSetup("max steps \(state.maxSteps)", "max steps \(maxSteps)")
        try inner.restoreAnyState(state.inner)
        elapsed = state.elapsed
        finished = state.finished
    }
}
