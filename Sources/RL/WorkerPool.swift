// A fixed set of threads that run one job in parallel, over and over, without creating threads
// or allocating per run: the caller's thread is worker 0. Between runs a worker spins briefly on
// a generation counter (a batch of environment steps takes microseconds, a futex wake-up tens of
// them) and then sleeps on its semaphore, so an idle pool costs no CPU.
import Foundation
import Synchronization

/// Runs `job(worker)` for worker in 0..<threads on `threads` threads each time `run()` is called.
public final class WorkerPool: @unchecked Sendable {
    // @unchecked: the shared fields are atomics or semaphores, `job` is immutable, and the job's
    // own data is partitioned by worker index; `run` returns only after every worker finished.
    public let threads: Int
    private let job: @Sendable (Int) -> Void
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let slots: [Slot]
    private let exited = DispatchSemaphore(value: 0)
    /// Spin iterations before a worker sleeps (one is an atomic load, about a nanosecond).
    private let spinLimit: Int

    private final class Slot: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    /// `spinIterations` bounds the busy wait of an idle worker before it sleeps (default about
    /// half a millisecond: longer than a batch of steps, shorter than a scheduler tick).
    public init(threads: Int, spinIterations: Int = 500_000, job: @escaping @Sendable (Int) -> Void) {
        precondition(threads >= 1, "WorkerPool: threads \(threads) must be at least 1")
        self.threads = threads
        spinLimit = spinIterations
        self.job = job
        slots = (0..<threads).map { _ in Slot() }
        for worker in 1..<max(threads, 1) {
            let thread = Thread { [unowned self] in self.loop(worker) }
            thread.name = "rl-worker-\(worker)"
            thread.start()
        }
    }

    private func loop(_ worker: Int) {
        var seen = 0
        let slot = slots[worker]
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                // Yield now and then: on an oversubscribed machine the caller may need this core.
                if spins & 1023 == 0 { sched_yield() }
                if spins < spinLimit { continue }
                // Announce the sleep, then re-check: `run` either sees the flag and signals, or
                // bumped the generation before we looked, in which case we take the flag back.
                slot.sleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    if slot.sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent).exchanged {
                        break
                    }
                }
                slot.wake.wait()
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { exited.signal(); return }
            job(worker)
            remaining.subtract(1, ordering: .releasing)
        }
    }

    private func wakeAll() {
        for worker in 1..<threads {
            if slots[worker].sleeping.exchange(false, ordering: .sequentiallyConsistent) { slots[worker].wake.signal() }
        }
    }

    /// Runs the job once on every worker and returns when all have finished.
    public func run() {
        guard threads > 1 else { job(0); return }
        remaining.store(threads - 1, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeAll()
        job(0)
        var spins = 0
        while remaining.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 1000 { sched_yield() }
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeAll()
        for _ in 1..<threads { exited.wait() }
    }
}
