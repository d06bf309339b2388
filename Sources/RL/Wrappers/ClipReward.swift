// DQN's reward clipping (Mnih et al., 2015): rewards become their sign, so one learning rate
// serves games whose scores differ by orders of magnitude.

/// Replaces each reward by its sign: -1, 0 or +1.
public final class ClipReward: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment

    public init(_ inner: any Environment) { self.inner = inner }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        inner.reset(seed: seed, observation: observation)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        var result = try inner.step(action, observation: observation)
        result.reward = result.reward > 0 ? 1 : (result.reward < 0 ? -1 : 0)
        return result
    }

    // The state is the inner environment's: clipping keeps none of its own.
    public func saveState() throws -> PassThroughState<ClipReward> { try savePassThrough(setup: "") }

    public func restoreState(_ state: PassThroughState<ClipReward>) throws { try restorePassThrough(state, setup: "") }
}
