// `rl agents`: the agent families, their presets (with the sources of their values) and, with
// --settings, every `--set` key with its accepted values. Also the catalog the train, eval and
// bench commands look agents up in.
import AgentKit
import ArgumentParser
import DQN

/// The agent families the command knows. A new family adds one line.
enum AgentCatalog {
    static var all: [AgentDescriptor] { [DQNAgent.descriptor] }

    /// The family called `name`, or a usage error listing the valid ones.
    static func find(_ name: String) throws -> AgentDescriptor {
        guard let descriptor = all.first(where: { $0.name == name }) else {
            throw ValidationError("unknown agent '\(name)'; valid agents: \(all.map(\.name).joined(separator: ", "))")
        }
        return descriptor
    }
}

struct AgentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "List agents and their presets.")

    @Flag(help: "Also list every setting (--set key=value) with its accepted values.")
    var settings = false

    func run() throws {
        for agent in AgentCatalog.all {
            print("\(agent.name)  \(agent.summary)")
            for preset in agent.presets {
                let mark = preset.name == agent.defaultPreset ? " (default)" : ""
                print("  preset \(preset.name)\(mark): \(preset.summary)")
            }
            if settings {
                let width = agent.settings.map(\.name.count).max() ?? 0
                for s in agent.settings {
                    print("    \(s.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(s.accepted)  \(s.help)")
                }
                print("  training loop settings:")
                for s in TrainingSettings.table {
                    print("    \(s.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(s.accepted)  \(s.help)")
                }
            }
        }
    }
}
