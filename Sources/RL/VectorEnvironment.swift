// N environments stepped as one batch into one contiguous observation buffer, shared out across
// a persistent worker pool in chunks: each worker claims the chunks of its own contiguous share
// from its own atomic cursor (so threads do not write into each other's cache lines), then
// claims what is left of the others' shares, so a thread that finishes early, or the caller while
// a worker is descheduled on a busy machine, takes over their chunks and nobody waits on a slice. Each environment owns its generator, so results depend on
// the seed and never on the thread count or on which thread stepped which environment.
import Synchronization

/// A batch of environments with Gymnasium's next-step autoreset (gymnasium.vector,
/// `AutoresetMode.NEXT_STEP`):
///
/// - `step` returns, for an environment whose episode ends, the last observation of that
///   episode with its reward and `terminated`/`truncated` flags.
/// - On the following `step`, that environment's action is ignored: it is reset (with no new
///   seed, continuing its own generator), its slot receives the first observation of the new
///   episode, reward 0, `terminated` and `truncated` false, and `autoreset[i]` is true.
///
/// `reset(seed: s)` seeds environment i with `s + i`, as Gymnasium does. Observations, rewards,
/// flags and infos live in buffers allocated once; `step` allocates nothing.
public final class VectorEnvironment: @unchecked Sendable {
    // @unchecked: within one run each chunk of environments and buffer slots is claimed by
    // exactly one worker through its cursor, and the pool orders those writes before the
    // caller reads them (and before the next run's workers touch them).
    public let environments: [any Environment]
    public let count: Int
    public let observationSpace: Space
    public let actionSpace: Space
    /// Bytes of one environment's observation; environment i's slot starts at i * this.
    public let observationBytes: Int

    /// All observations, environment after environment.
    public let observations: UnsafeMutableRawBufferPointer
    public let rewards: UnsafeMutableBufferPointer<Float>
    public let terminated: UnsafeMutableBufferPointer<Bool>
    public let truncated: UnsafeMutableBufferPointer<Bool>
    /// True where the last `step` reset the environment instead of applying its action.
    public let autoreset: UnsafeMutableBufferPointer<Bool>
    public let infos: UnsafeMutableBufferPointer<StepInfo>

    private let actions: UnsafeMutableBufferPointer<Int>
    private let errors: UnsafeMutableBufferPointer<(any Error)?>
    private var pool: WorkerPool!
    /// Environments per chunk, and each worker's cursor over its share of the chunks.
    private let chunkSize: Int
    private let cursors: [ChunkCursor]
    /// Set when a step stored an error, so a batch without one skips scanning `errors`.
    private let failed = Atomic<Bool>(false)
    private var resetting = false
    private var resetSeed: UInt64? = nil
    private var didReset = false

    /// `threads` workers (at most one per environment) share the environments chunk by chunk.
    /// `chunkSize` is how many environments a worker claims at once: by default about a quarter
    /// of a worker's share, right for environments that step in microseconds (mazes); pass 1
    /// where one step costs much more and varies (an Atari step is ~4 frames, its reset ~100).
    public init(_ environments: [any Environment], threads: Int = 1, chunkSize: Int? = nil) {
        precondition(chunkSize.map { $0 >= 1 } ?? true, "VectorEnvironment: chunkSize \(chunkSize!) must be at least 1")
        precondition(!environments.isEmpty, "VectorEnvironment: needs at least one environment")
        let space = environments[0].observationSpace
        for env in environments where env.observationSpace != space || env.actionSpace != environments[0].actionSpace {
            preconditionFailure("VectorEnvironment: spaces differ: \(env.observationSpace) vs \(space)")
        }
        self.environments = environments
        count = environments.count
        observationSpace = space
        actionSpace = environments[0].actionSpace
        observationBytes = space.byteCount
        observations = .allocate(byteCount: observationBytes * count, alignment: 64)
        observations.initializeMemory(as: UInt8.self, repeating: 0)
        rewards = .allocate(capacity: count); rewards.initialize(repeating: 0)
        terminated = .allocate(capacity: count); terminated.initialize(repeating: false)
        truncated = .allocate(capacity: count); truncated.initialize(repeating: false)
        autoreset = .allocate(capacity: count); autoreset.initialize(repeating: false)
        infos = .allocate(capacity: count); infos.initialize(repeating: StepInfo())
        actions = .allocate(capacity: count); actions.initialize(repeating: 0)
        errors = .allocate(capacity: count); errors.initialize(repeating: nil)
        let workers = max(1, min(threads, count))
        // By default about four chunks per worker: enough to even out a late start or a slow one,
        // few enough that claiming one (an atomic add) costs nothing beside stepping it.
        self.chunkSize = workers == 1 ? count : chunkSize ?? max(1, count / (workers * 4))
        let chunkCount = (count + self.chunkSize - 1) / self.chunkSize
        cursors = (0..<workers).map { ChunkCursor(start: $0 * chunkCount / workers, end: ($0 + 1) * chunkCount / workers) }
        pool = WorkerPool(threads: workers) { [unowned self] worker in self.claimChunks(worker) }
    }

    deinit {
        pool = nil
        observations.deallocate()
        rewards.deallocate(); terminated.deallocate(); truncated.deallocate(); autoreset.deallocate()
        infos.deinitialize(); infos.deallocate()
        actions.deallocate()
        errors.deinitialize(); errors.deallocate()
    }

    public var threads: Int { pool.threads }

    /// The observation slot of environment `index`.
    public func observation(_ index: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: observations[index * observationBytes ..< (index + 1) * observationBytes])
    }

    /// Resets every environment; `seed` seeds environment i with `seed + i`.
    public func reset(seed: UInt64?) {
        resetting = true
        resetSeed = seed
        for cursor in cursors { cursor.rewind() }
        pool.run()
        resetting = false
        didReset = true
    }

    /// Steps every environment with its action (see the type's documentation for autoreset).
    /// Throws the first error in environment order (an action outside the space), after the
    /// whole batch has run.
    public func step(_ batch: [Int]) throws {
        precondition(batch.count == count, "VectorEnvironment.step: \(batch.count) actions for \(count) environments")
        if !didReset { throw EnvironmentError.stepBeforeReset }
        for i in 0..<count { actions[i] = batch[i] }
        for cursor in cursors { cursor.rewind() }
        pool.run()
        guard failed.load(ordering: .relaxed) else { return }
        failed.store(false, ordering: .relaxed)
        for i in 0..<count {
            if let error = errors[i] { errors[i] = nil; throw error }
        }
    }

    /// Steps chunks until none is left, its own share first, then the others' in turn; every
    /// worker of a run, the caller included, runs this.
    private func claimChunks(_ worker: Int) {
        for k in 0..<cursors.count {
            let cursor = cursors[(worker + k) % cursors.count]
            while let chunk = cursor.claim() {
                work(chunk * chunkSize ..< min(count, (chunk + 1) * chunkSize))
            }
        }
    }

    private func work(_ slice: Range<Int>) {
        for i in slice {
            let env = environments[i], slot = observation(i)
            if resetting {
                infos[i] = env.reset(seed: resetSeed.map { $0 &+ UInt64(i) }, observation: slot)
                rewards[i] = 0; terminated[i] = false; truncated[i] = false; autoreset[i] = false
                continue
            }
            if terminated[i] || truncated[i] {
                infos[i] = env.reset(seed: nil, observation: slot)
                rewards[i] = 0; terminated[i] = false; truncated[i] = false; autoreset[i] = true
                continue
            }
            autoreset[i] = false
            do {
                let result = try env.step(actions[i], observation: slot)
                rewards[i] = result.reward
                terminated[i] = result.terminated
                truncated[i] = result.truncated
                infos[i] = result.info
            } catch {
                errors[i] = error
                failed.store(true, ordering: .relaxed)
            }
        }
    }
}

/// One worker's share of a vector's chunks, claimed in order by whichever thread gets there
/// first. Padded past two cache lines so that two cursors' counters never share a line.
private final class ChunkCursor: Sendable {
    private let next = Atomic<Int>(0)
    private let start: Int
    private let end: Int
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    init(start: Int, end: Int) {
        self.start = start
        self.end = end
        next.store(start, ordering: .relaxed)
    }

    /// Before a run; the pool's start of run orders this before any worker's claim.
    func rewind() { next.store(start, ordering: .relaxed) }

    /// The next chunk of this share, or nil when it is used up.
    func claim() -> Int? {
        guard next.load(ordering: .relaxed) < end else { return nil }
        let chunk = next.add(1, ordering: .relaxed).oldValue
        return chunk < end ? chunk : nil
    }
}
