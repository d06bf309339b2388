// The contract between an agent and the training loop, in the spirit of Dopamine's
// begin_episode / step / end_episode: the loop owns the environment and hands the agent each
// observation and reward; the agent stores transitions, learns when it is due, and answers
// with an action. Evaluation uses a separate `Policy` that never learns.
import Foundation

/// A learning agent driven one environment step at a time.
public protocol Agent: AnyObject {
    /// Starts an episode from its first observation; returns the first action.
    func beginEpisode(observation: UnsafeRawBufferPointer) -> Int
    /// Records the reward of the last action and the observation it led to (the episode
    /// goes on); learns if an update is due; returns the next action.
    func step(reward: Float, observation: UnsafeRawBufferPointer) -> Int
    /// Records the last step of an episode: `terminated` (bootstrap from zero) or truncated
    /// by a time limit (bootstrap from `observation`, the final one).
    func endEpisode(reward: Float, terminated: Bool, observation: UnsafeRawBufferPointer)

    /// Environment steps the agent has taken (its schedules run on it).
    var stepCount: Int { get }
    /// The exploration rate now (for progress lines and metrics; 0 where not applicable).
    var explorationRate: Double { get }
    /// Mean loss and mean Q (or value) over the updates since the last call, and their
    /// number; clears the running sums.
    func takeDiagnostics() -> AgentDiagnostics

    /// A policy for evaluation with exploration rate `epsilon` and its own generator.
    func makeEvaluationPolicy(epsilon: Double, seed: UInt64) -> Policy
    /// The exploration rate its papers evaluate with (0.05 for DQN, 0.001 for Atari 100k).
    var evaluationEpsilon: Double { get }

    /// Writes everything needed to continue learning exactly (networks, optimiser, replay,
    /// generators, counters) into `directory`, which exists; file names must not clash with
    /// the loop's `trainer.json` and the store's `manifest.json`.
    func save(to directory: URL) throws
    /// Restores what `save(to:)` wrote; with `weightsOnly`, only what acting needs.
    func load(from directory: URL, weightsOnly: Bool) throws
}

/// Acting without learning, for evaluation.
public protocol Policy: AnyObject {
    func beginEpisode(observation: UnsafeRawBufferPointer) -> Int
    func step(observation: UnsafeRawBufferPointer) -> Int
}

/// Running means of an agent's learning signals.
public struct AgentDiagnostics: Sendable, Equatable {
    public var meanLoss: Double?
    public var meanValue: Double?
    public var updates: Int
    public init(meanLoss: Double?, meanValue: Double?, updates: Int) {
        self.meanLoss = meanLoss
        self.meanValue = meanValue
        self.updates = updates
    }
}
