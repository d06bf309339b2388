// A fixed set of threads that run one job in parallel, over and over, without creating threads
// or allocating per run: the caller's thread is worker 0. Between runs a worker spins briefly on
// a generation counter (a batch of environment steps takes microseconds, a futex wake-up tens of
// them) and then sleeps on its semaphore, so an idle pool costs no CPU. The threads hold only the
// shared state, never the pool, so releasing the pool stops and joins them.
import Foundation
import Synchronization

/// Runs `job(worker)` for worker in 0..<threads on `threads` threads each time `run()` is called.
public final class WorkerPool: Sendable {
    public let threads: Int
    private let shared: Shared

    /// A worker's sleep flag and wake-up semaphore.
    private final class Slot: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    /// What the pool and its threads share. Every mutable field is an atomic or a semaphore; the
    /// job's own data is partitioned by worker index, and `run` returns only after every worker
    /// has finished, which orders their writes before the caller's reads.
    private final class Shared: Sendable {
        let job: @Sendable (Int) -> Void
        let generation = Atomic<Int>(0)
        let remaining = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        let slots: [Slot]
        let exited = DispatchSemaphore(value: 0)
        let spinLimit: Int

        init(threads: Int, spinLimit: Int, job: @escaping @Sendable (Int) -> Void) {
            self.job = job
            self.spinLimit = spinLimit
            slots = (0..<threads).map { _ in Slot() }
        }

        func loop(_ worker: Int) {
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
                    // bumped the generation before we looked, and we take the flag back (if `run`
                    // took it first, its signal is on the way and the wait consumes it).
                    slot.sleeping.store(true, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) != seen,
                       slot.sleeping.compareExchange(expected: true, desired: false,
                                                        ordering: .sequentiallyConsistent).exchanged {
                        break
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

        func wakeSleepers() {
            // A sequentially consistent load is a plain read on x86; the exchange (a locked
            // instruction) runs only for a worker that announced its sleep.
            for slot in slots.dropFirst() where slot.sleeping.load(ordering: .sequentiallyConsistent)
                && slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                slot.wake.signal()
            }
        }
    }

    /// `spinIterations` bounds the busy wait of an idle worker before it sleeps (default about
    /// half a millisecond: longer than a batch of steps, shorter than a scheduler tick).
    public init(threads: Int, spinIterations: Int = 500_000, job: @escaping @Sendable (Int) -> Void) {
        precondition(threads >= 1, "WorkerPool: threads \(threads) must be at least 1")
        self.threads = threads
        let shared = Shared(threads: threads, spinLimit: spinIterations, job: job)
        self.shared = shared
        for worker in 1..<max(threads, 1) {
            let thread = Thread { shared.loop(worker) }
            thread.name = "rl-worker-\(worker)"
            thread.start()
        }
    }

    /// Runs the job once on every worker and returns when all have finished.
    public func run() {
        guard threads > 1 else { shared.job(0); return }
        shared.remaining.store(threads - 1, ordering: .relaxed)
        shared.generation.add(1, ordering: .sequentiallyConsistent)
        shared.wakeSleepers()
        shared.job(0)
        var spins = 0
        while shared.remaining.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 1000 { sched_yield() }
        }
    }

    deinit {
        shared.stopping.store(true, ordering: .releasing)
        shared.generation.add(1, ordering: .sequentiallyConsistent)
        shared.wakeSleepers()
        for _ in 1..<threads { shared.exited.wait() }
    }
}
