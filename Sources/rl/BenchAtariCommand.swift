// `rl ... atari`: placeholder until its issue lands.
import ArgumentParser

struct BenchAtariCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "atari", abstract: "Emulated Atari frames per second.")
    func run() throws { throw CommandFailure("not built yet") }
}
