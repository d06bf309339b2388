// DPC (Pitfall II): the random number generator (an 8-bit XNOR LFSR: period 255 through every
// value but $FF, its lock-up state; reset to 1), the
// display data fetchers (count down through the 2 KiB graphics ROM, flags at top and bottom)
// and the music fetchers, which advance with the console's cycle counter at 15.75 kHz.
import AtariConsole
import Testing

/// A DPC image: 8 KiB of program tagged by slice, then 2 KiB of graphics where byte i is
/// i & $FF, then the 255 spare bytes Pitfall II's dump has.
func dpcImage() -> [UInt8] {
    taggedImage(kilobytes: 8) + (0..<2048).map { UInt8($0 & 0xFF) } + [UInt8](repeating: 0, count: 255)
}

@Suite struct CartridgeDPCTests {
    @Test func randomNumbersCycleThroughEveryValueButFF() throws {
        let cart = try Cartridge.make(scheme: .dpc, md5: "x", bytes: dpcImage(), name: "t")
        let first = cart.read(0x1000)
        #expect(first == 3, "1 clocked once: the new bit is NOT(b7^b5^b4^b3) = 1")
        var seen: Set<UInt8> = [first]
        for _ in 1..<255 { seen.insert(cart.read(0x1001)) }
        #expect(seen.count == 255 && !seen.contains(0xFF))
        #expect(cart.read(0x1002) == first, "period 255")
        cart.write(0x1070, 0)   // resets the generator to 1 (after clocking it)
        #expect(cart.read(0x1000) == 3)
    }

    @Test func displayFetcherCountsDownAndRaisesItsFlags() throws {
        let cart = try Cartridge.make(scheme: .dpc, md5: "x", bytes: dpcImage(), name: "t")
        cart.write(0x1042, 0x10)   // fetcher 2 top
        cart.write(0x104A, 0x0E)   // fetcher 2 bottom
        cart.write(0x1052, 0x11)   // counter low
        cart.write(0x105A, 0x03)   // counter high: counter = $311
        #expect(cart.read(0x100A) == UInt8((2047 - 0x311) & 0xFF))
        #expect(cart.read(0x100A) == UInt8((2047 - 0x310) & 0xFF))
        #expect(cart.read(0x103A) == 0xFF, "flag set when the counter was at the top")
        _ = cart.read(0x100A)   // flag reads count down too: the counter is at the bottom, $30E
        #expect(cart.read(0x103A) == 0x00)
        // The masked read: graphics AND flag.
        cart.write(0x1052, 0x10)
        #expect(cart.read(0x1012) == UInt8((2047 - 0x310) & 0xFF), "flag $FF at the top")
    }

    @Test func musicFetcherAdvancesWithTheSystemClock() throws {
        let cart = try Cartridge.make(scheme: .dpc, md5: "x", bytes: dpcImage(), name: "t")
        var cycles = 0
        cart.systemCycles = { cycles }
        cart.reset(nextRandom: { 0 })
        cart.write(0x1045, 3)      // fetcher 5 top
        cart.write(0x104D, 1)      // bottom
        cart.write(0x105D, 0x10)   // music mode on
        cart.write(0x1055, 0)      // counter low reloads from top: 3
        #expect(cart.read(0x1005) == 0x04, "fetcher 5 flag set: amplitude table entry 1")
        cycles = 152               // 152 * 15750 / 1193191.67 = 2.006 oscillator clocks
        #expect(cart.read(0x1005) == 0x00, "3 - 2 = 1 <= bottom: flag cleared")
    }

    @Test func stateRoundTripsExactly() throws {
        let cart = try Cartridge.make(scheme: .dpc, md5: "x", bytes: dpcImage(), name: "t")
        var cycles = 1000
        cart.systemCycles = { cycles }
        cart.write(0x1043, 0x20); cart.write(0x105B, 0x05); cart.write(0x105F, 0x10)
        _ = cart.read(0x1FF8)
        _ = cart.read(0x1000)
        let saved = cart.saveState()
        let next = (0..<20).map { _ in cart.read(0x1003) ^ cart.read(0x100B) }
        try cart.restoreState(saved)
        cycles = 1000
        #expect((0..<20).map { _ in cart.read(0x1003) ^ cart.read(0x100B) } == next)
        #expect(cart.currentSlices == [0, 1, 2, 3])
        #expect(throws: CartridgeStateError.self) { try cart.restoreState([0, 1]) }
    }
}
