// The engine's one door to OpenBLAS: row-major sgemm with named transposes and leading
// dimensions, and the thread count. Everything else in the engine calls these, so the BLAS
// layout choices live here.
import CBLAS
import Synchronization

/// The engine's thread count and OpenBLAS's kernel family.
///
/// OpenBLAS itself always runs on one thread: the engine splits each large GEMM across its own
/// threads (convolutions by batch slice, linear layers by output or input features), each
/// piece a single-threaded OpenBLAS call. OpenBLAS's thread count is process-wide, and changing
/// it while another thread is inside a threaded OpenBLAS call is unsafe, so the engine never
/// changes it after start-up; models on several threads (A3C workers, tests in parallel) can
/// call into the engine at once.
public enum BLAS {
    /// Threads the engine splits its work across (process-wide). Defaults to OpenBLAS's own
    /// default (OPENBLAS_NUM_THREADS, else the core count). Set 1 in actor-learner threads so
    /// workers do not oversubscribe the cores.
    public static var threadCount: Int {
        get { engineThreads.count.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "BLAS.threadCount: \(newValue) threads")
            engineThreads.count.store(newValue, ordering: .relaxed)
        }
    }

    /// The kernel family OpenBLAS chose ("Haswell", "Cooperlake", ...): its own detection, or
    /// the OPENBLAS_CORETYPE environment variable where that is set. Benchmarks report it.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build description (version, DYNAMIC_ARCH, the chosen core, MAX_THREADS).
    public static var configuration: String { String(cString: openblas_get_config()) }
}

/// Reads OpenBLAS's default thread count once, as the engine's, then puts OpenBLAS on one
/// thread for good. Made on first use of the engine's thread count or of a GEMM.
private final class EngineThreads: Sendable {
    let count: Atomic<Int>
    init() {
        count = Atomic(max(1, Int(openblas_get_num_threads())))
        openblas_set_num_threads(1)
    }
}
private let engineThreads = EngineThreads()

/// Makes sure OpenBLAS has been put on one thread before a BLAS call.
@inline(__always)
func prepareBLAS() { _ = engineThreads }

/// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, all row-major and contiguous.
/// `transA`: A is stored [k,m]; `transB`: B is stored [n,k].
@inline(__always)
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
          _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, beta: Float,
          _ c: UnsafeMutablePointer<Float>) {
    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
         a, lda: transA ? m : k, b, ldb: transB ? k : n, beta: beta, c, ldc: n)
}

/// The same with explicit row strides, for sub-matrices (one thread's batch slice or rows).
@inline(__always)
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
          _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
          _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    prepareBLAS()
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
