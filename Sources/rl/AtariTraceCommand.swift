// `rl ... trace`: placeholder until its issue lands.
import ArgumentParser

struct AtariTraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace", abstract: "Replay an ale_trace.py action trace and print our emulator's state per frame.")
    func run() throws { throw CommandFailure("not built yet") }
}
