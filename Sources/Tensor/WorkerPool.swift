// A fork-join pool for the engine's own memory-bound kernels (im2col, col2im, layout moves,
// optimiser updates), so that with OpenBLAS on N threads the work between GEMMs also uses N
// cores. Workers block on a condition variable when idle (they must not spin against OpenBLAS's
// threads), and a job is a C function pointer with a pointer to the caller's state, so a
// parallel loop allocates nothing.
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
        // Named from the thread itself: on Linux, Foundation passes a name to the OS thread only
        // when the thread sets its own. Profilers and the allocation test tell the pool's
        // threads apart by it.
        Thread.current.name = "tensor-worker-\(part)"
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

/// A piece of a parallel loop: `kernel(state, start, end)` handles elements start..<end. A C
/// function pointer (a closure literal that captures nothing) with its inputs in `state`, so
/// handing it to other threads needs no heap context.
typealias RangeKernel = @convention(c) (UnsafeRawPointer, Int, Int) -> Void

/// Splits 0..<count into contiguous ranges, one per engine thread (only when the work is large
/// enough to pay for waking a thread), and runs `kernel` on each with a pointer to `state`.
/// Allocates nothing with any thread count: `state` is copied to this stack frame, and the
/// pieces see it only while this call blocks. (A Swift closure would not do: making a
/// non-escaping closure callable from another thread boxes its context on the heap, one
/// allocation per loop, ~30 per Nature-CNN step.)
func parallelRanges<State>(_ count: Int, minimumPerPart: Int = 4096, state: State, _ kernel: RangeKernel) {
    let parts = min(BLAS.threadCount, max(1, count / max(minimumPerPart, 1)))
    withUnsafePointer(to: state) { statePointer in
        let raw = UnsafeRawPointer(statePointer)
        guard parts > 1 else {
            kernel(raw, 0, count)
            return
        }
        var job = RangeJob(count: count, parts: parts, kernel: kernel, state: raw)
        withUnsafePointer(to: &job) { pointer in
            WorkerPool.shared.run(parts: parts, state: UnsafeRawPointer(pointer)) { state, part in
                let job = state.assumingMemoryBound(to: RangeJob.self).pointee
                job.kernel(job.state, job.count * part / job.parts, job.count * (part + 1) / job.parts)
            }
        }
    }
}

/// Runs `kernel(state, part, parts)` for part in 0..<parts on the pool (parts ≤ the engine's
/// thread count), for work split by something other than an element range (batch slices).
func parallelParts<State>(_ parts: Int, state: State, _ kernel: RangeKernel) {
    withUnsafePointer(to: state) { statePointer in
        let raw = UnsafeRawPointer(statePointer)
        guard parts > 1 else {
            kernel(raw, 0, 1)
            return
        }
        var job = RangeJob(count: parts, parts: parts, kernel: kernel, state: raw)
        withUnsafePointer(to: &job) { pointer in
            WorkerPool.shared.run(parts: parts, state: UnsafeRawPointer(pointer)) { state, part in
                let job = state.assumingMemoryBound(to: RangeJob.self).pointee
                job.kernel(job.state, part, job.parts)
            }
        }
    }
}

/// What the pieces of one parallel loop share.
private struct RangeJob {
    let count: Int
    let parts: Int
    let kernel: RangeKernel
    let state: UnsafeRawPointer
}
