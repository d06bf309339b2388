// The `nature`-style preprocessing (frame-skip-1 environment, max over the last two of 4
// grayscale frames, 84x84 area resize) against Gymnasium's AtariPreprocessing over ale-py,
// for the same emulator frames (no sticky actions, no no-ops, the same action sequence):
// every pixel within one grey level, rewards equal; for the fused environment the presets run
// and for the chain of RL's wrappers.
import ALE
import AtariConsole
import Foundation
import RL
import Testing
import TestSupport

@Suite("Preprocessing agrees with Gymnasium's AtariPreprocessing")
struct PreprocessingTests {
    static let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/ale_preprocessing_trace.py").path

    /// `fused`: the presets' PreprocessedAtariEnvironment; otherwise RL's wrapper chain.
    @Test(arguments: ["pong", "breakout", "ms_pacman"], [true, false])
    func agreesWithGymnasium(game: String, fused: Bool) throws {
        guard TestEnvironment.hasPythonModule("ale_py") || TestEnvironment.oraclesRequired else { return }
        guard let url = try RewardParity.romURL(game) else { return }
        let text = try TestEnvironment.python([Self.script, game, "--steps", "150"])
        var configuration = AtariConfiguration()
        configuration.repeatActionProbability = 0
        let cartridge = try Cartridge.load(contentsOf: url)
        let environment: any Environment = fused
            ? try #require(PreprocessedAtariEnvironment(cartridge: cartridge, configuration: configuration,
                                                         noopMax: 0, stack: 1, clipRewards: false))
            : AtariFamily.preprocessed(cartridge: cartridge, configuration: configuration, noopMax: 0, stack: 1, clipRewards: false)
        #expect(environment.observationSpace == .image(height: 84, width: 84, channels: 1))
        var observation = environment.reset(seed: 0).observation
        var compared = 0
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let step = try #require(object["step"] as? Int)
            if step > 0 {
                let action = try #require(object["action"] as? Int)
                let (next, result) = try environment.step(action)
                observation = next
                #expect(Double(result.reward) == (object["reward"] as? Double), "\(game) step \(step): reward")
            }
            let hex = Array(try #require(object["obs"] as? String).utf8)
            #expect(hex.count == 2 * observation.count)
            var worst = 0
            for index in 0..<observation.count {
                let theirs = Int(hexValue(hex[2 * index])) * 16 + Int(hexValue(hex[2 * index + 1]))
                worst = max(worst, abs(theirs - Int(observation[index])))
            }
            #expect(worst <= 1, "\(game) step \(step): a pixel differs by \(worst) grey levels")
            compared += 1
        }
        #expect(compared == 151, "\(game): compared \(compared) observations")
    }

    private func hexValue(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
}
