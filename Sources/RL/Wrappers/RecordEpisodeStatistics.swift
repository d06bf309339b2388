// Gymnasium's RecordEpisodeStatistics: accumulates an episode's return, length and wall time
// and reports them in `StepInfo.episode` on the step that ends it, for logging and evaluation.

/// Reports return, length and seconds of each finished episode in `StepInfo.episode`.
public final class RecordEpisodeStatistics: EnvironmentWrapper {
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
}
