// The convolution's memory kernels: batched im2col / col2im and the moves between the GEMM's
// [OC, B·OH·OW] layout and NCHW (fused with the bias and its gradient so each is one pass).
// Unsafe pointer loops, kept small and separate from Conv2D's readable flow. Each works on a
// range of rows, images or channels, so that a thread can run it on its own batch slice
// (ConvSlices) or the pool can split it.

/// Sizes of one convolution over one batch.
struct ConvGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int
    let outH: Int, outW: Int
    /// K: one row per (channel, kernel row, kernel column).
    var rowCount: Int { channels * kernelHeight * kernelWidth }
    /// N: one column per (batch item, output pixel).
    var columnCount: Int { batch * outH * outW }
    var outPixels: Int { outH * outW }
    /// Width of one phase of a deinterleaved row (ceil(width / stride)).
    var phaseWidth: Int { (width + stride - 1) / stride }
    /// Elements of the deinterleaved input: [B, C, H, stride, phaseWidth].
    var phaseCount: Int { batch * channels * height * stride * phaseWidth }
    /// Whether the contiguous-copy paths apply (no padding; stride 1 needs no phases).
    var usesPhases: Bool { padding == 0 && stride > 1 }
}

/// Deinterleaves image rows by column phase: phases[b, c, h, r, t] = x[b, c, h, s·t + r]
/// (0 past the edge). After this, each im2col row segment x[ih, s·ow + j] for ow = 0..<OW is
/// the contiguous run phases[ih, j mod s, j / s + ow], so strided gathers become plain copies.
/// This does image rows `rows` (indices over [B, C, H]).
func deinterleaveRows(_ x: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>,
                      into phases: UnsafeMutablePointer<Float>) {
    let s = g.stride, pw = g.phaseWidth, w = g.width
    for row in rows {
        deinterleaveRow(x + row * w, width: w, stride: s, phaseWidth: pw, into: phases + row * s * pw)
    }
}

/// The four-lane part of splitting one row by stride-4 phase: dst[r·phaseStride + t] =
/// src[4t + r] for every t of the whole groups of four that fit in `width`; returns the first t
/// left for the caller's element-by-element tail.
@inline(__always)
func splitStride4Groups(_ src: UnsafePointer<Float>, width w: Int, phaseStride: Int,
                        into dst: UnsafeMutablePointer<Float>) -> Int {
    var t = 0
    while 4 * (t + 4) <= w {
        let a = load4(src, 4 * t), b = load4(src, 4 * t + 4), c = load4(src, 4 * t + 8), d = load4(src, 4 * t + 12)
        store4(SIMD4(a[0], b[0], c[0], d[0]), dst, t)
        store4(SIMD4(a[1], b[1], c[1], d[1]), dst, phaseStride + t)
        store4(SIMD4(a[2], b[2], c[2], d[2]), dst, 2 * phaseStride + t)
        store4(SIMD4(a[3], b[3], c[3], d[3]), dst, 3 * phaseStride + t)
        t += 4
    }
    return t
}

/// One row: phase[r][t] = src[s·t + r]. Strides 4 and 2 (the Nature CNN's) move four t's at a
/// time with four-lane shuffles; the rest, and any other stride, go element by element.
@inline(__always)
private func deinterleaveRow(_ src: UnsafePointer<Float>, width w: Int, stride s: Int, phaseWidth pw: Int,
                             into dst: UnsafeMutablePointer<Float>) {
    var t = 0
    if s == 4 {
        t = splitStride4Groups(src, width: w, phaseStride: pw, into: dst)
    } else if s == 2 {
        while 2 * (t + 4) <= w {
            let a = load4(src, 2 * t), b = load4(src, 2 * t + 4)
            store4(SIMD4(a[0], a[2], b[0], b[2]), dst, t)
            store4(SIMD4(a[1], a[3], b[1], b[3]), dst, pw + t)
            t += 4
        }
    }
    for r in 0..<s {
        let phase = dst + r * pw
        var u = t
        while u < pw {
            let column = u * s + r
            phase[u] = column < w ? src[column] : 0
            u += 1
        }
    }
}

/// The adjoint of `deinterleaveRows`: dx[b, c, h, s·t + r] = phases[b, c, h, r, t], for image
/// rows `rows`.
func interleaveRows(_ phases: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>,
                    into dx: UnsafeMutablePointer<Float>) {
    let s = g.stride, pw = g.phaseWidth, w = g.width
    for row in rows {
        let src = phases + row * s * pw
        let dst = dx + row * w
        for r in 0..<s {
            let phase = src + r * pw
            var t = 0
            while t * s + r < w {
                dst[t * s + r] = phase[t]
                t += 1
            }
        }
    }
}

/// im2col without padding from rows whose needed runs are contiguous: `source` is the input
/// itself when the stride is 1, or its deinterleaved phases otherwise. This fills column rows
/// `rows` for batch items `images`.
func im2colContiguous(_ source: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, images: Range<Int>,
                      into columns: UnsafeMutablePointer<Float>) {
    let n = g.columnCount, p = g.outPixels, s = g.stride, ow = g.outW
    let rowLength = s == 1 ? g.width : s * g.phaseWidth
    let kernelArea = g.kernelHeight * g.kernelWidth
    let overshoots = ow >= 4 && rowLength >= 8
    for r in rows {
        let c = r / kernelArea, i = (r % kernelArea) / g.kernelWidth, j = r % g.kernelWidth
        let row = columns + r * n
        let offset = s == 1 ? j : (j % s) * g.phaseWidth + j / s
        for b in images {
            let plane = source + (b * g.channels + c) * g.height * rowLength + offset
            let block = row + b * p
            // One image's runs are adjacent in the row, so every run but the last is copied in
            // whole 8-lane chunks: the overshoot (< 8 ≤ 2·run) lands on the next run only, which
            // then overwrites it, and reads stay inside the plane's next source row (rows of at
            // least 8). No tail loops on runs of 20, 9 or 7 floats.
            var oh = 0
            if overshoots {
                while oh < g.outH - 1 {
                    copyRunOvershooting(plane + (oh * s + i) * rowLength, count: ow, into: block + oh * ow)
                    oh += 1
                }
            }
            while oh < g.outH {
                copyRun(plane + (oh * s + i) * rowLength, count: ow, into: block + oh * ow)
                oh += 1
            }
        }
    }
}

/// Patch rows of an unpadded convolution, the transpose of im2col: rows[b·P + oh·OW + ow,
/// (c·kh + i)·kw + j] = x[b, c, oh·s + i, ow·s + j], for batch items `images`. Each output
/// pixel's patch is one contiguous row of K floats, and each (c, i) piece of it is a contiguous
/// run of kw input floats, so no stride phases are needed and the GEMM, which reads this
/// operand transposed, packs it from long contiguous rows instead of K streams N apart.
func im2row(_ x: UnsafePointer<Float>, _ g: ConvGeometry, images: Range<Int>, into rows: UnsafeMutablePointer<Float>) {
    let k = g.rowCount, kw = g.kernelWidth, s = g.stride
    for b in images {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                var dst = rows + ((b * g.outH + oh) * g.outW + ow) * k
                for c in 0..<g.channels {
                    var src = x + ((b * g.channels + c) * g.height + oh * s) * g.width + ow * s
                    for _ in 0..<g.kernelHeight {
                        copyPatchRun(src, count: kw, into: dst)
                        src += g.width
                        dst += kw
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2row`: dx[b, c, oh·s + i, ow·s + j] += rows[...], for batch items
/// `images`, whose part of `dx` must start zeroed.
func row2im(_ rows: UnsafePointer<Float>, _ g: ConvGeometry, images: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
    let k = g.rowCount, kw = g.kernelWidth, s = g.stride
    for b in images {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                var src = rows + ((b * g.outH + oh) * g.outW + ow) * k
                for c in 0..<g.channels {
                    var dst = dx + ((b * g.channels + c) * g.height + oh * s) * g.width + ow * s
                    for _ in 0..<g.kernelHeight {
                        addPatchRun(src, count: kw, into: dst)
                        src += kw
                        dst += g.width
                    }
                }
            }
        }
    }
}

/// dst[0..<count] = src[0..<count] for a kernel row: one vector move for the Nature CNN's
/// widths 8 and 4, a scalar loop otherwise.
@inline(__always)
private func copyPatchRun(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
    switch count {
    case 8: store8(load8(src, 0), dst, 0)
    case 4: store4(load4(src, 0), dst, 0)
    default: for j in 0..<count { dst[j] = src[j] }
    }
}

/// dst[0..<count] += src[0..<count] for a kernel row (widths 8 and 4 as one vector add).
@inline(__always)
private func addPatchRun(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
    switch count {
    case 8: store8(load8(dst, 0) + load8(src, 0), dst, 0)
    case 4: store4(load4(dst, 0) + load4(src, 0), dst, 0)
    default: for j in 0..<count { dst[j] += src[j] }
    }
}

/// The adjoint of `im2colContiguous`: adds every column entry into `target` (the input
/// gradient when the stride is 1, its phases otherwise), which must start zeroed. This adds
/// input channels `channels` of batch items `images`.
func col2imContiguous(_ columns: UnsafePointer<Float>, _ g: ConvGeometry, channels: Range<Int>, images: Range<Int>,
                      into target: UnsafeMutablePointer<Float>) {
    let n = g.columnCount, p = g.outPixels, s = g.stride, ow = g.outW
    let rowLength = s == 1 ? g.width : s * g.phaseWidth
    for c in channels {
        for i in 0..<g.kernelHeight {
            for j in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * n
                let offset = s == 1 ? j : (j % s) * g.phaseWidth + j / s
                for b in images {
                    let plane = target + (b * g.channels + c) * g.height * rowLength + offset
                    for oh in 0..<g.outH {
                        addRun(row + b * p + oh * ow, count: ow, into: plane + (oh * s + i) * rowLength)
                    }
                }
            }
        }
    }
}

/// dst[0..<count] = src[0..<count], eight lanes at a time then a scalar tail (explicit lanes:
/// LLVM's own vectorisation adds an overlap check per call, costly on runs this short).
@inline(__always)
private func copyRun(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
    var k = 0
    while k + 8 <= count {
        store8(load8(src, k), dst, k)
        k += 8
    }
    while k < count {
        dst[k] = src[k]
        k += 1
    }
}

/// dst[0..<count] = src[0..<count] in whole 8-lane chunks: reads and writes up to 7 floats past
/// `count`, which the caller guarantees are inside both buffers and rewritten afterwards.
@inline(__always)
private func copyRunOvershooting(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
    var k = 0
    repeat {
        store8(load8(src, k), dst, k)
        k += 8
    } while k < count
}

/// dst[0..<count] += src[0..<count], eight lanes at a time then a scalar tail.
@inline(__always)
private func addRun(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
    var k = 0
    while k + 8 <= count {
        store8(load8(dst, k) + load8(src, k), dst, k)
        k += 8
    }
    while k < count {
        dst[k] += src[k]
        k += 1
    }
}

/// columns[(c·kh + i)·kw + j, b·P + oh·OW + ow] = x[b, c, oh·s + i − pad, ow·s + j − pad] (0 outside).
/// Writes are sequential along each row; reads stride by `stride` (a plain copy when 1).
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>) {
    let n = g.columnCount, p = g.outPixels
    for c in 0..<g.channels {
        for i in 0..<g.kernelHeight {
            for j in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * n
                for b in 0..<g.batch {
                    let image = x + (b * g.channels + c) * g.height * g.width
                    for oh in 0..<g.outH {
                        let dst = row + b * p + oh * g.outW
                        let ih = oh * g.stride + i - g.padding
                        guard ih >= 0 && ih < g.height else {
                            dst.update(repeating: 0, count: g.outW)
                            continue
                        }
                        copyStridedRow(image + ih * g.width, g, column: j, into: dst)
                    }
                }
            }
        }
    }
}

/// One output row of im2col: dst[ow] = src[ow·s + j − pad], zero outside the image.
@inline(__always)
private func copyStridedRow(_ src: UnsafePointer<Float>, _ g: ConvGeometry, column j: Int,
                            into dst: UnsafeMutablePointer<Float>) {
    let s = g.stride
    if g.padding == 0 {
        let start = src + j
        if s == 1 { dst.update(from: start, count: g.outW); return }
        for ow in 0..<g.outW { dst[ow] = start[ow * s] }
        return
    }
    for ow in 0..<g.outW {
        let iw = ow * s + j - g.padding
        dst[ow] = (iw >= 0 && iw < g.width) ? src[iw] : 0
    }
}

/// The adjoint of im2col: dx = 0, then every column entry added back to the pixel it came from.
func col2im(_ columns: UnsafePointer<Float>, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
    dx.update(repeating: 0, count: g.batch * g.channels * g.height * g.width)
    let n = g.columnCount, p = g.outPixels, s = g.stride
    for c in 0..<g.channels {
        for i in 0..<g.kernelHeight {
            for j in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * n
                for b in 0..<g.batch {
                    let image = dx + (b * g.channels + c) * g.height * g.width
                    for oh in 0..<g.outH {
                        let ih = oh * s + i - g.padding
                        guard ih >= 0 && ih < g.height else { continue }
                        let src = row + b * p + oh * g.outW
                        let dst = image + ih * g.width
                        for ow in 0..<g.outW {
                            let iw = ow * s + j - g.padding
                            if iw >= 0 && iw < g.width { dst[iw] += src[ow] }
                        }
                    }
                }
            }
        }
    }
}

/// y[b, oc, p] = gemm[oc, b·P + p] + bias[oc] (then max(·, 0) when `relu`): the GEMM's
/// channel-major result to NCHW, with the bias and a following ReLU applied in the same pass.
func scatterToNCHW(_ gemmOut: UnsafePointer<Float>, bias: UnsafePointer<Float>?, relu: Bool, _ g: ConvGeometry,
                   outChannels: Int, into y: UnsafeMutablePointer<Float>) {
    parallelRanges(outChannels, minimumPerPart: 2,
                   state: BiasPass(source: gemmOut, target: y, bias: bias.map { UnsafeMutablePointer(mutating: $0) },
                                   mask: relu ? UnsafePointer(y) : nil, g: g, outChannels: outChannels)) { state, start, end in
        let p = state.assumingMemoryBound(to: BiasPass.self).pointee
        scatterToNCHW(p.source, bias: p.bias.map { UnsafePointer($0) }, relu: p.mask != nil, p.g, outChannels: p.outChannels,
                      channels: start..<end, images: 0..<p.g.batch, into: p.target)
    }
}

/// `scatterToNCHW` for output channels `channels` and batch items `images` only.
func scatterToNCHW(_ gemmOut: UnsafePointer<Float>, bias: UnsafePointer<Float>?, relu: Bool, _ g: ConvGeometry,
                   outChannels: Int, channels: Range<Int>, images: Range<Int>, into y: UnsafeMutablePointer<Float>) {
    let p = g.outPixels, n = g.columnCount
    for oc in channels {
        let beta = bias?[oc] ?? 0
        for b in images {
            let src = gemmOut + oc * n + b * p
            let dst = y + (b * outChannels + oc) * p
            if relu {
                for k in 0..<p { dst[k] = max(src[k] + beta, 0) }
            } else {
                for k in 0..<p { dst[k] = src[k] + beta }
            }
        }
    }
}

/// gemm[oc, b·P + p] = dy[b, oc, p] (masked by y > 0 when the layer's ReLU is fused: `mask`
/// is then the layer's output y), and biasGradient[oc] += Σ over b, p: the inverse move of
/// `scatterToNCHW` for the gradient, with the ReLU's derivative and the bias gradient in the
/// same pass.
func gatherFromNCHW(_ dy: UnsafePointer<Float>, mask: UnsafePointer<Float>?, _ g: ConvGeometry, outChannels: Int,
                    into gemmGrad: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?) {
    parallelRanges(outChannels, minimumPerPart: 2,
                   state: BiasPass(source: dy, target: gemmGrad, bias: biasGradient, mask: mask, g: g,
                                   outChannels: outChannels)) { state, start, end in
        let p = state.assumingMemoryBound(to: BiasPass.self).pointee
        gatherFromNCHW(p.source, mask: p.mask, p.g, outChannels: p.outChannels, channels: start..<end, into: p.target,
                       biasGradient: p.bias)
    }
}

/// `gatherFromNCHW` for output channels `channels` only (every batch item: the bias gradient
/// sums over all of them).
func gatherFromNCHW(_ dy: UnsafePointer<Float>, mask: UnsafePointer<Float>?, _ g: ConvGeometry, outChannels: Int,
                    channels: Range<Int>, into gemmGrad: UnsafeMutablePointer<Float>,
                    biasGradient: UnsafeMutablePointer<Float>?) {
    let p = g.outPixels, n = g.columnCount
    for oc in channels {
        // Eight partial sums: one running sum is a chain of dependent adds that cannot be
        // vectorised (it cost ~0.8 ms per Nature-CNN step).
        var lanes = SIMD8<Float>()
        var tail: Float = 0
        for b in 0..<g.batch {
            let offset = (b * outChannels + oc) * p
            let src = dy + offset
            let dst = gemmGrad + oc * n + b * p
            if let mask {
                let y = mask + offset
                var k = 0
                while k + 8 <= p {
                    let v = load8(src, k).replacing(with: 0, where: load8(y, k) .<= 0)
                    store8(v, dst, k)
                    lanes += v
                    k += 8
                }
                while k < p {
                    let v = y[k] > 0 ? src[k] : 0
                    dst[k] = v
                    tail += v
                    k += 1
                }
            } else {
                var k = 0
                while k + 8 <= p {
                    let v = load8(src, k)
                    store8(v, dst, k)
                    lanes += v
                    k += 8
                }
                while k < p {
                    dst[k] = src[k]
                    tail += src[k]
                    k += 1
                }
            }
        }
        biasGradient?[oc] += lanes.sum() + tail
    }
}

/// A layout move with a per-channel bias (forward) or bias gradient (backward), and the fused
/// ReLU: forward, `mask` is non-nil when it applies; backward, it is the output y to mask by.
struct BiasPass {
    let source: UnsafePointer<Float>
    let target: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>?
    let mask: UnsafePointer<Float>?
    let g: ConvGeometry
    let outChannels: Int
}
