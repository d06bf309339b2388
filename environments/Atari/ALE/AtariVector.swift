// N Atari games stepped as one batch on a worker pool, into one buffer of observations
// (EnvPool's design). Unlike RL's VectorEnvironment, whose workers own fixed slices, workers
// here take the next environment from an atomic counter: an Atari step costs from a few frames
// to a whole reset sequence (~100 frames), so fixed slices leave one thread idle while another
// finishes a reset; with the counter the early thread takes more games. An environment's result
// depends only on its own state, never on which thread stepped it, so a seed gives the same
// batch on any thread count. Nothing is allocated per step.
import RL
import Synchronization

/// A batch of environments (any, typically `atari/<game>` with a preset) with RL's
/// VectorEnvironment semantics: Gymnasium's next-step autoreset, environment i seeded with
/// `seed + i`, buffers allocated once.
public final class AtariVector: @unchecked Sendable {
    // @unchecked: during a run each environment index is claimed by exactly one worker (the
    // atomic counter), which alone touches that environment and its buffer slots; the pool's
    // completion counter orders those writes before the caller reads them.
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
    private let next = Atomic<Int>(0)
    private var pool: WorkerPool!
    private var resetting = false
    private var resetSeed: UInt64?
    private var didReset = false

    /// `threads` workers (at most one per environment) share the environments dynamically.
    public init(_ environments: [any Environment], threads: Int = 1) {
        precondition(!environments.isEmpty, "AtariVector: needs at least one environment")
        let space = environments[0].observationSpace
        for env in environments where env.observationSpace != space || env.actionSpace != environments[0].actionSpace {
            preconditionFailure("AtariVector: spaces differ: \(env.observationSpace) vs \(space)")
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
        pool = WorkerPool(threads: max(1, min(threads, count))) { [unowned self] _ in self.drain() }
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
        run()
        resetting = false
        didReset = true
    }

    /// Steps every environment with its action (an environment whose episode ended on the
    /// previous step is reset instead). Throws the first error in environment order after the
    /// whole batch has run.
    public func step(_ batch: [Int]) throws {
        precondition(batch.count == count, "AtariVector.step: \(batch.count) actions for \(count) environments")
        if !didReset { throw EnvironmentError.stepBeforeReset }
        for i in 0..<count { actions[i] = batch[i] }
        run()
        for i in 0..<count {
            if let error = errors[i] { errors[i] = nil; throw error }
        }
    }

    private func run() {
        next.store(0, ordering: .relaxed)
        pool.run()
    }

    /// A worker's share: environments claimed one at a time until none is left.
    private func drain() {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            work(i)
        }
    }

    private func work(_ i: Int) {
        let env = environments[i], slot = observation(i)
        if resetting {
            infos[i] = env.reset(seed: resetSeed.map { $0 &+ UInt64(i) }, observation: slot)
            rewards[i] = 0; terminated[i] = false; truncated[i] = false; autoreset[i] = false
            return
        }
        if terminated[i] || truncated[i] {
            infos[i] = env.reset(seed: nil, observation: slot)
            rewards[i] = 0; terminated[i] = false; truncated[i] = false; autoreset[i] = true
            return
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
        }
    }
}
