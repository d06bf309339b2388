// Reward, lives and game over against ale-py: the parity protocol's trace (ale-py, frame skip
// 1, no sticky actions, seeded random minimal-set actions, resets after game over) replayed on
// our emulator with the game settings; every frame must agree on reward, lives, game_over and
// RAM, reset lines included.
import ALE
import AtariConsole
import Foundation
import Testing
import TestSupport

enum RewardParity {
    static let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/ale_parity_trace.py").path

    static func romURL(_ game: String) throws -> URL? {
        let pythons = TestEnvironment.toolsPython.map { [$0.path] } ?? []
        if let url = try? ROMLocator.standard(pythons: pythons).locate(game) { return url }
        if TestEnvironment.oraclesRequired {
            throw TestEnvironment.ToolError.scriptFailed("locate \(game)", "no ROM found for \(game)")
        }
        TestEnvironment.note("no ROM for \(game): skipping")
        return nil
    }

    struct Line {
        var frame: Int, action: Int?, isReset: Bool, reward: Int, lives: Int, gameOver: Bool, ram: String
    }

    static func parse(_ text: String) throws -> [Line] {
        try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let isReset = object["reset"] as? Bool ?? false
            return Line(frame: try #require(object["frame"] as? Int), action: isReset ? nil : object["action"] as? Int,
                        isReset: isReset, reward: Int((object["reward"] as? Double) ?? Double(object["reward"] as? Int ?? 0)),
                        lives: try #require(object["lives"] as? Int), gameOver: try #require(object["game_over"] as? Bool),
                        ram: try #require(object["ram"] as? String))
        }
    }

    static func hex(_ ram: [UInt8]) -> String {
        ram.map { String(format: "%02x", $0) }.joined()
    }

    /// The first frame where ours and ale-py's reward, lives, game_over or RAM differ; nil if none.
    /// Also returns how many resets and how much reward the trace held (so a test can tell a
    /// trace that exercised nothing).
    static func firstDifference(_ game: String, frames: Int) throws -> (difference: String?, resets: Int, rewardFrames: Int)? {
        guard let url = try romURL(game) else { return nil }
        let lines = try parse(try TestEnvironment.python([script, game, "--frames", "\(frames)"]))
        let emulator = ALEEmulator(cartridge: try Cartridge.load(contentsOf: url),
                                   settings: try #require(GameCatalog.byName[game]))
        emulator.reset()
        var resets = 0, rewardFrames = 0
        for line in lines {
            var reward = 0
            if line.isReset {
                emulator.reset(); resets += 1
            } else if let action = line.action {
                reward = emulator.actFrame(action)
            }
            if line.reward != 0 { rewardFrames += 1 }
            let label = "\(game) frame \(line.frame)\(line.isReset ? " (after reset)" : "")"
            if line.action != nil && reward != line.reward { return ("\(label): reward ours \(reward) ale \(line.reward)", resets, rewardFrames) }
            if emulator.lives != line.lives { return ("\(label): lives ours \(emulator.lives) ale \(line.lives)", resets, rewardFrames) }
            if emulator.isTerminal != line.gameOver { return ("\(label): game_over ours \(emulator.isTerminal) ale \(line.gameOver)", resets, rewardFrames) }
            if hex(emulator.console.ram) != line.ram { return ("\(label): RAM differs", resets, rewardFrames) }
        }
        return (nil, resets, rewardFrames)
    }
}

@Suite("Reward, lives and game over agree with ale-py")
struct RewardParityTests {
    @Test(arguments: GameCatalog.names)
    func agreesWithALE(game: String) throws {
        guard TestEnvironment.hasPythonModule("ale_py") || TestEnvironment.oraclesRequired else {
            TestEnvironment.note("ale-py missing: skipping"); return
        }
        guard let outcome = try RewardParity.firstDifference(game, frames: 3000) else { return }
        #expect(outcome.difference == nil, "\(outcome.difference ?? "")")
        TestEnvironment.note("\(game): 3000 frames, \(outcome.resets) resets, \(outcome.rewardFrames) rewarded frames")
    }
}
