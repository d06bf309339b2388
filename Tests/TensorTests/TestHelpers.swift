// Helpers shared by the engine's tests: finite-difference gradient checks (central
// differences on a Double-accumulated loss), closeness checks, and golden-file access.
import Foundation
import Testing
import Tensor
import TestSupport

/// A tensor of `shape` with values uniform in [low, high) from `rng`.
func randomTensor(_ shape: [Int], _ rng: inout TensorRNG, low: Float = -1, high: Float = 1) -> FloatTensor {
    let t = FloatTensor(shape: shape)
    for i in 0..<t.count { t[i] = low + (high - low) * Float(rng.next() >> 40) / 16_777_216 }
    return t
}

/// Σ w ⊙ y in Double: a scalar loss whose gradient wrt y is exactly w.
func weightedSum(_ y: FloatTensor, _ w: FloatTensor) -> Double {
    var s = 0.0
    for i in 0..<y.count { s += Double(y[i]) * Double(w[i]) }
    return s
}

/// Compares `analytic` (the gradient of `loss` wrt `variable`) with central differences at up
/// to `samples` elements. Tolerance: |numeric − analytic| ≤ rtol·max(|n|, |a|) + atol.
/// With `skipKinks`, elements whose estimates at h and h/2 disagree (a ReLU kink inside the
/// step, where finite differences are meaningless) are skipped; at most a quarter may be.
func checkGradient(_ label: String, variable: FloatTensor, analytic: FloatTensor, loss: () -> Double,
                   h: Float = 1e-3, rtol: Double = 1e-2, atol: Double = 1e-3, samples: Int = 40,
                   skipKinks: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(variable.count == analytic.count, "\(label): gradient shape", sourceLocation: sourceLocation)
    var rng = TensorRNG(seed: UInt64(variable.count) &* 31 &+ 7)
    let indices = variable.count <= samples
        ? Array(0..<variable.count)
        : (0..<samples).map { _ in Int(rng.next() % UInt64(variable.count)) }
    func numeric(_ i: Int, _ step: Float) -> Double {
        let saved = variable[i]
        variable[i] = saved + step
        let plus = loss()
        variable[i] = saved - step
        let minus = loss()
        variable[i] = saved
        return (plus - minus) / Double(2 * step)
    }
    var skipped = 0, worst = 0.0
    for i in indices {
        let n = numeric(i, h)
        let a = Double(analytic[i])
        if skipKinks {
            let n2 = numeric(i, h / 2)
            if abs(n - n2) > rtol * max(abs(n), abs(n2)) + atol { skipped += 1; continue }
        }
        let error = abs(n - a)
        let allowed = rtol * max(abs(n), abs(a)) + atol
        worst = max(worst, error / allowed)
        #expect(error <= allowed, "\(label)[\(i)]: numeric \(n), analytic \(a)", sourceLocation: sourceLocation)
    }
    #expect(skipped * 4 <= indices.count, "\(label): \(skipped) of \(indices.count) samples sat on kinks",
            sourceLocation: sourceLocation)
}

/// Elementwise |a − b| ≤ rel · max(|b|, 1e-2 · max|b|): relative error, with elements far below
/// the tensor's scale judged against 1% of that scale (accumulation order makes their
/// relative error meaningless).
func expectClose(_ a: [Float], _ b: [Float], rel: Float = 1e-4, _ label: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(label): \(a.count) values vs \(b.count)", sourceLocation: sourceLocation)
    guard a.count == b.count, !b.isEmpty else { return }
    let scale = b.map(abs).max()!
    var worstIndex = 0, worstRatio: Float = 0
    for i in 0..<a.count {
        let allowed = rel * max(abs(b[i]), 1e-2 * scale, 1e-30)
        let ratio = abs(a[i] - b[i]) / allowed
        if ratio > worstRatio { worstRatio = ratio; worstIndex = i }
    }
    #expect(worstRatio <= 1, "\(label): worst element \(worstIndex): \(a[worstIndex]) vs reference \(b[worstIndex])",
            sourceLocation: sourceLocation)
}

/// A committed golden file made by scripts/torch_goldens.py.
func golden(_ name: String) throws -> SafeTensorsFile {
    try SafeTensors.read(TestEnvironment.packageRoot.appendingPathComponent("Tests/TensorTests/Goldens/\(name).safetensors"))
}

/// A fresh temporary directory for a test's files.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tensor-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
