// The one random-number generator of the framework: xoshiro256** (Blackman and Vigna, 2018),
// seeded through SplitMix64 as its authors recommend. Every environment, wrapper and sampler owns
// one, so a seed fixes an episode on any machine and at any thread count; nothing global.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit mixer used to expand one seed into the
/// 256-bit state of xoshiro256** and to derive independent child seeds.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0: fast, 256 bits of state, passes BigCrush; the same sequence everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Expands `seed` through SplitMix64, so nearby seeds give unrelated streams.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// A generator with an explicit state, for the algorithm's reference vectors.
    /// The state must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "SeededGenerator(state:): the all-zero state is a fixed point")
        (s0, s1, s2, s3) = state
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's multiply-and-reject,
    /// "Fast random integer generation in an interval", 2019).
    @inline(__always)
    public mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "SeededGenerator.uniform(below:): bound \(bound) must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range` (half-open), without modulo bias.
    public mutating func uniform(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "SeededGenerator.uniform(in:): empty range \(range)")
        return range.lowerBound + uniform(below: range.count)
    }

    /// A uniform Float in [0, 1) with 24 random bits (every value is exactly representable).
    @inline(__always)
    public mutating func unitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func unitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { unitDouble() < p }

    /// A seed for a child generator (a sub-environment, a wrapper's own stream); consumes one
    /// value, so successive children differ.
    public mutating func childSeed() -> UInt64 {
        var mixer = SplitMix64(seed: next())
        return mixer.next()
    }

    /// The seed of the `index`-th child of `seed`, without a generator: the same for a given
    /// pair on every machine (used for per-environment seeds in a vector and for level seeds).
    public static func derive(seed: UInt64, index: UInt64) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return mixer.next()
    }

    /// Fisher-Yates shuffle with this generator (the standard library's would take any RNG, but
    /// spelling it here fixes the sequence of draws).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = uniform(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
