// Visit counts of observations within the current episode, for an episodic exploration bonus.
// On procedurally generated levels (a fresh DoorKey or FourRooms layout every episode) global
// counts say little about the episode at hand; counts reset every episode reward covering this
// layout (Henaff et al. 2022, "Exploration via Elliptical Episodic Bonuses", show episodic
// counts are the part that matters on such tasks; Badia et al. 2020's NGU pairs them with
// global novelty). The table is small and stamped with the episode number, so starting an
// episode clears nothing and counting allocates nothing.

/// Observation visit counts since the current episode began.
public final class EpisodicVisitCounts {
    /// Table slots (a power of two).
    public let capacity: Int
    private let keys: UnsafeMutableBufferPointer<UInt64>
    private let stamps: UnsafeMutableBufferPointer<UInt32>
    private let counts: UnsafeMutableBufferPointer<UInt32>
    private var episode: UInt32 = 1
    /// Linear probing gives up after this many slots (the table is then too full to matter).
    private static let maxProbes = 64

    public init(capacity: Int = 1 << 14) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0,
                     "EpisodicVisitCounts: capacity \(capacity) must be a power of two")
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0)
        stamps = .allocate(capacity: capacity)
        stamps.initialize(repeating: 0)
        counts = .allocate(capacity: capacity)
        counts.initialize(repeating: 0)
    }

    deinit {
        keys.deallocate()
        stamps.deallocate()
        counts.deallocate()
    }

    /// Forgets every count: slots stamped with an older episode read as empty.
    public func beginEpisode() {
        episode &+= 1
        if episode == 0 {  // wrapped after 2^32 episodes: clear for real once
            stamps.update(repeating: 0)
            episode = 1
        }
    }

    /// Counts one more visit of `observation` in this episode and returns the visits so far
    /// (at least 1). Past `maxProbes` occupied slots an observation counts as new.
    public func visit(_ observation: UnsafeRawBufferPointer) -> UInt32 {
        let key = VisitCounts.hash(observation)
        var slot = Int(truncatingIfNeeded: key) & (capacity - 1)
        for _ in 0..<Self.maxProbes {
            if stamps[slot] != episode {
                stamps[slot] = episode
                keys[slot] = key
                counts[slot] = 1
                return 1
            }
            if keys[slot] == key {
                if counts[slot] < UInt32.max { counts[slot] += 1 }
                return counts[slot]
            }
            slot = (slot + 1) & (capacity - 1)
        }
        return 1
    }
}
