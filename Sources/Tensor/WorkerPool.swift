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
    private var job: ((Int) -> Void)?
    private var generation = 0
    private var parts = 0
    private var pending = 0
    private var workerCount = 0

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
    }

    /// Calls body(0) ..< body(parts − 1), concurrently where threads allow; returns when all
    /// are done. Pieces must touch disjoint memory.
    func run(parts requested: Int, _ body: (Int) -> Void) {
        guard requested > 1 else {
            if requested == 1 { body(0) }
            return
        }
        ensureWorkers(requested - 1)
        withoutActuallyEscaping(body) { escapable in
            pthread_mutex_lock(mutex)
            job = escapable
            parts = requested
            pending = requested - 1
            generation += 1
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            escapable(0)
            pthread_mutex_lock(mutex)
            while pending > 0 { pthread_cond_wait(finished, mutex) }
            job = nil
            pthread_mutex_unlock(mutex)
        }
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

    private func workerLoop(part: Int, seen initial: Int) {
        var seen = initial
        pthread_mutex_lock(mutex)
        while true {
            while generation == seen { pthread_cond_wait(wake, mutex) }
            seen = generation
            guard part < parts, let body = job else { continue }
            pthread_mutex_unlock(mutex)
            body(part)
            pthread_mutex_lock(mutex)
            pending -= 1
            if pending == 0 { pthread_cond_signal(finished) }
        }
    }
}

/// Splits 0..<count into contiguous ranges, one per OpenBLAS thread (only when the work is
/// large enough to pay for waking a thread), and runs `body` on each.
@inline(__always)
func parallelRanges(_ count: Int, minimumPerPart: Int = 4096, _ body: (Range<Int>) -> Void) {
    let threads = BLAS.threadCount
    let parts = min(threads, max(1, count / max(minimumPerPart, 1)))
    if parts <= 1 {
        body(0..<count)
        return
    }
    WorkerPool.shared.run(parts: parts) { part in
        let start = count * part / parts, end = count * (part + 1) / parts
        body(start..<end)
    }
}
