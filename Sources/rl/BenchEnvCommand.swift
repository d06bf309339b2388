// `rl ... env`: placeholder until its issue lands.
import ArgumentParser

struct BenchEnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Environment steps per second.")
    func run() throws { throw CommandFailure("not built yet") }
}
