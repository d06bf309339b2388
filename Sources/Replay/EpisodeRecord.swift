// What the store knows about one recorded episode without reading its steps: the index row
// that `rl episodes` lists and filters, and the spaces and names that give the steps meaning.
import Foundation
import RL

/// Why an episode was played: learning, evaluating a checkpoint, or a person at the keyboard.
public enum EpisodeKind: String, Sendable, Equatable, CaseIterable {
    case training
    case evaluation
    case human
}

/// What the agent reported per step beside its action.
public enum AgentOutputKind: String, Sendable, Equatable {
    /// Nothing (a random agent, a person).
    case none
    /// One action value per action (DQN family).
    case qValues = "q_values"
    /// One probability per action (actor-critic family).
    case probabilities
}

/// The index row of one recorded episode.
public struct EpisodeRecord: Sendable, Equatable {
    /// The episode's id inside its store (the number `rl export --episode` takes).
    public var id: Int64
    /// The run of the store that recorded it.
    public var runID: Int64
    /// The environment's identifier, e.g. `maze/empty-8`.
    public var environmentID: String
    /// The agent's short name, e.g. `dqn`.
    public var agent: String
    /// The checkpoint that acted, where known.
    public var checkpoint: String?
    /// The seed handed to `reset`, where one was.
    public var seed: UInt64?
    public var kind: EpisodeKind
    /// Sum of the rewards.
    public var episodeReturn: Double
    /// Number of actions taken; the episode has `length + 1` RLDS steps.
    public var length: Int
    public var startTime: Date
    public var endTime: Date
    /// The last step ended the task (RLDS is_terminal).
    public var terminated: Bool
    /// A time limit cut the episode.
    public var truncated: Bool
    /// The space of the observations as the environment produced them.
    public var observationSpace: Space
    /// The space of the RGB render frames, where the environment renders.
    public var renderSpace: Space?
    public var actionSpace: Space
    /// Names of the discrete actions, where the environment names them.
    public var actionNames: [String]
    public var outputKind: AgentOutputKind
    /// Floats of agent output per step (the number of actions, or 0).
    public var outputWidth: Int
    /// Compressed bytes of the episode's steps in the store.
    public var storedBytes: Int

    /// RLDS steps: one per observation, the last one without an action.
    public var stepCount: Int { length + 1 }

    /// The name of `action`, or its number where the environment names none.
    public func actionName(_ action: Int) -> String {
        action >= 0 && action < actionNames.count ? actionNames[action] : String(action)
    }
}

/// RLDS step flags, one byte per step.
public struct StepFlags: OptionSet, Sendable, Equatable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The first step of the episode (its observation came from `reset`).
    public static let first = StepFlags(rawValue: 1)
    /// The last step: it holds the final observation and no action.
    public static let last = StepFlags(rawValue: 2)
    /// The episode ended because the task ended (not a time limit).
    public static let terminal = StepFlags(rawValue: 4)
    /// The episode ended because a time limit cut it.
    public static let truncated = StepFlags(rawValue: 8)
}
