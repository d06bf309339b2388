// The convolution's memory kernels: batched im2col / col2im and the moves between the GEMM's
// [OC, B·OH·OW] layout and NCHW (fused with the bias and its gradient so each is one pass).
// Unsafe pointer loops, kept small and separate from Conv2D's readable flow.

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

/// y[b, oc, p] = gemm[oc, b·P + p] + bias[oc]: the GEMM's channel-major result to NCHW, with
/// the bias added in the same pass.
func scatterToNCHW(_ gemmOut: UnsafePointer<Float>, bias: UnsafePointer<Float>?, _ g: ConvGeometry,
                   outChannels: Int, into y: UnsafeMutablePointer<Float>) {
    let p = g.outPixels, n = g.columnCount
    for b in 0..<g.batch {
        for oc in 0..<outChannels {
            let src = gemmOut + oc * n + b * p
            let dst = y + (b * outChannels + oc) * p
            let beta = bias?[oc] ?? 0
            for k in 0..<p { dst[k] = src[k] + beta }
        }
    }
}

/// gemm[oc, b·P + p] = dy[b, oc, p], and biasGradient[oc] += Σ over b, p: the inverse move of
/// `scatterToNCHW` for the gradient, with the bias gradient summed in the same pass.
func gatherFromNCHW(_ dy: UnsafePointer<Float>, _ g: ConvGeometry, outChannels: Int,
                    into gemmGrad: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?) {
    let p = g.outPixels, n = g.columnCount
    for b in 0..<g.batch {
        for oc in 0..<outChannels {
            let src = dy + (b * outChannels + oc) * p
            let dst = gemmGrad + oc * n + b * p
            var sum: Float = 0
            for k in 0..<p {
                dst[k] = src[k]
                sum += src[k]
            }
            biasGradient?[oc] += sum
        }
    }
}
