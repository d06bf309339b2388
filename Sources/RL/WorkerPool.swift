// A fixed set of threads that run one job in parallel, over and over, without creating threads
// or allocating per run: the caller's thread is worker 0, the others wait on their own
// semaphore between runs. The job is fixed at creation so no closure is built per run.
import Foundation

/// Runs `job(worker)` for worker in 0..<threads on `threads` threads each time `run()` is called.
public final class WorkerPool: @unchecked Sendable {
    // @unchecked: `stopping` is written only before the workers are woken for the last time, and
    // the semaphores order every hand-over; the job's own data is partitioned by worker index.
    public let threads: Int
    private let job: @Sendable (Int) -> Void
    private let start: [DispatchSemaphore]
    private let finished = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private var stopping = false

    public init(threads: Int, job: @escaping @Sendable (Int) -> Void) {
        precondition(threads >= 1, "WorkerPool: threads \(threads) must be at least 1")
        self.threads = threads
        self.job = job
        start = (0..<threads).map { _ in DispatchSemaphore(value: 0) }
        for worker in 1..<max(threads, 1) {
            let thread = Thread { [unowned self] in self.loop(worker) }
            thread.name = "rl-worker-\(worker)"
            thread.start()
        }
    }

    private func loop(_ worker: Int) {
        while true {
            start[worker].wait()
            if stopping { exited.signal(); return }
            job(worker)
            finished.signal()
        }
    }

    /// Runs the job once on every worker and returns when all have finished.
    public func run() {
        for worker in 1..<threads { start[worker].signal() }
        job(0)
        for _ in 1..<threads { finished.wait() }
    }

    deinit {
        stopping = true
        for worker in 1..<threads { start[worker].signal() }
        for _ in 1..<threads { exited.wait() }
    }
}
