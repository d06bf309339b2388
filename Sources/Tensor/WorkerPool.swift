// A fork-join pool for the engine's own memory-bound kernels (im2col, col2im, layout moves,
// optimiser updates), so that with OpenBLAS on N threads the work between GEMMs also uses N
// cores. Workers block on a condition variable when idle (they must not spin against OpenBLAS's
// threads), and a job is a non-escaping closure, so a parallel loop allocates nothing.
import Foundation

/// Runs `parts` pieces of a loop on the calling thread and up to `parts − 1` pool threads.
///
/// `@unchecked Sendable`: every shared field is read and written under `mutex`; the job closure
/// is only called between publication and the count of finished parts reaching zero, during
/// which the publishing call is blocked and keeps everything it captured alive.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Held by the one caller using the pool; others (concurrent models) run their loop inline.
    private let caller = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// The published job: a function that captures nothing, and the caller's state it reads.
    private var job: (@convention(c) (UnsafeRawPointer, Int) -> Void)?
    private var jobState: UnsafeRawPointer?
    private var generation = 0
    private var parts = 0
    private var pending = 0
    private var workerCount = 0

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(caller, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
    }

    /// Calls job(state, 0) ..< job(state, parts − 1), concurrently where threads allow; returns
    /// when all are done. Pieces must touch disjoint memory. While another thread is using the
    /// pool (two models stepping at once), the pieces run one after another on the calling
    /// thread. `job` is a C function pointer and `state` lives on the caller's stack, so a
    /// parallel loop allocates nothing (a Swift closure handed to other threads would need a
    /// heap context).
    func run(parts requested: Int, state: UnsafeRawPointer, _ job: @convention(c) (UnsafeRawPointer, Int) -> Void) {
        guard requested > 1, pthread_mutex_trylock(caller) == 0 else {
            for part in 0..<max(requested, 0) { job(state, part) }
            return
        }
        defer { pthread_mutex_unlock(caller) }
        ensureWorkers(requested - 1)
        pthread_mutex_lock(mutex)
        self.job = job
        jobState = state
        parts = requested
        pending = requested - 1
        generation += 1
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        job(state, 0)
        pthread_mutex_lock(mutex)
        while pending > 0 { pthread_cond_wait(finished, mutex) }
        self.job = nil
        jobState = nil
        pthread_mutex_unlock(mutex)
    }

    /// Starts workers up to `count` (only when a larger split is first asked for).
    private func ensureWorkers(_ count: Int) {
        pthread_mutex_lock(mutex)
        let existing = workerCount
        workerCount = max(workerCount, count)
        let seen = generation
        pthread_mutex_unlock(mutex)
        for index in existing..<count {
            let thread = Thread { [self] in workerLoop(part: index + 1, seen: seen) }
            thread.name = "tensor-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs one piece. `job` and `jobState` are read without the mutex: they were written
    /// before the wake-up this worker saw under the mutex, and they do not change until this
    /// piece is reported finished.
    private func runPart(_ part: Int) {
        if let job, let jobState { job(jobState, part) }
    }

    private func workerLoop(part: Int, seen initial: Int) {
        var seen = initial
        pthread_mutex_lock(mutex)
        while true {
            while generation == seen { pthread_cond_wait(wake, mutex) }
            seen = generation
            guard part < parts, job != nil else { continue }
            pthread_mutex_unlock(mutex)
            runPart(part)
            pthread_mutex_lock(mutex)
            pending -= 1
            if pending == 0 { pthread_cond_signal(finished) }
        }
    }
}

/// Splits 0..<count into contiguous ranges, one per OpenBLAS thread (only when the work is
/// large enough to pay for waking a thread), and runs `body` on each. With one thread it is a
/// plain call and allocates nothing. Known cost with more threads: the optimiser specialises
/// this function for each caller's closure and then boxes that closure's context on the heap
/// for `withoutActuallyEscaping`, one small allocation per parallel loop (about 30 per Nature
/// CNN training step, measured with a malloc uprobe).
func parallelRanges(_ count: Int, minimumPerPart: Int = 4096, _ body: (Range<Int>) -> Void) {
    let threads = BLAS.threadCount
    let parts = min(threads, max(1, count / max(minimumPerPart, 1)))
    if parts <= 1 {
        body(0..<count)
        return
    }
    // The closure stays on this stack frame; workers reach it through a pointer and call it
    // only while `run` blocks here, so it never outlives this call.
    withoutActuallyEscaping(body) { escapable in
        var job = RangeJob(count: count, parts: parts, body: escapable)
        withUnsafePointer(to: &job) { pointer in
            WorkerPool.shared.run(parts: parts, state: UnsafeRawPointer(pointer)) { state, part in
                let job = state.assumingMemoryBound(to: RangeJob.self)
                let start = job.pointee.count * part / job.pointee.parts
                let end = job.pointee.count * (part + 1) / job.pointee.parts
                job.pointee.body(start..<end)
            }
        }
    }
}

/// What the pieces of one `parallelRanges` call share.
private struct RangeJob {
    let count: Int
    let parts: Int
    let body: (Range<Int>) -> Void
}
