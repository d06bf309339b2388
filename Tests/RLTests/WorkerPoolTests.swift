// The worker pool runs the job once per worker per run, and releasing it stops its threads.
import RL
import Synchronization
import Testing

private final class Tally: Sendable {
    let sum = Atomic<Int>(0)
}

@Suite("WorkerPool")
struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3])
    func everyWorkerRunsOncePerRun(_ threads: Int) {
        let tally = Tally()
        let pool = WorkerPool(threads: threads, spinIterations: 100) { worker in
            tally.sum.add(worker + 1, ordering: .relaxed)
        }
        for _ in 0..<50 { pool.run() }
        // Each run adds 1 + 2 + ... + threads.
        #expect(tally.sum.load(ordering: .relaxed) == 50 * threads * (threads + 1) / 2)
    }

    @Test func releasingThePoolDeinitializesIt() {
        weak var released: WorkerPool?
        do {
            let pool = WorkerPool(threads: 2, spinIterations: 100) { _ in }
            pool.run()
            released = pool
        }
        // The threads hold only the shared state, so the pool goes away (its deinit joins them).
        #expect(released == nil)
    }
}
