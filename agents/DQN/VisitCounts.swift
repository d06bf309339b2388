// Visit counts of observations for a count-based exploration bonus (Strehl & Littman 2008's
// MBIE-EB bonus beta / sqrt(N); Bellemare et al. 2016 for its use with deep RL). Sparse mazes
// such as DoorKey-8x8 pay nothing until key, door and goal are found in order, which
// epsilon-greedy rarely does; the bonus pays for seeing a view not seen often (a key in hand
// changes the view), and fades as views become familiar. Counts live in a fixed table indexed
// by a 64-bit hash of the observation bytes (collisions merge counts, as a count sketch
// does), so counting allocates nothing.
import Foundation

/// A fixed-size table of observation visit counts.
public final class VisitCounts {
    /// Table entries (a power of two).
    public let capacity: Int
    private let counts: UnsafeMutableBufferPointer<UInt32>

    public init(capacity: Int = 1 << 20) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "VisitCounts: capacity \(capacity) must be a power of two")
        self.capacity = capacity
        counts = .allocate(capacity: capacity)
        counts.initialize(repeating: 0)
    }

    deinit { counts.deallocate() }

    /// Counts one more visit of `observation` and returns the visits so far (at least 1).
    public func visit(_ observation: UnsafeRawBufferPointer) -> UInt32 {
        let slot = Int(truncatingIfNeeded: VisitCounts.hash(observation)) & (capacity - 1)
        if counts[slot] < UInt32.max { counts[slot] += 1 }
        return counts[slot]
    }

    /// FNV-1a over the bytes, then a final mix so nearby views spread over the table.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// Writes the table (little-endian UInt32s) to `url`.
    public func save(to url: URL) throws {
        try Data(buffer: UnsafeBufferPointer(counts)).write(to: url)
    }

    /// Reads a table written by `save`; a file of the wrong size is an error naming it.
    public func load(from url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count == capacity * MemoryLayout<UInt32>.size else {
            throw DQNError.badState(path: url.path, reason: "visit counts of \(data.count) bytes, expected \(capacity * 4)")
        }
        _ = data.copyBytes(to: counts)
    }
}
