// FIRE at reset, as the DQN-era wrappers (OpenAI Baselines' FireResetEnv) do for games that
// wait for FIRE to serve or launch: after every reset, one FIRE step then one step of the
// second action (UP), resetting again if either ends the episode. Gymnasium's
// AtariPreprocessing does not do this; the presets leave it off unless `fire-reset=true`.
import RL

/// Presses FIRE (then the second action) after every reset.
public final class FireReset: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    /// The action index of FIRE and of the action stepped after it.
    public let fireAction: Int
    public let secondAction: Int

    public init(_ inner: any Environment, fireAction: Int, secondAction: Int) {
        precondition(inner.actionSpace.discreteCount.map { fireAction < $0 && secondAction < $0 } ?? false,
                     "FireReset: actions \(fireAction), \(secondAction) outside \(inner.actionSpace)")
        self.inner = inner
        self.fireAction = fireAction
        self.secondAction = secondAction
    }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        var info = inner.reset(seed: seed, observation: observation)
        for action in [fireAction, secondAction] {
            // Both actions are inside the space (checked at init); a throw here is a bug.
            guard let result = try? inner.step(action, observation: observation) else {
                preconditionFailure("FireReset: action \(action) rejected by \(inner.actionSpace)")
            }
            info = result.info
            if result.done { info = inner.reset(seed: nil, observation: observation) }
        }
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        try inner.step(action, observation: observation)
    }

    // The state is the inner environment's: pressing FIRE keeps none of its own.
    public func saveState() throws -> PassThroughState<FireReset> {
        try savePassThrough(setup: "actions \(fireAction), \(secondAction)")
    }

    public func restoreState(_ state: PassThroughState<FireReset>) throws {
        try restorePassThrough(state, setup: "actions \(fireAction), \(secondAction)")
    }
}
