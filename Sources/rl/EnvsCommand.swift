// `rl envs`: every registered identifier with its observation and action spaces (built with
// default options), and with `--options` the options each accepts.
import ArgumentParser
import RL

struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "envs", abstract: "List every registered environment with its spaces.")

    @Flag(help: "Also list each environment's options with their accepted values and defaults.")
    var options = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let registry = EnvironmentRegistry.standard()
        var rows: [(String, String, String, String)] = []
        for id in registry.identifiers {
            guard let entry = registry.entries[id] else { continue }
            // Identifiers that need an option (a map file) have no default spaces.
            let env = try? registry.make(id)
            rows.append((id, env.map { "\($0.observationSpace)" } ?? "(depends on options)",
                         env.map { "\($0.actionSpace)" } ?? "(depends on options)", entry.summary))
        }
        if json {
            let items = rows.map { row in
                "{\"id\":\"\(row.0)\",\"observation_space\":\"\(row.1)\",\"action_space\":\"\(row.2)\"}"
            }
            print("{\"environments\":[" + items.joined(separator: ",") + "]}")
            return
        }
        let idWidth = rows.map(\.0.count).max() ?? 0
        let obsWidth = rows.map(\.1.count).max() ?? 0
        for row in rows {
            print(row.0.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
                  + row.1.padding(toLength: obsWidth + 2, withPad: " ", startingAt: 0) + row.2 + "  " + row.3)
            if options, let entry = registry.entries[row.0] {
                for option in entry.options {
                    print("    \(option.name)=\(option.defaultValue.isEmpty ? "(required)" : option.defaultValue)  \(option.accepted)")
                }
            }
        }
    }
}
