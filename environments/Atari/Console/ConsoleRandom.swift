// The system random generator of ALE's Stella core: a 32-bit Mersenne Twister (mt19937, as
// C++'s std::mt19937) seeded from ALE's `system_random_seed` setting. ALE draws from it at
// power-on and at every system reset (RIOT RAM and timer, Superchip RAM), so reproducing the
// generator and the order of the draws is what makes our power-on state equal to ALE's.

/// mt19937: the standard 32-bit Mersenne Twister, seeded as `std::mt19937::seed(uint32)`.
public struct ConsoleRandom: Sendable, Equatable {
    /// ALE's default `system_random_seed`.
    public static let aleSystemSeed: UInt32 = 4_753_849

    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    public init(seed: UInt32 = ConsoleRandom.aleSystemSeed) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    /// The next 32-bit output.
    public mutating func next() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var value = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { value ^= 0x9908_B0DF }
            state[i] = value
        }
        index = 0
    }

    func save(into out: inout StateWriter) {
        for word in state { out.u32(word) }
        out.u32(UInt32(index))
    }

    mutating func restore(from input: inout StateReader) throws {
        for i in 0..<624 { state[i] = try input.u32() }
        let restored = Int(try input.u32())
        guard restored <= 624 else { throw ConsoleStateError.corrupt("random generator index \(restored)") }
        index = restored
    }
}
