// The resolved configuration of a training run, written to config.json when the run starts
// and read back by `rl train --resume` and `rl eval`: everything needed to rebuild the same
// environment and agent, with every setting spelled out (not just the overrides).
import Replay

/// Settings of the training loop itself (not of the agent).
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// Environment steps between checkpoints (taken at the first episode end after each).
    public var checkpointInterval: Int = 50_000
    /// Episodes of the final evaluation.
    public var evaluationEpisodes: Int = 20
    /// OpenBLAS threads (results are bit-identical only at the same count).
    public var threads: Int = 1
    /// Finished episodes the progress line's recent mean return covers.
    public var recentEpisodes: Int = 100
    /// Which episodes go to the run's trajectory store: all, every-N (training episodes),
    /// evaluation (the default: evaluation episodes only), or none.
    public var record: String = RecorderPolicy.default.description
    /// A lost life ends the agent's episode (it bootstraps from zero and starts a new one)
    /// while the game goes on: Dopamine's runner with `terminal_on_life_loss`. Returns,
    /// metrics and evaluation still count whole games.
    public var lifeLossTerminal = false

    public init() {}

    /// `record` as a recorder policy (validated when set).
    public var recorderPolicy: RecorderPolicy { (try? RecorderPolicy(parsing: record)) ?? .default }

    /// The `--set` keys of the loop.
    public static var table: [Setting<TrainingSettings>] { [
        .int("checkpoint_interval", \.checkpointInterval, 1...1_000_000_000, "environment steps between checkpoints"),
        .int("eval_episodes", \.evaluationEpisodes, 1...100_000, "episodes of the final evaluation"),
        .int("threads", \.threads, 1...256, "OpenBLAS threads"),
        .int("recent_episodes", \.recentEpisodes, 1...100_000, "episodes in the progress line's recent mean return"),
        Setting("record", accepted: "all|every-N|evaluation|none",
                help: "episodes recorded to the run's trajectory store (rl episodes, rl watch)",
                read: { $0.record },
                write: { config, text in
                    guard let policy = try? RecorderPolicy(parsing: text) else { return false }
                    config.record = policy.description
                    return true
                }),
        .bool("life_loss_terminal", \.lifeLossTerminal,
              "a lost life (the environment's info.lives falling) ends the agent's episode while the game goes on (training only)"),
    ] }
}

/// Everything config.json holds.
public struct RunConfiguration: Codable, Sendable, Equatable {
    public var formatVersion: Int = 1
    public var environment: String
    public var environmentOptions: [String: String]
    public var agent: String
    public var preset: String
    /// Every agent setting, resolved from the preset and the overrides.
    public var agentSettings: [String: String]
    public var training: TrainingSettings
    public var seed: UInt64
    /// Environment steps to train for.
    public var steps: Int

    public init(environment: String, environmentOptions: [String: String], agent: String, preset: String,
                agentSettings: [String: String], training: TrainingSettings, seed: UInt64, steps: Int) {
        self.environment = environment
        self.environmentOptions = environmentOptions
        self.agent = agent
        self.preset = preset
        self.agentSettings = agentSettings
        self.training = training
        self.seed = seed
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", environment = "env", environmentOptions = "env_options", agent, preset
        case agentSettings = "agent_settings", training, seed, steps
    }
}

extension TrainingSettings {
    enum CodingKeys: String, CodingKey {
        case checkpointInterval = "checkpoint_interval", evaluationEpisodes = "eval_episodes", threads
        case recentEpisodes = "recent_episodes", record, lifeLossTerminal = "life_loss_terminal"
    }

    /// Reads config.json; `record` came later, so a configuration without it records
    /// evaluation episodes, the default; `life_loss_terminal` came later still (off).
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        checkpointInterval = try values.decode(Int.self, forKey: .checkpointInterval)
        evaluationEpisodes = try values.decode(Int.self, forKey: .evaluationEpisodes)
        threads = try values.decode(Int.self, forKey: .threads)
        recentEpisodes = try values.decode(Int.self, forKey: .recentEpisodes)
        record = try values.decodeIfPresent(String.self, forKey: .record) ?? RecorderPolicy.default.description
        lifeLossTerminal = try values.decodeIfPresent(Bool.self, forKey: .lifeLossTerminal) ?? false
    }
}
