// `rl ... roms`: placeholder until its issue lands.
import ArgumentParser

struct RomsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roms", abstract: "List the Atari ROMs found, with MD5, size and bank-switching scheme.")
    func run() throws { throw CommandFailure("not built yet") }
}
