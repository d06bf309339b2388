// `rl atari trace GAME --actions-from TRACE.jsonl`: the ALE-parity protocol. Replays the
// actions (and resets) of a trace printed by ale_trace.py on our console and prints, per
// frame, the same JSON fields (frame, action, reset, reward, lives, game_over, ram,
// screen_md5). Games with settings (the ALE module's catalogue) run on ALE's emulator with
// those settings; a ROM without settings runs on the plain console and prints reward, lives
// and game_over as null. With --compare it prints nothing per frame and reports the first
// divergence instead (reward, lives and game_over included where we have settings).
import ALE
import ArgumentParser
import AtariConsole
import Foundation

struct AtariTraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Replay an ale_trace.py action trace and print our emulator's state per frame.")

    @Argument(help: "Game (ale-py ROM name, e.g. pong) or path to a ROM file.")
    var game: String

    @Option(name: .customLong("actions-from"), help: "A trace printed by ale_trace.py (JSON lines).")
    var actionsFrom: String

    @Flag(help: "Compare with the trace instead of printing: report the first diverging frame.")
    var compare = false

    func run() throws {
        let url = try ROMLocator.standard().locate(game)
        let name = url.deletingPathExtension().lastPathComponent
        let text: String
        do {
            text = try String(contentsOfFile: actionsFrom, encoding: .utf8)
        } catch {
            throw CommandFailure("cannot read the trace \(actionsFrom): \(error.localizedDescription)")
        }
        let records = try ALETrace.parse(text, source: actionsFrom)
        let cartridge = try Cartridge.load(contentsOf: url)
        if let settings = GameCatalog.byMD5[cartridge.md5] {
            try replayWithSettings(records, text: text, cartridge: cartridge, settings: settings, name: name)
            return
        }
        let driver = try ConsoleDriver.aleLoaded(romURL: url, game: name)
        var divergence: String?
        var compared = 0
        ALETrace.replay(records, on: driver) { ours, reference in
            if compare {
                compared += 1
                if let difference = ALETraceComparison.difference(ours, reference) {
                    divergence = difference
                    return false
                }
            } else {
                print(json(ours))
            }
            return true
        }
        if compare {
            if let divergence {
                throw CommandFailure("\(name): \(divergence)")
            }
            print("\(name): RAM and screen identical on all \(compared) lines of the trace")
        }
    }

    /// The replay on ALE's emulator with the game's settings.
    private func replayWithSettings(_ records: [ALETraceRecord], text: String, cartridge: Cartridge,
                                    settings: GameSettings, name: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let emulator = ALEEmulator(cartridge: cartridge, settings: settings)
        emulator.reset()
        var compared = 0
        for (index, reference) in records.enumerated() {
            var reward = 0
            if reference.isReset { emulator.reset() } else if let action = reference.action { reward = emulator.actFrame(action) }
            let ram = emulator.console.ram.map { String(format: "%02x", $0) }.joined()
            let ours = ALETraceRecord(frame: reference.frame, action: reference.action, isReset: reference.isReset,
                                      ramHex: ram, screenMD5: ROMDigest.md5Hex(Array(emulator.console.screen)))
            let game = (reward: reward, lives: emulator.lives, gameOver: emulator.isTerminal)
            guard compare else {
                print(json(ours, game: game))
                continue
            }
            compared += 1
            if let difference = ALETraceComparison.difference(ours, reference) {
                throw CommandFailure("\(name): \(difference)")
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(lines[index].utf8))) as? [String: Any] ?? [:]
            let label = "frame \(reference.frame)\(reference.isReset ? " (after reset)" : "")"
            if let theirs = (object["reward"] as? NSNumber)?.intValue, reference.action != nil, theirs != reward {
                throw CommandFailure("\(name): \(label): reward ours \(reward) ale \(theirs)")
            }
            if let theirs = object["lives"] as? Int, theirs != game.lives {
                throw CommandFailure("\(name): \(label): lives ours \(game.lives) ale \(theirs)")
            }
            if let theirs = object["game_over"] as? Bool, theirs != game.gameOver {
                throw CommandFailure("\(name): \(label): game_over ours \(game.gameOver) ale \(theirs)")
            }
        }
        if compare {
            print("\(name): RAM, screen, reward, lives and game_over identical on all \(compared) lines of the trace")
        }
    }

    private func json(_ record: ALETraceRecord, game: (reward: Int, lives: Int, gameOver: Bool)? = nil) -> String {
        var fields = ["\"frame\": \(record.frame)"]
        if let action = record.action { fields.append("\"action\": \(action)") }
        if record.isReset { fields.append("\"reset\": true") }
        if let game {
            fields.append("\"reward\": \(game.reward), \"lives\": \(game.lives), \"game_over\": \(game.gameOver)")
        } else {
            fields.append("\"reward\": null, \"lives\": null, \"game_over\": null")
        }
        fields.append("\"ram\": \"\(record.ramHex)\"")
        fields.append("\"screen_md5\": \"\(record.screenMD5)\"")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
