// The DQN family as the command line sees it: name, presets, settings, and construction
// from a resolved settings map (config.json's `agent_settings`).
import AgentKit
import RL

extension DQNAgent {
    /// `dqn` for `rl train --agent dqn`.
    public static var descriptor: AgentDescriptor { AgentDescriptor(
        name: "dqn",
        summary: "DQN (Mnih et al. 2015) with Double, dueling, n-step, prioritised replay options",
        presets: DQNConfiguration.presets,
        defaultPreset: "maze",
        settings: DQNConfiguration.table.map { ($0.name, $0.accepted, $0.help) },
        resolve: { preset, overrides in
            guard var configuration = DQNConfiguration.preset(preset) else {
                throw SettingsError.unknownPreset(preset, agent: "dqn", valid: DQNConfiguration.presets.map(\.name))
            }
            try DQNConfiguration.table.apply(overrides, to: &configuration)
            try configuration.validate()
            return DQNConfiguration.table.values(of: configuration)
        },
        make: { settings, observationSpace, actionSpace, seed in
            var configuration = DQNConfiguration()
            try DQNConfiguration.table.apply(settings, to: &configuration)
            return try DQNAgent(configuration: configuration, observationSpace: observationSpace,
                                actionSpace: actionSpace, seed: seed)
        }) }
}
