// Save and restore: a console restored at a (seeded) random frame continues exactly as the
// uninterrupted run, RAM and screen at every frame, for each required game; and damaged
// states are refused without touching the console.
import AtariConsole
import Foundation
import Testing
import TestSupport

@Suite("Console state")
struct ConsoleStateTests {
    /// A small deterministic generator for the test's actions and restore points.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Snapshot: Equatable {
        let ram: [UInt8]
        let screen: [UInt8]
    }

    static func snapshot(_ driver: ConsoleDriver) -> Snapshot {
        Snapshot(ram: driver.console.ram, screen: Array(driver.console.screen))
    }

    @Test("restoring at a random frame continues bit for bit", arguments: ParityTests.requiredGames)
    func restoreContinuesExactly(game: String) throws {
        guard let url = try ParityHarness.romURL(game) else { return }
        var random = SplitMix(state: UInt64(game.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        let actions = (0..<1400).map { _ in Int(random.next() % 18) }
        let restoreAt = 100 + Int(random.next() % 1000)

        let original = try ConsoleDriver.aleLoaded(romURL: url, game: game)
        for frame in 0..<restoreAt { original.step(actions[frame]) }
        let saved = original.saveState()
        var expected = [Snapshot]()
        for frame in restoreAt..<(restoreAt + 300) {
            original.step(actions[frame])
            expected.append(Self.snapshot(original))
        }

        // Into a fresh console (a different run up to the restore point) ...
        let restored = try ConsoleDriver.aleLoaded(romURL: url, game: game)
        for _ in 0..<50 { restored.step(ALEAction.fire) }
        try restored.restoreState(saved)
        #expect(restored.saveState() == saved, "\(game): the state does not round-trip")
        for (index, frame) in (restoreAt..<(restoreAt + 300)).enumerated() {
            restored.step(actions[frame])
            let now = Self.snapshot(restored)
            if now != expected[index] {
                let what = now.ram != expected[index].ram ? "RAM" : "screen"
                Issue.record("\(game): restored at frame \(restoreAt), \(what) diverges \(index + 1) frames later")
                return
            }
        }
        // ... and into the original itself.
        try original.restoreState(saved)
        original.step(actions[restoreAt])
        #expect(Self.snapshot(original) == expected[0])
    }

    @Test("damaged or foreign states are refused and change nothing")
    func badStatesAreRefused() throws {
        guard let pong = try ParityHarness.romURL("pong"), let breakout = try ParityHarness.romURL("breakout") else { return }
        let driver = try ConsoleDriver.aleLoaded(romURL: pong, game: "pong")
        let other = try ConsoleDriver.aleLoaded(romURL: breakout, game: "breakout")
        let before = driver.saveState()
        #expect(throws: (any Error).self) { try driver.restoreState(other.saveState()) }
        #expect(throws: (any Error).self) { try driver.restoreState(Array(before.prefix(before.count / 2))) }
        #expect(throws: (any Error).self) { try driver.restoreState([]) }
        var flipped = before
        flipped[9] ^= 0xFF
        #expect(throws: (any Error).self) { try driver.restoreState(flipped) }
        #expect(driver.saveState() == before)
    }
}
