// Checkpointing the framework's seeded generator: its 256-bit state as four words, so a
// resumed run draws exactly the numbers the uninterrupted one would have drawn.
import RL

extension SeededGenerator {
    /// The generator's four state words (xoshiro256**'s s0...s3).
    ///
    /// RL's `SeededGenerator` keeps its state private and offers `init(state:)`; the state is
    /// read here from the struct's memory, which is exactly its four stored UInt64 words (the
    /// round trip is checked by a test, so a layout change cannot pass silently).
    public var stateWords: [UInt64] {
        withUnsafeBytes(of: self) { raw in
            precondition(raw.count == 32, "SeededGenerator.stateWords: expected 32 bytes of state, found \(raw.count)")
            return (0..<4).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
    }

    /// A generator continuing from `stateWords`; nil for a malformed or all-zero state.
    public init?(stateWords words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        self.init(state: (words[0], words[1], words[2], words[3]))
    }
}
