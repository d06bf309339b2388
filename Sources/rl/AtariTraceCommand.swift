// `rl atari trace GAME --actions-from TRACE.jsonl`: the ALE-parity protocol. Replays the
// actions (and resets) of a trace printed by ale_trace.py on our console and prints, per
// frame, the same JSON fields (frame, action, reset, ram, screen_md5). Lives, reward and
// game_over need the game settings of the Atari environment and are printed as null.
// With --compare it prints nothing per frame and reports the first divergence instead.
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

    private func json(_ record: ALETraceRecord) -> String {
        var fields = ["\"frame\": \(record.frame)"]
        if let action = record.action { fields.append("\"action\": \(action)") }
        if record.isReset { fields.append("\"reset\": true") }
        fields.append("\"reward\": null, \"lives\": null, \"game_over\": null")
        fields.append("\"ram\": \"\(record.ramHex)\"")
        fields.append("\"screen_md5\": \"\(record.screenMD5)\"")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
