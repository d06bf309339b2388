// The engine's one door to OpenBLAS: row-major sgemm with named transposes, and the thread
// count. Everything else in the engine calls these, so the BLAS layout choices live here.
import CBLAS

/// OpenBLAS's thread pool and kernel family. Set 1 thread in actor-learner threads so workers
/// do not oversubscribe the cores.
public enum BLAS {
    /// Threads OpenBLAS uses for each GEMM (process-wide).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "BLAS.threadCount: \(newValue) threads")
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// The kernel family OpenBLAS chose ("Haswell", "Cooperlake", ...): its own detection, or
    /// the OPENBLAS_CORETYPE environment variable where that is set. Benchmarks report it.
    public static var coreName: String { String(cString: openblas_get_corename()) }
}

/// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, all row-major and contiguous.
/// `transA`: A is stored [k,m]; `transB`: B is stored [n,k].
@inline(__always)
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
          _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, beta: Float,
          _ c: UnsafeMutablePointer<Float>) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
}
