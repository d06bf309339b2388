// `rl bench tensor`: the Nature-CNN training step (batch 32, 4x84x84 uint8 scaled by 1/255,
// 6 actions, forward + Huber on gathered Q + backward + Adam) and batch-1 / batch-8 inference,
// the same work as ../shared/anchors/torch_cnn.py so the two can be compared in one run.
import ArgumentParser
import Foundation
import Tensor

struct BenchTensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor",
        abstract: "Nature-CNN training step and inference on the tensor engine.",
        discussion: "Peer: /root/.cache/rl-anchors/bin/python ../shared/anchors/torch_cnn.py THREADS")

    @Option(help: "Engine threads (default: OpenBLAS's default count; OpenBLAS itself runs on one thread per piece).")
    var threads: Int?

    @Option(help: "Timed training steps (after 10 warm-up steps).")
    var steps: Int = 100

    @Option(help: "Most images per convolution batch slice (default: one slice per thread).")
    var convSlice: Int?

    @Option(help: "Patch layout of unpadded convolutions: auto (per layer), rows (im2row) or columns (im2col).")
    var patchLayout = "auto"

    @Option(help: "Run a first layer whose kernel is a whole number of strides on the phase grid (no im2col).")
    var phaseGrid = true

    @Flag(help: "Print one JSON object on standard output.")
    var json = false

    @Flag(help: "Also print the median time of each layer's forward and backward and of Adam.")
    var profile = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if !["auto", "rows", "columns"].contains(patchLayout) {
            throw ValidationError("--patch-layout must be auto, rows or columns, got '\(patchLayout)'")
        }
        if let convSlice, convSlice < 1 { throw ValidationError("--conv-slice must be at least 1, got \(convSlice)") }
    }

    func run() throws {
        if let threads { BLAS.threadCount = threads }
        if let convSlice { Conv2D.imagesPerSlice = convSlice }
        Conv2D.phaseGridEnabled = phaseGrid
        Conv2D.rowPatchesOverride = patchLayout == "auto" ? nil : patchLayout == "rows"
        let actions = 6, batch = 32
        var rng = TensorRNG(seed: 0)
        let net = Sequential([
            Conv2D(4, 32, kernelSize: 8, stride: 4, generator: &rng), ReLU(),
            Conv2D(32, 64, kernelSize: 4, stride: 2, generator: &rng), ReLU(),
            Conv2D(64, 64, kernelSize: 3, stride: 1, generator: &rng), ReLU(),
            Flatten(), Linear(3136, 512, generator: &rng), ReLU(), Linear(512, actions, generator: &rng),
        ])
        let adam = Adam(parameters: net.namedParameters, learningRate: 1e-4)
        let pixels = (0..<(batch * 4 * 84 * 84)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 255) }
        let chosen = (0..<batch).map { _ in Int(rng.next() % UInt64(actions)) }
        let targets = FloatTensor(shape: [batch])
        for i in 0..<batch { targets[i] = Float(rng.next() >> 40) / 8_388_608 - 1 }
        let x = FloatTensor(shape: [batch, 4, 84, 84])
        let q = FloatTensor(shape: [batch]), dq = FloatTensor(shape: [batch]), dOut = FloatTensor(shape: [batch, actions])

        func trainStep() {
            pixels.withUnsafeBufferPointer { x.load(bytes: $0, scale: 1 / 255) }
            Ops.gather(net.forward(x), indices: chosen, into: q)
            Loss.huber(prediction: q, target: targets, gradient: dq)
            Ops.gatherBackward(gradOutput: dq, indices: chosen, into: dOut)
            net.zeroGradients()
            net.backward(dOut)
            adam.step()
        }
        for _ in 0..<10 { trainStep() }
        let train = Self.time(repeats: steps, trainStep)
        if profile && !json { Self.profileLayers(net, adam, x, dOut, repeats: steps) }

        func inference(_ n: Int) -> [Double] {
            let input = FloatTensor(shape: [n, 4, 84, 84])
            let bytes = Array(pixels.prefix(input.count))
            let body = {
                bytes.withUnsafeBufferPointer { input.load(bytes: $0, scale: 1 / 255) }
                _ = net.forward(input)
            }
            for _ in 0..<20 { body() }
            return Self.time(repeats: n == 1 ? 500 : 200, body)
        }
        let b1 = inference(1), b8 = inference(8)

        let result: [(String, Double)] = [
            ("train_step_ms", Self.median(train)), ("train_step_mean_ms", Self.mean(train)),
            ("infer_b1_ms", Self.median(b1)), ("infer_b1_mean_ms", Self.mean(b1)),
            ("infer_b8_ms", Self.median(b8)), ("infer_b8_mean_ms", Self.mean(b8)),
        ]
        let threadCount = BLAS.threadCount
        if json {
            let fields = result.map { "\"\($0.0)\": \(String(format: "%.4f", $0.1))" }
            print("{\(fields.joined(separator: ", ")), \"threads\": \(threadCount), \"blas_core\": \"\(BLAS.coreName)\", \"blas_config\": \"\(BLAS.configuration)\", \"steps\": \(steps), \"batch\": \(batch), \"conv_slice\": \(Conv2D.imagesPerSlice)}")
        } else {
            print("OpenBLAS: \(BLAS.configuration)")
            print("tensor engine, threads=\(threadCount) OpenBLAS core=\(BLAS.coreName): Nature CNN train step batch32 (fwd+bwd+adam): "
                  + String(format: "median %.2f ms, mean %.2f ms", Self.median(train), Self.mean(train)))
            print(String(format: "  inference batch1: median %.3f ms, mean %.3f ms", Self.median(b1), Self.mean(b1)))
            print(String(format: "  inference batch8: median %.3f ms, mean %.3f ms", Self.median(b8), Self.mean(b8)))
        }
    }

    /// Times each layer's forward and backward and the optimiser step separately (the same
    /// work as a training step, layer by layer) and prints the medians.
    static func profileLayers(_ net: Sequential, _ optimiser: Optimizer, _ x: FloatTensor, _ dOut: FloatTensor,
                              repeats: Int) {
        let n = net.layers.count
        var forward = Array(repeating: [Double](), count: n), backward = forward
        var step: [Double] = [], zero: [Double] = []
        for _ in 0..<repeats {
            var h = x
            for (i, layer) in net.layers.enumerated() {
                forward[i] += time(repeats: 1) { h = layer.forward(h) }
            }
            zero += time(repeats: 1) { net.zeroGradients() }
            var g: FloatTensor? = dOut
            for (i, layer) in net.layers.enumerated().reversed() {
                backward[i] += time(repeats: 1) { g = g.flatMap { layer.backward($0) } }
            }
            step += time(repeats: 1) { optimiser.step() }
        }
        for (i, layer) in net.layers.enumerated() {
            print(String(format: "  %2d %-10@ forward %.3f ms  backward %.3f ms", i, "\(type(of: layer))" as NSString,
                         median(forward[i]), median(backward[i])))
        }
        print(String(format: "  zeroGradients %.3f ms  optimiser step %.3f ms", median(zero), median(step)))
        for batch in [1, 8] {
            let input = FloatTensor(shape: [batch] + x.shape.dropFirst())
            input.data.update(from: x.data, count: input.count)
            var times = Array(repeating: [Double](), count: n)
            for _ in 0..<repeats {
                var h = input
                for (i, layer) in net.layers.enumerated() { times[i] += time(repeats: 1) { h = layer.forward(h) } }
            }
            print("  inference batch \(batch): " + times.enumerated().map { String(format: "%d %.3f", $0.offset, median($0.element)) }.joined(separator: ", ") + " ms")
        }
    }

    /// Milliseconds per call of `body`, one sample per call.
    static func time(repeats: Int, _ body: () -> Void) -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return samples
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
}
