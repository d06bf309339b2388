// Gymnasium's RecordEpisodeStatistics: accumulates an episode's return, length and wall time
// and reports them in `StepInfo.episode` on the step that ends it, for logging and evaluation.

/// Reports return, length and seconds of each finished episode in `StepInfo.episode`.
public final class RecordEpisodeStatistics: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    private var episodeReturn = 0.0
    private var length = 0
    private var start = ContinuousClock.now

    public init(_ inner: any Environment) { self.inner = inner }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        episodeReturn = 0
        length = 0
        start = ContinuousClock.now
        return inner.reset(seed: seed, observation: observation)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        var result = try inner.step(action, observation: observation)
        episodeReturn += Double(result.reward)
        length += 1
        if result.done {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            result.info.episode = EpisodeStatistics(episodeReturn: episodeReturn, length: length, seconds: seconds)
        }
        return result
    }

    /// The inner environment's state and the episode's return, length and start so far (the
    /// start is a wall-clock instant: a restored episode reports the time since it began).
    public struct State: Sendable {
        let inner: any Sendable
        let episodeReturn: Double
        let length: Int
        let start: ContinuousClock.Instant
    }

    public func saveState() throws -> State {
        State(inner: try inner.saveAnyState(), episodeReturn: episodeReturn, length: length, start: start)
    }

    public func restoreState(_ state: State) throws {
        try inner.restoreAnyState(state.inner)
        episodeReturn = state.episodeReturn
        length = state.length
        start = state.start
    }
}
