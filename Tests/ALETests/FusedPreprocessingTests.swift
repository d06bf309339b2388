// The fused preset environment against the generic wrapper chain it replaces (itself checked
// against Gymnasium in PreprocessingTests), and its integer area resize against RL's Float
// AreaResampler (OpenCV's computation): both must agree exactly. The chain and the fused path
// differ by design only in the observation of a step that ends the episode before the last
// skipped frame (the fused path keeps AtariPreprocessing's buffers; the chain maxes the frames
// it played), so those observations are not compared.
import ALE
import AtariConsole
import Foundation
import RL
import Testing
import TestSupport

@Suite("Fused preprocessing equals the wrapper chain")
struct FusedPreprocessingTests {
    @Test func integerAreaResizeEqualsOpenCVsFloatComputation() throws {
        let resizer = try #require(GreyAreaResizer(sourceHeight: 210, sourceWidth: 160, height: 84, width: 84))
        let reference = AreaResampler(sourceHeight: 210, sourceWidth: 160, height: 84, width: 84, channels: 1)
        var generator = SeededGenerator(seed: 21)
        var ties = 0
        for image in 0..<40 {
            // Random bytes, then images of few levels (many exact ties), then smooth gradients.
            let source: [UInt8] = (0..<(210 * 160)).map { i in
                switch image % 3 {
                case 0: return UInt8(generator.uniform(below: 256))
                case 1: return UInt8(generator.uniform(below: 4) * 85)
                default: return UInt8((i / 160 + i % 160 + image) % 256)
                }
            }
            var ours = [UInt8](repeating: 0, count: 84 * 84), theirs = ours
            var scratch = [UInt16](repeating: 0, count: resizer.scratchCount)
            var row = [Float](repeating: 0, count: 84), accumulator = row
            source.withUnsafeBufferPointer { s in
                ours.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { resizer.resize(s.baseAddress!, into: o.baseAddress!, scratch: $0.baseAddress!) }
                }
                theirs.withUnsafeMutableBufferPointer { t in
                    row.withUnsafeMutableBufferPointer { r in
                        accumulator.withUnsafeMutableBufferPointer { a in
                            reference.resize(s.baseAddress!, into: t.baseAddress!, row: r.baseAddress!, accumulator: a.baseAddress!)
                        }
                    }
                }
            }
            let differing = zip(ours, theirs).filter { $0 != $1 }.count
            #expect(differing == 0, "image \(image): \(differing) pixels differ")
            // Pixels whose exact value is a half: where the Float computation decides.
            ties += Self.exactHalves(source)
        }
        #expect(ties > 100, "the images held only \(ties) exact ties")
    }

    @Test func resizingOnlyChangedRowsEqualsAFullResize() throws {
        let resizer = try #require(GreyAreaResizer(sourceHeight: 210, sourceWidth: 160, height: 84, width: 84))
        var generator = SeededGenerator(seed: 5)
        var scratch = [UInt16](repeating: 0, count: resizer.scratchCount)
        func full(_ source: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 84 * 84)
            source.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { resizer.resize(s.baseAddress!, into: o.baseAddress!, scratch: $0.baseAddress!) }
                }
            }
            return out
        }
        for trial in 0..<20 {
            let before: [UInt8] = (0..<(210 * 160)).map { _ in UInt8(generator.uniform(below: 4) * 85) }
            var after = before
            var changed = [Bool](repeating: false, count: 210)
            // A few changed rows, some in runs (a sprite), from none at all to many.
            for _ in 0..<(trial * 3) {
                let row = generator.uniform(below: 210)
                for r in row..<min(210, row + generator.uniform(below: 8) + 1) {
                    changed[r] = true
                    for x in 0..<160 { after[r * 160 + x] = UInt8(generator.uniform(below: 256)) }
                }
            }
            var reused = full(before)
            let previous = reused
            after.withUnsafeBufferPointer { s in
                previous.withUnsafeBufferPointer { p in
                    changed.withUnsafeBufferPointer { c in
                        reused.withUnsafeMutableBufferPointer { o in
                            scratch.withUnsafeMutableBufferPointer {
                                resizer.resize(s.baseAddress!, into: o.baseAddress!, scratch: $0.baseAddress!,
                                               previous: p.baseAddress!, changedRows: c.baseAddress!)
                            }
                        }
                    }
                }
            }
            let expected = full(after)
            #expect(reused == expected, "trial \(trial): \(zip(reused, expected).filter { $0 != $1 }.count) pixels differ")
            if trial > 0 { #expect(expected != previous, "trial \(trial) changed the picture") }
        }
    }

    /// Output pixels of the 210x160 -> 84x84 shrink whose exact value ends in one half
    /// (weights 2,2,1 / 5 vertically and multiples of 1/40 horizontally).
    static func exactHalves(_ source: [UInt8]) -> Int {
        var count = 0
        for y in 0..<84 {
            for x in 0..<84 {
                var sum = 0.0
                let cell = 160.0 / 84.0
                for sy in Int(2.5 * Double(y))..<min(210, Int((2.5 * Double(y + 1)).rounded(.up))) {
                    let wy = max(0, min(Double(sy + 1), 2.5 * Double(y + 1)) - max(Double(sy), 2.5 * Double(y)))
                    if wy == 0 { continue }
                    for sx in Int(cell * Double(x))..<min(160, Int((cell * Double(x + 1)).rounded(.up))) {
                        let wx = max(0, min(Double(sx + 1), cell * Double(x + 1)) - max(Double(sx), cell * Double(x)))
                        if wx > 0 { sum += wy * wx * Double(source[sy * 160 + sx]) }
                    }
                }
                let value = sum / (2.5 * 160.0 / 84.0)
                if abs(value - value.rounded(.down) - 0.5) < 1e-6 { count += 1 }
            }
        }
        return count
    }

    /// Plays the chain and the fused environment side by side with the same seed and actions.
    static func compare(game: String, configuration: AtariConfiguration, noopMax: Int, fireReset: Bool,
                        steps: Int) throws -> (steps: Int, episodes: Int, reward: Float)? {
        guard let url = try RewardParity.romURL(game) else { return nil }
        let cartridge = try Cartridge.load(contentsOf: url)
        let chain = AtariFamily.preprocessed(cartridge: cartridge, configuration: configuration, noopMax: noopMax, fireReset: fireReset)
        let fused = try #require(PreprocessedAtariEnvironment(cartridge: cartridge, configuration: configuration,
                                                              noopMax: noopMax, fireReset: fireReset))
        #expect(fused.observationSpace == chain.observationSpace && fused.actionSpace == chain.actionSpace)
        let a = chain.reset(seed: 17), b = fused.reset(seed: 17)
        #expect(a.observation == b.observation && a.info == b.info, "\(game): reset")
        var actions = SeededGenerator(seed: 5)
        let count = try #require(fused.actionSpace.discreteCount)
        var episodes = 0, total: Float = 0
        for step in 0..<steps {
            let action = actions.uniform(below: count)
            let (x, r) = try chain.step(action), (y, s) = try fused.step(action)
            #expect(r == s, "\(game) step \(step): \(r) vs \(s)")
            if r != s { return nil }
            total += abs(s.reward)
            if s.done {
                episodes += 1
                let a = chain.reset(seed: nil), b = fused.reset(seed: nil)
                #expect(a.observation == b.observation, "\(game) step \(step): observation after reset")
                if a.observation != b.observation { return nil }
            } else {
                #expect(x == y, "\(game) step \(step): observation")
                if x != y { return nil }
            }
        }
        return (steps, episodes, total)
    }

    @Test(arguments: ["pong", "breakout", "ms_pacman"])
    func atari100kEqualsTheChain(game: String) throws {
        var configuration = AtariConfiguration()
        configuration.repeatActionProbability = 0.25
        guard let outcome = try Self.compare(game: game, configuration: configuration, noopMax: 30, fireReset: false, steps: 1500)
        else { return }
        TestEnvironment.note("\(game): \(outcome.steps) steps, \(outcome.episodes) episodes, |reward| \(outcome.reward)")
        #expect(outcome.reward > 0, "\(game): the comparison saw no reward")
    }

    @Test func lifeLossFireResetAndFrameLimitEqualTheChain() throws {
        var configuration = AtariConfiguration()
        configuration.repeatActionProbability = 0.25
        configuration.terminalOnLifeLoss = true
        configuration.maxEpisodeFrames = 1200
        guard let outcome = try Self.compare(game: "breakout", configuration: configuration, noopMax: 30, fireReset: true, steps: 1500)
        else { return }
        #expect(outcome.episodes >= 5, "breakout: only \(outcome.episodes) episodes ended")
    }
}
