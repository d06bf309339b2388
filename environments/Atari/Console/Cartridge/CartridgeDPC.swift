// DPC (David Crane's Display Processor Chip, Pitfall II): 8 KiB of program in two F8-style
// banks, 2 KiB of graphics read through eight data fetchers, and an 8-bit random number
// generator, at $1000-$107F. As in ALE's CartridgeDPC: the generator clocks on every access the
// chip sees (reads of $1000-$107F and of the hotspot page $1FC0-$1FFF, and every write to the
// cartridge), the music fetchers 5-7 advance with the console's cycle counter, and none of
// the fetcher state is cleared by a reset (only the bank and the music clock are).

/// The DPC scheme (Pitfall II).
final class CartridgeDPC: Cartridge {
    private var display: [UInt8]
    private var tops = [UInt8](repeating: 0, count: 8)
    private var bottoms = [UInt8](repeating: 0, count: 8)
    private var counters = [UInt16](repeating: 0, count: 8)
    private var flags = [UInt8](repeating: 0, count: 8)
    private var musicMode = [Bool](repeating: false, count: 3)
    private var randomNumber: UInt8 = 1
    /// `systemCycles()` at the last music update, and the fraction of an oscillator clock
    /// carried over (ALE keeps both the same way).
    private var cyclesAtLastUpdate = 0
    private var fractionalClocks = 0.0

    init(md5: String, romBytes: [UInt8]) {
        display = Array(romBytes[8192..<10240])
        super.init(scheme: .dpc, md5: md5, romBytes: romBytes, imageBytes: romBytes.prefix(8192),
                   fastStart: 0x0080, fastCount: 0x0FC0 - 0x0080)
        showBank(1)
    }

    override func resetBanks() {
        cyclesAtLastUpdate = systemCycles()
        fractionalClocks = 0
        showBank(1)
    }

    override func systemCyclesReset() {
        cyclesAtLastUpdate -= systemCycles()
    }

    /// The shift register's next bit is the NOT of the XOR of bits 7, 5, 4 and 3.
    private func clockRandomNumberGenerator() {
        let taps = (randomNumber >> 7) ^ (randomNumber >> 5) ^ (randomNumber >> 4) ^ (randomNumber >> 3)
        randomNumber = randomNumber << 1 | (~taps & 1)
    }

    private func updateMusicFetchers() {
        let now = systemCycles()
        let cycles = now - cyclesAtLastUpdate
        cyclesAtLastUpdate = now
        let clocks = (15750.0 * Double(cycles)) / 1193191.66666667 + fractionalClocks
        let wholeClocks = Int(clocks)
        fractionalClocks = clocks - Double(wholeClocks)
        guard wholeClocks > 0 else { return }
        for fetcher in 5...7 where musicMode[fetcher - 5] {
            let top = Int(tops[fetcher]) + 1
            var newLow = Int(counters[fetcher] & 0x00FF)
            if tops[fetcher] != 0 {
                newLow -= wholeClocks % top
                if newLow < 0 { newLow += top }
            } else {
                newLow = 0
            }
            if newLow <= Int(bottoms[fetcher]) {
                flags[fetcher] = 0x00
            } else if newLow <= Int(tops[fetcher]) {
                flags[fetcher] = 0xFF
            }
            counters[fetcher] = (counters[fetcher] & 0x0700) | UInt16(newLow)
        }
    }

    private static let musicAmplitudes: [UInt8] = [0x00, 0x04, 0x05, 0x09, 0x06, 0x0A, 0x0B, 0x0F]

    override func readSlow(_ address: UInt16) -> UInt8 {
        let offset = address & 0x0FFF
        clockRandomNumberGenerator()
        guard offset < 0x0040 else {
            if offset == 0x0FF8 { showBank(0) } else if offset == 0x0FF9 { showBank(1) }
            return super.readSlow(address)
        }
        let index = Int(offset & 0x07)
        let function = (offset >> 3) & 0x07
        if counters[index] & 0x00FF == UInt16(tops[index]) {
            flags[index] = 0xFF
        } else if counters[index] & 0x00FF == UInt16(bottoms[index]) {
            flags[index] = 0x00
        }
        var result: UInt8 = 0
        switch function {
        case 0:
            if index < 4 {
                result = randomNumber
            } else {
                updateMusicFetchers()
                var selector = 0
                if musicMode[0] && flags[5] != 0 { selector |= 1 }
                if musicMode[1] && flags[6] != 0 { selector |= 2 }
                if musicMode[2] && flags[7] != 0 { selector |= 4 }
                result = CartridgeDPC.musicAmplitudes[selector]
            }
        case 1:
            result = display[2047 - Int(counters[index])]
        case 2:
            result = display[2047 - Int(counters[index])] & flags[index]
        case 7:
            result = flags[index]
        default:
            result = 0
        }
        if index < 5 || !musicMode[index - 5] {
            counters[index] = (counters[index] &- 1) & 0x07FF
        }
        return result
    }

    override func write(_ address: UInt16, _ value: UInt8) {
        let offset = address & 0x0FFF
        clockRandomNumberGenerator()
        guard offset >= 0x0040 && offset < 0x0080 else {
            if offset == 0x0FF8 { showBank(0) } else if offset == 0x0FF9 { showBank(1) }
            return
        }
        let index = Int(offset & 0x07)
        switch (offset >> 3) & 0x07 {
        case 0:
            tops[index] = value
            flags[index] = 0x00
        case 1:
            bottoms[index] = value
        case 2:
            // A music-mode fetcher reloads its low counter from its top register.
            let low = index >= 5 && musicMode[index - 5] ? UInt16(tops[index]) : UInt16(value)
            counters[index] = (counters[index] & 0x0700) | low
        case 3:
            counters[index] = (UInt16(value) & 0x07) << 8 | (counters[index] & 0x00FF)
            if index >= 5 { musicMode[index - 5] = value & 0x10 != 0 }
        case 6:
            randomNumber = 1
        default:
            break
        }
    }

    // State: the shared prefix (slices), then tops, bottoms, counters (2 bytes each, little
    // endian), flags, music modes, the generator, the cycle mark (8 bytes) and the fraction's
    // bit pattern (8 bytes), so a restored DPC continues exactly.
    private static let extraStateSize = 8 + 8 + 16 + 8 + 3 + 1 + 8 + 8

    override func saveState() -> [UInt8] {
        var state = super.saveState()
        state += tops
        state += bottoms
        for counter in counters { state += [UInt8(counter & 0xFF), UInt8(counter >> 8)] }
        state += flags
        state += musicMode.map { $0 ? 1 : 0 }
        state.append(randomNumber)
        let mark = UInt64(bitPattern: Int64(cyclesAtLastUpdate))
        state += (0..<8).map { UInt8(truncatingIfNeeded: mark >> (8 * UInt64($0))) }
        let fraction = fractionalClocks.bitPattern
        state += (0..<8).map { UInt8(truncatingIfNeeded: fraction >> (8 * UInt64($0))) }
        return state
    }

    override func restoreState(_ state: [UInt8]) throws {
        let prefix = state.count - CartridgeDPC.extraStateSize
        guard prefix >= 0 else {
            throw CartridgeStateError.wrongLength(scheme: scheme, expected: 4 + CartridgeDPC.extraStateSize, got: state.count)
        }
        try super.restoreState(Array(state[0..<prefix]))
        var at = prefix
        func take(_ count: Int) -> ArraySlice<UInt8> {
            defer { at += count }
            return state[at..<(at + count)]
        }
        tops = Array(take(8))
        bottoms = Array(take(8))
        let counterBytes = Array(take(16))
        counters = (0..<8).map { UInt16(counterBytes[2 * $0]) | UInt16(counterBytes[2 * $0 + 1]) << 8 & 0x0700 }
        flags = Array(take(8))
        musicMode = take(3).map { $0 != 0 }
        randomNumber = take(1).first!
        let mark = take(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        cyclesAtLastUpdate = Int(Int64(bitPattern: mark))
        let fraction = take(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        fractionalClocks = Double(bitPattern: fraction)
    }
}
