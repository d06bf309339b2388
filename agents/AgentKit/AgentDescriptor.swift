// What the `rl` command knows about an agent family: its name, presets with their sources,
// its settings, and how to build one from a resolved configuration. A resolved configuration
// is the full map of setting names to values, which config.json stores, so a resumed or
// evaluated run rebuilds exactly the agent that trained.
import RL

/// A preset: a named published configuration.
public struct PresetInfo: Sendable {
    public var name: String
    /// What it is and where its values come from.
    public var summary: String
    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// An agent family the command line can train.
public struct AgentDescriptor {
    public var name: String
    public var summary: String
    public var presets: [PresetInfo]
    public var defaultPreset: String
    /// (name, accepted values, help) of every setting.
    public var settings: [(name: String, accepted: String, help: String)]
    /// The full settings of `preset` with `overrides` applied; throws `SettingsError`.
    public var resolve: (_ preset: String, _ overrides: [String: String]) throws -> [String: String]
    /// An agent for an environment's spaces from resolved settings, seeded with `seed`.
    public var make: (_ settings: [String: String], _ observationSpace: Space, _ actionSpace: Space,
                      _ seed: UInt64) throws -> any Agent

    public init(name: String, summary: String, presets: [PresetInfo], defaultPreset: String,
                settings: [(name: String, accepted: String, help: String)],
                resolve: @escaping (String, [String: String]) throws -> [String: String],
                make: @escaping ([String: String], Space, Space, UInt64) throws -> any Agent) {
        self.name = name
        self.summary = summary
        self.presets = presets
        self.defaultPreset = defaultPreset
        self.settings = settings
        self.resolve = resolve
        self.make = make
    }
}
