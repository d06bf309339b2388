// The learners' uniform replay buffer. Each observation frame is stored once, as raw bytes
// (uint8 images, symbolic grids, or float32 vectors alike), in a circular arena; a stack of
// `stackSize` frames and the n-step return are assembled at sample time, so one million 84x84
// transitions take about 7.1 GB instead of four times that.
//
// Slots are addressed by a monotonically increasing stamp (slot = stamp % capacity), so that
// "is this frame still here, and does it belong to the same episode" is two integer
// comparisons. An episode of T steps occupies T + 1 slots: one per action taken, and one for
// the final observation, which a truncated episode needs to bootstrap from.
//
// Frames of a stack that lie before the episode's first frame are zeroed, as the original
// DQN's transition table does (DeepMind's `TransitionTable:concatFrames`); Dopamine gets the
// same states by storing zero frames at each episode start. The agent's acting stack must
// zero-pad in the same way (AgentKit's `FrameStacker` does).

/// Sizes and discounting of a replay buffer.
public struct ReplayBufferConfiguration: Sendable, Equatable, Codable {
    /// Number of frame slots (transitions, plus one final observation per finished episode).
    public var capacity: Int
    /// Bytes of one frame: the observation space's `byteCount` for unstacked observations.
    public var frameByteCount: Int
    /// Frames per state; 1 for observations that are already complete states.
    public var stackSize: Int
    /// Steps of the n-step return (1 for the one-step TD target).
    public var nStep: Int
    /// Discount per step for the n-step return and the bootstrap factor.
    public var gamma: Float

    public init(capacity: Int, frameByteCount: Int, stackSize: Int = 1, nStep: Int = 1,
                gamma: Float = 0.99) {
        self.capacity = capacity
        self.frameByteCount = frameByteCount
        self.stackSize = stackSize
        self.nStep = nStep
        self.gamma = gamma
    }

    /// Bytes of storage per slot besides the frame: action (4), reward (4), flags (1), stamp
    /// (8), episode start stamp (8).
    public static let metadataBytesPerSlot = 25

    /// Bytes the buffer allocates for this configuration.
    public var storageByteCount: Int {
        capacity * (frameByteCount + Self.metadataBytesPerSlot)
    }
}

/// A uniform replay buffer whose transitions are sampled into a caller-owned `ReplayBatch`.
///
/// Usage: call `add` once per environment step with the observation the action was taken in,
/// the action, the reward, the end flags and the next observation; then `sample`.
/// Observations are single frames (the newest frame of the state when `stackSize > 1`).
public final class ReplayBuffer {
    public let configuration: ReplayBufferConfiguration

    // Slot storage, allocated once. Pages the buffer never touches are never committed, so a
    // large capacity costs memory only as it fills.
    let frames: UnsafeMutableRawPointer
    let actions: UnsafeMutablePointer<Int32>
    let rewards: UnsafeMutablePointer<Float>
    let flags: UnsafeMutablePointer<UInt8>
    let stamps: UnsafeMutablePointer<Int64>
    let episodeStarts: UnsafeMutablePointer<Int64>

    /// The stamp the next written frame gets; every stamp below it was written.
    public internal(set) var writeHead: Int64 = 0
    /// The stamp of the current state's frame, awaiting its action; -1 between episodes.
    public internal(set) var pendingStamp: Int64 = -1
    /// Transitions (actions) added since creation.
    public internal(set) var transitionsAdded: Int64 = 0
    /// Stamp of the current episode's first frame.
    var currentEpisodeStart: Int64 = 0
    /// The stamp of the most recent slot that holds an action.
    public internal(set) var lastActionStamp: Int64 = -1

    static let hasAction: UInt8 = 1
    static let terminatedFlag: UInt8 = 2
    static let truncatedFlag: UInt8 = 4

    public init(_ configuration: ReplayBufferConfiguration) {
        precondition(configuration.capacity > configuration.nStep + configuration.stackSize,
                     "ReplayBuffer: capacity \(configuration.capacity) must exceed nStep + stackSize")
        precondition(configuration.frameByteCount > 0 && configuration.stackSize >= 1 && configuration.nStep >= 1,
                     "ReplayBuffer: frameByteCount, stackSize and nStep must be positive")
        self.configuration = configuration
        let n = configuration.capacity
        frames = UnsafeMutableRawPointer.allocate(byteCount: n * configuration.frameByteCount, alignment: 64)
        actions = .allocate(capacity: n)
        rewards = .allocate(capacity: n)
        flags = .allocate(capacity: n)
        stamps = .allocate(capacity: n)
        episodeStarts = .allocate(capacity: n)
        flags.initialize(repeating: 0, count: n)
        stamps.initialize(repeating: -1, count: n)
        episodeStarts.initialize(repeating: 0, count: n)
        actions.initialize(repeating: 0, count: n)
        rewards.initialize(repeating: 0, count: n)
    }

    deinit {
        frames.deallocate()
        actions.deallocate()
        rewards.deallocate()
        flags.deallocate()
        stamps.deallocate()
        episodeStarts.deallocate()
    }

    public var capacity: Int { configuration.capacity }

    /// The oldest stamp still stored.
    public var oldestStamp: Int64 { max(0, writeHead - Int64(configuration.capacity)) }

    /// Slots written and still held.
    public var count: Int { Int(writeHead - oldestStamp) }

    @inline(__always) func slot(_ stamp: Int64) -> Int { Int(stamp % Int64(configuration.capacity)) }

    /// Records one environment step. `observation` is the frame the action was taken in (it is
    /// stored only at an episode's start; afterwards it is the previous step's
    /// `nextObservation` and is overwritten with the bytes given, which should be the same).
    /// After `terminated` or `truncated` the next call starts a new episode.
    public func add(observation: UnsafeRawBufferPointer, action: Int, reward: Float,
                    terminated: Bool, truncated: Bool, nextObservation: UnsafeRawBufferPointer) {
        let frameBytes = configuration.frameByteCount
        precondition(observation.count >= frameBytes && nextObservation.count >= frameBytes,
                     "ReplayBuffer.add: observations hold \(observation.count) and \(nextObservation.count) bytes; a frame is \(frameBytes)")
        let stamp: Int64
        if pendingStamp < 0 {
            stamp = writeHead
            currentEpisodeStart = stamp
            writeFrame(stamp, observation)
            writeHead += 1
        } else {
            stamp = pendingStamp
            copyFrame(into: slot(stamp), from: observation)
        }
        let s = slot(stamp)
        actions[s] = Int32(action)
        rewards[s] = reward
        flags[s] = Self.hasAction | (terminated ? Self.terminatedFlag : 0) | (truncated ? Self.truncatedFlag : 0)
        lastActionStamp = stamp
        transitionsAdded += 1
        let next = writeHead
        writeFrame(next, nextObservation)
        writeHead += 1
        pendingStamp = (terminated || truncated) ? -1 : next
    }

    private func writeFrame(_ stamp: Int64, _ bytes: UnsafeRawBufferPointer) {
        let s = slot(stamp)
        copyFrame(into: s, from: bytes)
        flags[s] = 0
        stamps[s] = stamp
        episodeStarts[s] = currentEpisodeStart
    }

    @inline(__always) private func copyFrame(into s: Int, from bytes: UnsafeRawBufferPointer) {
        let frameBytes = configuration.frameByteCount
        (frames + s * frameBytes).copyMemory(from: bytes.baseAddress!, byteCount: frameBytes)
    }

    // MARK: - Validity

    /// Whether the transition at `stamp` can be sampled: its action is stored, the frames of
    /// its stack that belong to its episode are still held, and its n-step look-ahead is
    /// complete (n actions later, or the episode's end).
    public func isValid(_ stamp: Int64) -> Bool {
        guard stamp >= oldestStamp, stamp < writeHead else { return false }
        let s = slot(stamp)
        guard stamps[s] == stamp, flags[s] & Self.hasAction != 0 else { return false }
        let first = max(episodeStarts[s], stamp - Int64(configuration.stackSize - 1))
        guard first >= oldestStamp else { return false }
        return lookahead(stamp) != nil
    }

    /// The number of steps m (1...n) of the n-step return from `stamp` and whether the episode
    /// terminated within them; nil when the look-ahead is not yet stored.
    @inline(__always) func lookahead(_ stamp: Int64) -> (steps: Int, terminated: Bool)? {
        let n = configuration.nStep
        for j in 0..<n {
            let u = stamp + Int64(j)
            if u > lastActionStamp { return nil }
            let f = flags[slot(u)]
            if f & Self.hasAction == 0 { return nil }
            if f & Self.terminatedFlag != 0 { return (j + 1, true) }
            if f & Self.truncatedFlag != 0 { return (j + 1, false) }
        }
        return (n, false)
    }

    // MARK: - Sampling

    /// Fills `batch` with `batch.batchSize` transitions drawn uniformly among the valid ones.
    /// Allocates nothing. Precondition: some transition is valid (the learner waits for its
    /// warm-up before sampling).
    public func sample<G: RandomNumberGenerator>(into batch: ReplayBatch, using generator: inout G) {
        precondition(batch.stateByteCount == configuration.stackSize * configuration.frameByteCount,
                     "ReplayBuffer.sample: batch states hold \(batch.stateByteCount) bytes; the buffer's hold \(configuration.stackSize * configuration.frameByteCount)")
        let span = UInt64(count)
        precondition(span > 0, "ReplayBuffer.sample: the buffer is empty")
        for b in 0..<batch.batchSize {
            var attempts = 0
            var stamp: Int64
            repeat {
                stamp = oldestStamp + Int64(uniformIndex(span, &generator))
                attempts += 1
                precondition(attempts < 100_000, "ReplayBuffer.sample: no valid transition among \(count) slots")
            } while !isValid(stamp)
            copyTransition(stamp, into: batch, row: b)
            batch.weights[b] = 1
        }
    }

    /// Writes the transition at `stamp` into row `b` of `batch`: the state's stack, the
    /// action, the discounted n-step reward, the bootstrap discount (0 after termination,
    /// gamma^m otherwise) and the stack of the state m steps later.
    /// Precondition: `isValid(stamp)`.
    public func copyTransition(_ stamp: Int64, into batch: ReplayBatch, row b: Int) {
        guard let (m, terminated) = lookahead(stamp) else {
            preconditionFailure("ReplayBuffer.copyTransition: transition \(stamp) is not complete")
        }
        let gamma = configuration.gamma
        var ret: Float = 0
        var discount: Float = 1
        for j in 0..<m {
            ret += discount * rewards[slot(stamp + Int64(j))]
            discount *= gamma
        }
        batch.actions[b] = actions[slot(stamp)]
        batch.returns[b] = ret
        batch.discounts[b] = terminated ? 0 : discount
        batch.stamps[b] = stamp
        let stateBytes = batch.stateByteCount
        let episodeStart = episodeStarts[slot(stamp)]
        assembleStack(ending: stamp, episodeStart: episodeStart,
                      into: batch.observations.baseAddress! + b * stateBytes)
        assembleStack(ending: stamp + Int64(m), episodeStart: episodeStart,
                      into: batch.nextObservations.baseAddress! + b * stateBytes)
    }

    /// Copies frames `end - stackSize + 1 ... end` to `destination`, oldest first; frames
    /// before `episodeStart` are zeroed.
    func assembleStack(ending end: Int64, episodeStart: Int64, into destination: UnsafeMutableRawPointer) {
        let k = configuration.stackSize
        let frameBytes = configuration.frameByteCount
        for j in 0..<k {
            let u = end - Int64(k - 1 - j)
            let out = destination + j * frameBytes
            if u < episodeStart {
                out.initializeMemory(as: UInt8.self, repeating: 0, count: frameBytes)
            } else {
                out.copyMemory(from: frames + slot(u) * frameBytes, byteCount: frameBytes)
            }
        }
    }

    /// The state stack of the transition at `stamp`, for tests and inspection (allocates).
    public func state(at stamp: Int64) -> [UInt8] {
        let k = configuration.stackSize, frameBytes = configuration.frameByteCount
        var out = [UInt8](repeating: 0, count: k * frameBytes)
        out.withUnsafeMutableBytes {
            assembleStack(ending: stamp, episodeStart: episodeStarts[slot(stamp)], into: $0.baseAddress!)
        }
        return out
    }
}

/// An integer in `0..<n` from 64 random bits (Lemire's multiply-high reduction without its
/// rejection step: each value's probability is off by less than n / 2^64).
@inline(__always)
func uniformIndex<G: RandomNumberGenerator>(_ n: UInt64, _ generator: inout G) -> UInt64 {
    generator.next().multipliedFullWidth(by: n).high
}

/// A uniform Double in [0, 1) from the top 53 bits.
@inline(__always)
func uniformUnit<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
    Double(generator.next() >> 11) * (1.0 / 9007199254740992.0)
}
