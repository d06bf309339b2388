// The console's shortcuts must change nothing: the CPU loop's fast-forward of idle loops on the
// RIOT timer, and the TIA leaving the drawing at writes that change nothing drawn (WSYNC, audio,
// motion registers) to its next draw. Every ROM found is run from power-on twice, with both
// on and both off, with the same random joystick actions, and the complete console state (CPU,
// clock, RIOT, TIA with both frame buffers, cartridge, bus) must be identical after every frame.
import AtariConsole
import Foundation
import Testing
import TestSupport

@Suite("Timer-loop fast-forward", .serialized)
struct TimerLoopSkipTests {
    static func driver(_ url: URL, skipping: Bool) throws -> ConsoleDriver {
        let cartridge = try Cartridge.load(contentsOf: url)
        let console = Console(cartridge: cartridge, properties: .forROM(md5: cartridge.md5),
                              skipsTimerLoops: skipping, defersUndrawnTIAWrites: skipping)
        let game = url.deletingPathExtension().lastPathComponent
        let driver = ConsoleDriver(console: console, modeSelection: .forGame(game))
        driver.reset()
        return driver
    }

    @Test("every ROM: identical state after every frame with and without the shortcuts")
    func sameStateEveryFrame() throws {
        let pythons = TestEnvironment.toolsPython.map { [$0.path] } ?? []
        let roms = ROMLocator.standard(pythons: pythons).allROMs()
        if roms.isEmpty {
            if TestEnvironment.oraclesRequired { Issue.record("no ROMs found") }
            TestEnvironment.note("no ROMs found (set ALE_ROMS_DIR or install ale-py): skipping")
            return
        }
        var compared = 0
        for url in roms {
            // A ROM our loader refuses is the loader tests' business, not this one's.
            guard let fast = try? Self.driver(url, skipping: true),
                  let slow = try? Self.driver(url, skipping: false) else { continue }
            let name = url.lastPathComponent
            guard fast.saveState() == slow.saveState() else {
                Issue.record("\(name): states differ after power-on and reset")
                continue
            }
            var random = name.utf8.reduce(UInt64(0x9E37_79B9_7F4A_7C15)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
            var action = 0
            for frame in 0..<400 {
                if frame % 4 == 0 {
                    random ^= random << 13; random ^= random >> 7; random ^= random << 17
                    action = Int(random % 18)
                }
                fast.step(action)
                slow.step(action)
                if fast.saveState() != slow.saveState() {
                    Issue.record("\(name): states differ after frame \(frame)")
                    break
                }
            }
            compared += 1
        }
        #expect(compared > 0)
    }
}
