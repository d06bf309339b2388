// A 2-D convolution as PyTorch's nn.Conv2d (weight [OC, C, kh, kw], NCHW activations), done the
// Caffe/Darknet way: one im2col over the whole batch and ONE sgemm per layer, the forward
// columns kept for the weight gradient, and the input gradient (sgemm + col2im) skipped when
// the input needs none (the first layer, whose input is pixels). With N threads, each thread
// takes whole images (its im2col, its columns of that one GEMM on single-threaded OpenBLAS, its
// NCHW move), so the passes between GEMMs stay in that core's cache and split evenly.

/// 2-D convolution. Input [B, C, H, W], output [B, OC, OH, OW] with
/// OH = (H + 2·padding − kh) / stride + 1.
public final class Conv2D: Layer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let stride: Int
    public let padding: Int
    /// [OC, C, kh, kw], PyTorch's layout.
    public let weight: Parameter
    /// [OC].
    public let bias: Parameter?
    public var computesInputGradient = true
    /// Set by `Sequential` when a ReLU follows: the output is then max(conv, 0), made in the
    /// move to NCHW, and backward masks the gradient in its move back (the ReLU layer passes
    /// through), which saves the activation's two passes over the largest tensors.
    var fusesReLU = false

    /// Most images per batch slice (0: no limit, one slice per thread). Smaller slices keep a
    /// slice's im2col columns in cache until its GEMM packs them, at the price of more, smaller
    /// GEMMs; `rl bench tensor --conv-slice` measures the trade. Process-wide, set before use.
    public nonisolated(unsafe) static var imagesPerSlice = 0

    /// Forces the patch layout of every unpadded convolution: rows [B·OH·OW, K] (true) or
    /// columns [K, B·OH·OW] with stride phases (false); nil picks per layer (`usesRowPatches`).
    /// `rl bench tensor --patch-layout` measures them. Process-wide, set before use.
    public nonisolated(unsafe) static var rowPatchesOverride: Bool? = nil

    /// Whether a layer that computes no input gradient (a network's first), unpadded, with a
    /// kernel a whole number of strides (the Nature CNN's 8x8/4), runs on the phase grid
    /// (`PhaseGridPass`: no im2col). `rl bench tensor --phase-grid false` measures the
    /// difference. Process-wide, set before use.
    public nonisolated(unsafe) static var phaseGridEnabled = true

    /// Rows when a kernel row is one four-lane vector. Measured on the Nature CNN (1 thread,
    /// Cooperlake): its 4x4/2 layer takes 1.38 + 2.36 ms in rows against 1.63 + 2.80 ms in
    /// columns (forward + backward); the 8x8/4 layer is even (20-float column runs copy as
    /// well as 8-float patch runs) and the 3x3/1 layer loses (1.21 + 1.88 against 0.82 +
    /// 1.60: its 3-float patch runs go element by element).
    var usesRowPatches: Bool { Self.rowPatchesOverride ?? (kernelWidth == 4) }

    /// Buffers for one input shape. The GEMM works on K = C·kh·kw rows of N = B·OH·OW columns.
    private final class Buffers {
        let inputShape: [Int]
        let outH: Int, outW: Int
        let k: Int, n: Int
        lazy var columns = FloatTensor(shape: [k, n])      // im2col of the whole batch ([N, K] as rows)
        lazy var gemmOutput = FloatTensor(shape: [outChannels, n])   // [OC, N]
        let output: FloatTensor       // [B, OC, OH, OW]
        lazy var gradGemm = FloatTensor(shape: [outChannels, n])     // [OC, N]
        let outChannels: Int
        lazy var gradColumns = FloatTensor(shape: [k, n])  // [K, N]
        /// The phase-grid pass's buffers, when this layer runs on it.
        var phaseGrid: PhaseGridBuffers?
        /// Whether the last forward ran on the phase grid (backward follows it).
        var usedPhaseGrid = false
        lazy var gradInput = FloatTensor(shape: inputShape)
        /// The input (or its gradient) deinterleaved by column phase, for strided layers.
        let phases: FloatTensor?
        lazy var gradPhases = FloatTensor(shape: phases?.shape ?? [0])
        init(inputShape: [Int], outChannels: Int, outH: Int, outW: Int, k: Int, phaseCount: Int?) {
            phases = phaseCount.map { FloatTensor(shape: [$0]) }
            self.inputShape = inputShape
            self.outH = outH
            self.outW = outW
            self.k = k
            n = inputShape[0] * outH * outW
            self.outChannels = outChannels
            output = FloatTensor(shape: [inputShape[0], outChannels, outH, outW])
        }
    }
    /// Buffers of the phase-grid pass (see `PhaseGridPass`).
    private final class PhaseGridBuffers {
        let phases: FloatTensor        // [C·s·s, B·Hs·Ws]
        let ext: FloatTensor           // [OC, B·Hs·Ws]
        let gradExt: FloatTensor       // [OC, B·Hs·Ws], zero off the output grid for good
        let tapWeights: FloatTensor    // [T², OC, C·s·s]
        let tapGradients: FloatTensor  // [T², OC, C·s·s]
        init(_ grid: PhaseGrid, outChannels: Int) {
            phases = FloatTensor(shape: [grid.phaseRows, grid.columnCount])
            ext = FloatTensor(shape: [outChannels, grid.columnCount])
            gradExt = FloatTensor(shape: [outChannels, grid.columnCount])
            tapWeights = FloatTensor(shape: [grid.taps * grid.taps, outChannels, grid.phaseRows])
            tapGradients = FloatTensor(shape: [grid.taps * grid.taps, outChannels, grid.phaseRows])
        }
    }
    private var cache = BatchCache<Buffers>()
    private var current: Buffers?

    /// A layer with PyTorch's default initialisation drawn from `generator`.
    public init<G: RandomNumberGenerator>(_ inChannels: Int, _ outChannels: Int, kernelSize: Int,
                                          stride: Int = 1, padding: Int = 0, bias: Bool = true,
                                          generator: inout G) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2D(\(inChannels), \(outChannels), kernelSize: \(kernelSize), stride: \(stride), padding: \(padding)): invalid configuration")
        self.inChannels = inChannels
        self.outChannels = outChannels
        kernelHeight = kernelSize
        kernelWidth = kernelSize
        self.stride = stride
        self.padding = padding
        weight = Parameter(shape: [outChannels, inChannels, kernelSize, kernelSize])
        self.bias = bias ? Parameter(shape: [outChannels]) : nil
        let fanIn = inChannels * kernelSize * kernelSize
        Initializer.kaimingUniformDefault(weight.value, fanIn: fanIn, using: &generator)
        if let b = self.bias { Initializer.biasDefault(b.value, fanIn: fanIn, using: &generator) }
    }

    private init(copying other: Conv2D) {
        inChannels = other.inChannels
        outChannels = other.outChannels
        kernelHeight = other.kernelHeight
        kernelWidth = other.kernelWidth
        stride = other.stride
        padding = other.padding
        weight = other.weight.copyingValue()
        bias = other.bias?.copyingValue()
        computesInputGradient = other.computesInputGradient
    }

    public func makeCopy() -> Layer { Conv2D(copying: self) }

    /// Built once: traversal runs every step (zeroGradients) and must not allocate.
    public private(set) lazy var namedParameters: [NamedParameter] = {
        var list = [NamedParameter(name: "weight", parameter: weight)]
        if let bias { list.append(NamedParameter(name: "bias", parameter: bias)) }
        return list
    }()

    public func outputShape(forInputShape shape: [Int]) -> [Int] {
        precondition(shape.count == 4 && shape[1] == inChannels,
                     "Conv2D: input shape \(shape) is not [B, \(inChannels), H, W]")
        let oh = (shape[2] + 2 * padding - kernelHeight) / stride + 1
        let ow = (shape[3] + 2 * padding - kernelWidth) / stride + 1
        precondition(oh > 0 && ow > 0, "Conv2D: input \(shape) smaller than the \(kernelHeight)x\(kernelWidth) kernel")
        return [shape[0], outChannels, oh, ow]
    }

    private func buffers(for input: FloatTensor) -> Buffers {
        let batch = input.batchSize
        let cached = cache.entry(batch: batch) { makeBuffers(input.shape) }
        if cached.inputShape == input.shape { return cached }
        // A new image size at a known batch size: rebuild (allocates; not a steady state).
        cache = BatchCache<Buffers>()
        return cache.entry(batch: batch) { makeBuffers(input.shape) }
    }

    private func makeBuffers(_ shape: [Int]) -> Buffers {
        let out = outputShape(forInputShape: shape)
        let g = ConvGeometry(batch: shape[0], channels: inChannels, height: shape[2], width: shape[3],
                             kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
                             padding: padding, outH: out[2], outW: out[3])
        return Buffers(inputShape: shape, outChannels: outChannels, outH: out[2], outW: out[3],
                       k: inChannels * kernelHeight * kernelWidth, phaseCount: g.usesPhases ? g.phaseCount : nil)
    }

    private var geometry: ConvGeometry {
        let b = current!
        return ConvGeometry(batch: b.inputShape[0], channels: inChannels, height: b.inputShape[2],
                            width: b.inputShape[3], kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                            stride: stride, padding: padding, outH: b.outH, outW: b.outW)
    }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        let b = buffers(for: input)
        current = b
        let g = geometry
        b.usedPhaseGrid = !computesInputGradient && Self.phaseGridEnabled && PhaseGrid.applies(g)
        if b.usedPhaseGrid {
            forwardOnPhaseGrid(input, b, g)
            return b.output
        }
        guard g.padding > 0 else {
            forwardInSlices(input, b, g)
            return b.output
        }
        im2col(input.data, g, into: b.columns.data)
        // [OC, N] = W [OC, K] · columns [K, N]
        gemm(transA: false, transB: false, m: outChannels, n: g.columnCount, k: g.rowCount,
             weight.value.data, b.columns.data, beta: 0, b.gemmOutput.data)
        scatterToNCHW(b.gemmOutput.data, bias: bias?.value.data, relu: fusesReLU, g, outChannels: outChannels, into: b.output.data)
        return b.output
    }

    /// One batch slice per engine thread (at most one per image): deinterleave, im2col, the
    /// slice's columns of [OC, N] = W · columns, and the move to NCHW, all on that thread.
    private func forwardInSlices(_ input: FloatTensor, _ b: Buffers, _ g: ConvGeometry) {
        let parts = min(BLAS.threadCount, g.batch)
        var state = ConvSlices(g: g, outChannels: outChannels, weight: weight.value.data, bias: bias?.value.data,
                               input: input.data, phases: b.phases?.data, columns: b.columns.data,
                               gemm: b.gemmOutput.data, output: b.output.data, weightGradient: nil,
                               slices: Self.sliceCount(batch: g.batch, threads: parts))
        state.relu = fusesReLU
        state.rowPatches = usesRowPatches
        parallelParts(parts, state: state) { state, part, parts in
            state.assumingMemoryBound(to: ConvSlices.self).pointee.forward(part: part, of: parts)
        }
    }

    /// The phase-grid forward: the taps' weights split out of W, then each thread takes chunks
    /// of images (space to depth, the taps' GEMMs, the move to NCHW).
    private func forwardOnPhaseGrid(_ input: FloatTensor, _ b: Buffers, _ g: ConvGeometry) {
        let grid = PhaseGrid(g: g)
        if b.phaseGrid == nil { b.phaseGrid = PhaseGridBuffers(grid, outChannels: outChannels) }
        let buffers = b.phaseGrid!
        splitTapWeights(weight.value.data, grid, outChannels: outChannels, into: buffers.tapWeights.data)
        let pass = PhaseGridPass(grid: grid, outChannels: outChannels, tapWeights: buffers.tapWeights.data,
                                 bias: bias?.value.data, relu: fusesReLU, input: input.data,
                                 phases: buffers.phases.data, ext: buffers.ext.data, output: b.output.data,
                                 tapGradients: nil)
        parallelParts(min(BLAS.threadCount, pass.chunkCount), state: pass) { state, part, parts in
            state.assumingMemoryBound(to: PhaseGridPass.self).pointee.forward(part: part, of: parts)
        }
    }

    /// The phase-grid backward (weights and bias only): the output gradient onto the grid, the
    /// taps' weight gradients split across threads, then folded back into W's layout.
    private func backwardOnPhaseGrid(_ gradOutput: FloatTensor, _ b: Buffers, _ g: ConvGeometry) {
        let grid = PhaseGrid(g: g)
        guard let buffers = b.phaseGrid else { preconditionFailure("Conv2D.backward: phase-grid buffers missing") }
        let gather = BiasPass(source: gradOutput.data, target: buffers.gradExt.data, bias: bias?.gradient.data,
                              mask: fusesReLU ? UnsafePointer(b.output.data) : nil, g: g, outChannels: outChannels)
        parallelRanges(outChannels, minimumPerPart: 2, state: gather) { state, start, end in
            let p = state.assumingMemoryBound(to: BiasPass.self).pointee
            nchwToPhaseGrid(p.source, mask: p.mask, PhaseGrid(g: p.g), outChannels: p.outChannels,
                            channels: start..<end, into: p.target, biasGradient: p.bias)
        }
        let pass = PhaseGridPass(grid: grid, outChannels: outChannels, tapWeights: buffers.tapWeights.data,
                                 bias: nil, relu: false, input: gradOutput.data, phases: buffers.phases.data,
                                 ext: buffers.gradExt.data, output: nil, tapGradients: buffers.tapGradients.data)
        parallelParts(min(BLAS.threadCount, grid.taps * grid.taps), state: pass) { state, part, parts in
            state.assumingMemoryBound(to: PhaseGridPass.self).pointee.backward(part: part, of: parts)
        }
        addTapGradients(buffers.tapGradients.data, grid, outChannels: outChannels, into: weight.gradient.data)
    }

    /// Batch slices for `threads` threads: one each, or more when `imagesPerSlice` asks.
    private static func sliceCount(batch: Int, threads: Int) -> Int {
        guard imagesPerSlice > 0 else { return threads }
        let wanted = (batch + imagesPerSlice - 1) / imagesPerSlice
        return min(batch, max(threads, (wanted + threads - 1) / threads * threads))
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        guard let b = current else { preconditionFailure("Conv2D.backward: called before forward") }
        precondition(gradOutput.count == b.output.count,
                     "Conv2D.backward: gradient \(gradOutput.shape) for output \(b.output.shape)")
        let g = geometry
        if b.usedPhaseGrid {
            backwardOnPhaseGrid(gradOutput, b, g)
            return nil
        }
        // The bias gradient sums over the whole batch: this move splits by channel instead.
        gatherFromNCHW(gradOutput.data, mask: fusesReLU ? UnsafePointer(b.output.data) : nil, g,
                       outChannels: outChannels, into: b.gradGemm.data,
                       biasGradient: bias?.gradient.data)
        guard g.padding > 0 else {
            let parts = min(BLAS.threadCount, g.batch)
            let wantsInput = computesInputGradient
            // The lazy buffers are made here, on the calling thread, never inside the pieces.
            var state = ConvSlices(g: g, outChannels: outChannels, weight: weight.value.data, bias: nil,
                                   input: b.gradGemm.data,
                                   phases: wantsInput && b.phases != nil && !usesRowPatches ? b.gradPhases.data : nil,
                                   columns: b.columns.data, gemm: wantsInput ? b.gradColumns.data : nil,
                                   output: wantsInput ? b.gradInput.data : nil, weightGradient: weight.gradient.data,
                                   slices: Self.sliceCount(batch: g.batch, threads: parts))
            state.rowPatches = usesRowPatches
            parallelParts(parts, state: state) { state, part, parts in
                state.assumingMemoryBound(to: ConvSlices.self).pointee.backward(part: part, of: parts)
            }
            return wantsInput ? b.gradInput : nil
        }
        // dW [OC, K] += dOut [OC, N] · columns^T [N, K]  (the forward columns, reused)
        gemm(transA: false, transB: true, m: outChannels, n: g.rowCount, k: g.columnCount,
             b.gradGemm.data, b.columns.data, beta: 1, weight.gradient.data)
        guard computesInputGradient else { return nil }
        // dColumns [K, N] = W^T [K, OC] · dOut [OC, N], then folded back onto the image.
        gemm(transA: true, transB: false, m: g.rowCount, n: g.columnCount, k: outChannels,
             weight.value.data, b.gradGemm.data, beta: 0, b.gradColumns.data)
        col2im(b.gradColumns.data, g, into: b.gradInput.data)
        return b.gradInput
    }
}
