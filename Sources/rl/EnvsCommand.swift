// `rl ... envs`: placeholder until its issue lands.
import ArgumentParser

struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "envs", abstract: "List every registered environment with its spaces.")
    func run() throws { throw CommandFailure("not built yet") }
}
