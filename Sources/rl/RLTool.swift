// The `rl` command: parses, wires the modules together, prints. Each subcommand lives in its
// own file; this one only lists them and owns the error convention of DESIGN.md.
import ArgumentParser

@main
struct RLTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rl",
        abstract: "Train, evaluate, watch and benchmark reinforcement-learning agents that learn from pixels.",
        subcommands: [
            EnvsCommand.self,
            AgentsCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            RomsCommand.self,
            BenchCommand.self,
            AtariCommand.self,
            EpisodesCommand.self,
            ExportCommand.self,
            WatchCommand.self,
            PlayCommand.self,
        ])
}

/// `rl bench ...`: measurements, never tests. Each prints one JSON object with `--json`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed; compare with the peers in ../shared/anchors (see BENCHMARKS.md).",
        subcommands: [BenchTensorCommand.self, BenchEnvCommand.self, BenchAtariCommand.self,
                      BenchStoreCommand.self, BenchAgentCommand.self])
}

/// `rl atari ...`: tools for the Atari console (ALE parity traces).
struct AtariCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atari",
        abstract: "Atari console tools: ALE-parity traces.",
        subcommands: [AtariTraceCommand.self])
}
