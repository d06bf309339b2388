// A policy that can show what it computed for its last action (Q-values for the DQN family,
// action probabilities for actor-critic), so recordings and the viewer's panel can carry them.
import Replay

/// A policy whose per-action outputs behind its last action can be read.
public protocol ExplainedPolicy: Policy {
    /// What the outputs are.
    var outputKind: AgentOutputKind { get }
    /// The outputs behind the last action returned (one per action), valid until the next
    /// call to `beginEpisode` or `step`.
    var lastOutputs: UnsafeBufferPointer<Float> { get }
}
