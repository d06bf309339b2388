// One convolution pass split into batch slices, one per engine thread: each slice runs its own
// im2col, its columns of the layer's single GEMM (OpenBLAS on one thread, the caller arranges
// that) and its layout moves, so consecutive passes touch memory that is already in that
// core's cache and no thread waits for another between them. Plain pointers: the pool hands
// this struct to its threads by address.

/// The pointers and sizes of one unpadded convolution pass over a batch, and the work of one
/// slice of it.
struct ConvSlices {
    let g: ConvGeometry
    let outChannels: Int
    /// [OC, K].
    let weight: UnsafeMutablePointer<Float>
    /// [OC] (forward only).
    let bias: UnsafeMutablePointer<Float>?
    /// Forward only: a ReLU follows and is applied in the move to NCHW.
    var relu = false
    /// Patches as rows [N, K] (im2row) instead of columns [K, N] (im2col with phases).
    var rowPatches = false
    /// Forward: the input [B, C, H, W]. Backward: the output gradient in GEMM layout [OC, N].
    let input: UnsafeMutablePointer<Float>
    /// Deinterleaved input (forward) or its gradient (backward); nil for stride 1.
    let phases: UnsafeMutablePointer<Float>?
    /// The forward's im2col [K, N].
    let columns: UnsafeMutablePointer<Float>
    /// Forward: the GEMM result [OC, N]. Backward: the column gradient [K, N], nil when the
    /// input needs no gradient.
    let gemm: UnsafeMutablePointer<Float>?
    /// Forward: the output [B, OC, OH, OW]. Backward: the input gradient, or nil.
    let output: UnsafeMutablePointer<Float>?
    /// Backward only: dW [OC, K], added into.
    let weightGradient: UnsafeMutablePointer<Float>?
    /// Batch slices (at least one per thread); thread t of T takes slices t, t + T, ...
    let slices: Int

    /// The images of slice `slice`.
    private func images(_ slice: Int) -> Range<Int> {
        (g.batch * slice / slices)..<(g.batch * (slice + 1) / slices)
    }

    /// Input rows ([B, C, H] indices) of `images`.
    private func imageRows(_ images: Range<Int>) -> Range<Int> {
        let rowsPerImage = g.channels * g.height
        return (images.lowerBound * rowsPerImage)..<(images.upperBound * rowsPerImage)
    }

    /// Forward for thread `part` of `parts`: its slices in turn.
    func forward(part: Int, of parts: Int) {
        for slice in stride(from: part, to: slices, by: parts) { forward(images: images(slice)) }
    }

    /// Forward for one slice: columns, then [OC, slice] = W · columns[:, slice], then NCHW + bias.
    private func forward(images: Range<Int>) {
        guard !images.isEmpty, let gemmOut = gemm, let output else { return }
        let p = g.outPixels, n = g.columnCount, k = g.rowCount
        let first = images.lowerBound * p
        if rowPatches {
            // [OC, slice] = W [OC, K] · rows[slice, K]^T
            im2row(input, g, images: images, into: columns)
            Tensor.gemm(transA: false, transB: true, m: outChannels, n: images.count * p, k: k,
                        weight, lda: k, columns + first * k, ldb: k, beta: 0, gemmOut + first, ldc: n)
            scatterToNCHW(gemmOut, bias: bias.map { UnsafePointer($0) }, relu: relu, g, outChannels: outChannels,
                          channels: 0..<outChannels, images: images, into: output)
            return
        }
        var source = UnsafePointer(input)
        if let phases {
            deinterleaveRows(input, g, rows: imageRows(images), into: phases)
            source = UnsafePointer(phases)
        }
        im2colContiguous(source, g, rows: 0..<k, images: images, into: columns)
        Tensor.gemm(transA: false, transB: false, m: outChannels, n: images.count * p, k: k,
                    weight, lda: k, columns + first, ldb: n, beta: 0, gemmOut + first, ldc: n)
        scatterToNCHW(gemmOut, bias: bias.map { UnsafePointer($0) }, relu: relu, g, outChannels: outChannels,
                      channels: 0..<outChannels, images: images, into: output)
    }

    /// Backward for thread `part` of `parts`: its share of dW's columns (dW [OC, K] += dOut ·
    /// columns^T, split along K so no two threads add into the same element), then, when wanted,
    /// its slices' input gradients.
    func backward(part: Int, of parts: Int) {
        let n = g.columnCount, k = g.rowCount
        if let weightGradient {
            let rows = (k * part / parts)..<(k * (part + 1) / parts)
            if !rows.isEmpty && rowPatches {
                // dW[:, rows] += dOut [OC, N] · patches[N, rows]
                Tensor.gemm(transA: false, transB: false, m: outChannels, n: rows.count, k: n,
                            input, lda: n, columns + rows.lowerBound, ldb: k, beta: 1,
                            weightGradient + rows.lowerBound, ldc: k)
            } else if !rows.isEmpty {
                Tensor.gemm(transA: false, transB: true, m: outChannels, n: rows.count, k: n,
                            input, lda: n, columns + rows.lowerBound * n, ldb: n, beta: 1,
                            weightGradient + rows.lowerBound, ldc: k)
            }
        }
        for slice in stride(from: part, to: slices, by: parts) { backwardInput(images: images(slice)) }
    }

    /// One slice's column gradient (W^T · dOut[:, slice]) folded back onto its images' input
    /// gradient.
    private func backwardInput(images: Range<Int>) {
        let p = g.outPixels, n = g.columnCount, k = g.rowCount
        guard !images.isEmpty, let gradColumns = gemm, let gradInput = output else { return }
        let first = images.lowerBound * p
        if rowPatches {
            // dPatches[slice, K] = dOut[:, slice]^T · W [OC, K], folded back onto the images.
            Tensor.gemm(transA: true, transB: false, m: images.count * p, n: k, k: outChannels,
                        input + first, lda: n, weight, ldb: k, beta: 0, gradColumns + first * k, ldc: k)
            let rows = imageRows(images)
            (gradInput + rows.lowerBound * g.width).update(repeating: 0, count: rows.count * g.width)
            row2im(gradColumns, g, images: images, into: gradInput)
            return
        }
        Tensor.gemm(transA: true, transB: false, m: k, n: images.count * p, k: outChannels,
                    weight, lda: k, input + first, ldb: n, beta: 0, gradColumns + first, ldc: n)
        let rows = imageRows(images)
        if let phases {
            let phaseRow = g.stride * g.phaseWidth
            (phases + rows.lowerBound * phaseRow).update(repeating: 0, count: rows.count * phaseRow)
            col2imContiguous(gradColumns, g, channels: 0..<g.channels, images: images, into: phases)
            interleaveRows(phases, g, rows: rows, into: gradInput)
        } else {
            (gradInput + rows.lowerBound * g.width).update(repeating: 0, count: rows.count * g.width)
            col2imContiguous(gradColumns, g, channels: 0..<g.channels, images: images, into: gradInput)
        }
    }
}
