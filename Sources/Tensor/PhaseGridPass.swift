// A strided convolution whose kernel is a whole number of strides (the Nature CNN's 8x8/4
// input layer) done without im2col: the input is rearranged once into stride phases
// ("space to depth": [C·s·s, B·Hs·Ws]), after which the convolution is a (k/s)²-tap stride-1
// convolution, i.e. (k/s)² GEMMs over shifted column windows of that one matrix, accumulated.
// The im2col columns (k²/s² times the input) are never written nor packed; the price is
// computing the output on the phase grid (Hs·Ws instead of OH·OW columns, 10% more for the
// Nature CNN) and re-reading the output (k/s)² times, which stays in cache because each
// thread works through its images a few at a time.

/// Sizes of one phase-grid convolution. Columns of the phase matrix and of the extended output
/// are b·Hs·Ws + bh·Ws + bw; output pixel (oh, ow) of image b sits at column b·Hs·Ws + oh·Ws + ow,
/// and tap (di, dj) reads the phase matrix `di·Ws + dj` columns further on.
struct PhaseGrid {
    let g: ConvGeometry
    /// Phase-grid height and width (H / s, W / s).
    var gridH: Int { g.height / g.stride }
    var gridW: Int { g.width / g.stride }
    var gridPixels: Int { gridH * gridW }
    /// Taps per axis (k / s).
    var taps: Int { g.kernelHeight / g.stride }
    /// Rows of the phase matrix: C·s·s.
    var phaseRows: Int { g.channels * g.stride * g.stride }
    /// Columns of the phase matrix and of the extended output: B·Hs·Ws.
    var columnCount: Int { g.batch * gridPixels }
    /// The furthest tap's column shift.
    var maxShift: Int { (taps - 1) * gridW + (taps - 1) }

    /// Whether a convolution can run on the phase grid: unpadded, strided, square kernel a
    /// multiple of the stride, and an image size a multiple of the stride.
    static func applies(_ g: ConvGeometry) -> Bool {
        g.padding == 0 && g.stride > 1 && g.kernelHeight == g.kernelWidth && g.kernelHeight % g.stride == 0
            && g.height % g.stride == 0 && g.width % g.stride == 0
    }
}

/// Images per forward chunk: a chunk's phase columns and output stay in a core's L2 cache
/// between their (k/s)² GEMMs (4 Atari stacks: 450 KB of phases, 225 KB of output).
let phaseGridChunkImages = 4

/// tapWeights[di·T + dj][oc, (c·s + ri)·s + rj] = W[oc, c, di·s + ri, dj·s + rj].
func splitTapWeights(_ w: UnsafePointer<Float>, _ grid: PhaseGrid, outChannels: Int,
                     into taps: UnsafeMutablePointer<Float>) {
    let s = grid.g.stride, k = grid.g.kernelHeight, t = grid.taps, r = grid.phaseRows
    for oc in 0..<outChannels {
        for c in 0..<grid.g.channels {
            for i in 0..<k {
                for j in 0..<k {
                    let tap = (i / s) * t + j / s
                    let row = (c * s + i % s) * s + j % s
                    taps[(tap * outChannels + oc) * r + row] = w[((oc * grid.g.channels + c) * k + i) * k + j]
                }
            }
        }
    }
}

/// The adjoint of `splitTapWeights`: dW[oc, c, di·s + ri, dj·s + rj] += tapGradients[...].
func addTapGradients(_ taps: UnsafePointer<Float>, _ grid: PhaseGrid, outChannels: Int,
                     into dw: UnsafeMutablePointer<Float>) {
    let s = grid.g.stride, k = grid.g.kernelHeight, t = grid.taps, r = grid.phaseRows
    for oc in 0..<outChannels {
        for c in 0..<grid.g.channels {
            for i in 0..<k {
                for j in 0..<k {
                    let tap = (i / s) * t + j / s
                    let row = (c * s + i % s) * s + j % s
                    dw[((oc * grid.g.channels + c) * k + i) * k + j] += taps[(tap * outChannels + oc) * r + row]
                }
            }
        }
    }
}

/// phases[(c·s + ri)·s + rj, b·Hs·Ws + bh·Ws + bw] = x[b, c, bh·s + ri, bw·s + rj] for batch
/// items `images`: each input row is split by column phase into s rows of the phase matrix.
func spaceToDepth(_ x: UnsafePointer<Float>, _ grid: PhaseGrid, images: Range<Int>,
                  into phases: UnsafeMutablePointer<Float>) {
    let g = grid.g, s = g.stride, n = grid.columnCount, gw = grid.gridW
    for b in images {
        for c in 0..<g.channels {
            for h in 0..<g.height {
                let (bh, ri) = h.quotientAndRemainder(dividingBy: s)
                let src = x + ((b * g.channels + c) * g.height + h) * g.width
                let dst = phases + (c * s + ri) * s * n + b * grid.gridPixels + bh * gw
                splitRowByPhase(src, width: g.width, stride: s, phaseStride: n, into: dst)
            }
        }
    }
}

/// dst[r·phaseStride + t] = src[s·t + r] for one row whose width is a multiple of s. Stride 4
/// moves four t's at a time with four-lane shuffles.
@inline(__always)
private func splitRowByPhase(_ src: UnsafePointer<Float>, width w: Int, stride s: Int, phaseStride: Int,
                             into dst: UnsafeMutablePointer<Float>) {
    var t = 0
    if s == 4 {
        t = splitStride4Groups(src, width: w, phaseStride: phaseStride, into: dst)
    }
    while s * t < w {
        for r in 0..<s { dst[r * phaseStride + t] = src[s * t + r] }
        t += 1
    }
}

/// y[b, oc, oh, ow] = ext[oc, b·Hs·Ws + oh·Ws + ow] + bias[oc] (then max(·, 0) when `relu`),
/// for batch items `images`.
func phaseGridToNCHW(_ ext: UnsafePointer<Float>, bias: UnsafePointer<Float>?, relu: Bool, _ grid: PhaseGrid,
                     outChannels: Int, images: Range<Int>, into y: UnsafeMutablePointer<Float>) {
    let g = grid.g, n = grid.columnCount
    for b in images {
        for oc in 0..<outChannels {
            let beta = bias?[oc] ?? 0
            for oh in 0..<g.outH {
                let src = ext + oc * n + b * grid.gridPixels + oh * grid.gridW
                let dst = y + ((b * outChannels + oc) * g.outH + oh) * g.outW
                if relu {
                    for ow in 0..<g.outW { dst[ow] = max(src[ow] + beta, 0) }
                } else {
                    for ow in 0..<g.outW { dst[ow] = src[ow] + beta }
                }
            }
        }
    }
}

/// ext[oc, b·Hs·Ws + oh·Ws + ow] = dy[b, oc, oh, ow] (masked by y > 0 when `mask`, the fused
/// ReLU's output, is given), biasGradient[oc] += the sum, for output channels `channels`. The
/// columns off the output grid are never written: they stay zero, so the taps' weight-gradient
/// GEMMs can run over the whole batch at once.
func nchwToPhaseGrid(_ dy: UnsafePointer<Float>, mask: UnsafePointer<Float>?, _ grid: PhaseGrid, outChannels: Int,
                     channels: Range<Int>, into ext: UnsafeMutablePointer<Float>,
                     biasGradient: UnsafeMutablePointer<Float>?) {
    let g = grid.g, n = grid.columnCount, p = g.outPixels
    for oc in channels {
        var sum: Float = 0
        for b in 0..<g.batch {
            for oh in 0..<g.outH {
                let offset = (b * outChannels + oc) * p + oh * g.outW
                let src = dy + offset
                let dst = ext + oc * n + b * grid.gridPixels + oh * grid.gridW
                var lanes = SIMD4<Float>()
                var ow = 0
                while ow + 4 <= g.outW {
                    var v = load4(src, ow)
                    if let mask { v.replace(with: 0, where: load4(mask + offset, ow) .<= 0) }
                    store4(v, dst, ow)
                    lanes += v
                    ow += 4
                }
                while ow < g.outW {
                    let keep = mask == nil || mask![offset + ow] > 0
                    let v = keep ? src[ow] : 0
                    dst[ow] = v
                    sum += v
                    ow += 1
                }
                sum += lanes.sum()
            }
        }
        biasGradient?[oc] += sum
    }
}

/// The pointers of one phase-grid convolution pass, and the work of one thread of it.
struct PhaseGridPass {
    let grid: PhaseGrid
    let outChannels: Int
    /// [T², OC, C·s·s].
    let tapWeights: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>?
    let relu: Bool
    let input: UnsafeMutablePointer<Float>
    /// [C·s·s, B·Hs·Ws].
    let phases: UnsafeMutablePointer<Float>
    /// Forward: the extended output [OC, B·Hs·Ws]. Backward: the extended output gradient.
    let ext: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>?
    /// Backward: [T², OC, C·s·s], overwritten.
    let tapGradients: UnsafeMutablePointer<Float>?

    var chunkCount: Int { (grid.g.batch + phaseGridChunkImages - 1) / phaseGridChunkImages }

    /// Forward for thread `part` of `parts`: chunks part, part + parts, ... in turn.
    func forward(part: Int, of parts: Int) {
        for chunk in stride(from: part, to: chunkCount, by: parts) {
            let images = (chunk * phaseGridChunkImages)..<min(grid.g.batch, (chunk + 1) * phaseGridChunkImages)
            forward(images: images)
        }
    }

    /// One chunk: its phases, then ext[:, chunk] = Σ_taps W_tap · phases[:, chunk + shift], then
    /// NCHW. The chunk's last `maxShift` columns are off the output grid and are not computed
    /// (their taps would read the next chunk's phases).
    private func forward(images: Range<Int>) {
        guard let output else { return }
        spaceToDepth(input, grid, images: images, into: phases)
        let n = grid.columnCount, r = grid.phaseRows, t = grid.taps
        let first = images.lowerBound * grid.gridPixels
        let width = images.count * grid.gridPixels - grid.maxShift
        for tap in 0..<(t * t) {
            let shift = (tap / t) * grid.gridW + tap % t
            Tensor.gemm(transA: false, transB: false, m: outChannels, n: width, k: r,
                        tapWeights + tap * outChannels * r, lda: r, phases + first + shift, ldb: n,
                        beta: tap == 0 ? 0 : 1, ext + first, ldc: n)
        }
        phaseGridToNCHW(ext, bias: bias.map { UnsafePointer($0) }, relu: relu, grid, outChannels: outChannels,
                        images: images, into: output)
    }

    /// Backward for thread `part` of `parts`: the weight gradient of taps part, part + parts, ...
    /// over the whole batch, dW_tap = ext[:, 0..<L] · phases[:, shift..<shift + L]^T.
    func backward(part: Int, of parts: Int) {
        guard let tapGradients else { return }
        let n = grid.columnCount, r = grid.phaseRows, t = grid.taps
        let width = n - grid.maxShift
        for tap in stride(from: part, to: t * t, by: parts) {
            let shift = (tap / t) * grid.gridW + tap % t
            Tensor.gemm(transA: false, transB: true, m: outChannels, n: r, k: width,
                        ext, lda: n, phases + shift, ldb: n, beta: 0, tapGradients + tap * outChannels * r, ldc: r)
        }
    }
}
