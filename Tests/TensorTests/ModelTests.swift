// Models as the agents use them: deterministic PyTorch-default and orthogonal initialisation,
// copies for target networks and A3C workers, batch-size switching without stale buffers,
// the shared RMSProp under concurrent workers, and uint8 input conversion.
import Foundation
import Testing
import Tensor

@Suite struct ModelTests {
    static func nature(actions: Int = 6, seed: UInt64) -> Sequential {
        var rng = TensorRNG(seed: seed)
        return Sequential([
            Conv2D(4, 32, kernelSize: 8, stride: 4, generator: &rng), ReLU(),
            Conv2D(32, 64, kernelSize: 4, stride: 2, generator: &rng), ReLU(),
            Conv2D(64, 64, kernelSize: 3, stride: 1, generator: &rng), ReLU(),
            Flatten(), Linear(3136, 512, generator: &rng), ReLU(), Linear(512, actions, generator: &rng),
        ])
    }

    @Test func initialisationIsSeededAndWithinPyTorchBounds() {
        let a = Self.nature(seed: 1), b = Self.nature(seed: 1), c = Self.nature(seed: 2)
        #expect(a.parameters.map { $0.value.toArray() } == b.parameters.map { $0.value.toArray() })
        #expect(a.parameters[0].value.toArray() != c.parameters[0].value.toArray())
        let fanIns = [256, 256, 512, 512, 576, 576, 3136, 3136, 512, 512]
        for (p, fanIn) in zip(a.namedParameters, fanIns) {
            let bound = 1 / Float(fanIn).squareRoot()
            let values = p.parameter.value.toArray()
            #expect(values.allSatisfy { abs($0) <= bound }, "\(p.name) exceeds 1/sqrt(\(fanIn))")
            // Uniform on [-b, b]: the largest magnitude is near b, the variance near b²/3.
            let variance = values.map { Double($0 * $0) }.reduce(0, +) / Double(values.count)
            if values.count > 1000 {
                #expect(abs(variance / Double(bound * bound / 3) - 1) < 0.1, "\(p.name) variance")
            }
        }
        // 4·32·64+32 + 32·64·16+64 + 64·64·9+64 + 3136·512+512 + 512·6+6
        #expect(a.parameterCount == 1_687_206)
    }

    @Test func orthogonalInitialiser() {
        var rng = TensorRNG(seed: 3)
        for shape in [[6, 10], [10, 6], [8, 2, 2, 2]] {
            let t = FloatTensor(shape: shape)
            Initializer.orthogonal(t, gain: 2, using: &rng)
            let rows = shape[0], cols = t.count / rows
            // Rows orthogonal (rows <= cols) or columns orthogonal (rows > cols), norm = gain.
            let (n, m, stride, step) = rows <= cols ? (rows, cols, cols, 1) : (cols, rows, 1, cols)
            for i in 0..<n {
                for j in 0..<n {
                    var dot: Float = 0
                    for k in 0..<m { dot += t[i * stride + k * step] * t[j * stride + k * step] }
                    #expect(abs(dot - (i == j ? 4 : 0)) < 1e-4, "\(shape) (\(i), \(j)): \(dot)")
                }
            }
        }
    }

    /// Bounds of torch.nn.init.xavier_uniform_ for the Nature CNN's shapes, sqrt(6 / (fan_in +
    /// fan_out)) with the fans from torch 2's `_calculate_fan_in_and_fan_out` (printed by the
    /// anchors' Python, not computed here): 256 + 2048, 512 + 1024, 576 + 576, 3136 + 512, 512 + 6.
    @Test func xavierUniformInitialiser() {
        let cases: [([Int], Double)] = [
            ([32, 4, 8, 8], 0.05103103630798288), ([64, 32, 4, 4], 0.0625), ([64, 64, 3, 3], 0.07216878364870322),
            ([512, 3136], 0.040555355282690636), ([6, 512], 0.10762440050012628),
        ]
        var rng = TensorRNG(seed: 9)
        for (shape, expected) in cases {
            #expect(abs(Double(Initializer.xavierBound(shape: shape)) - expected) < 1e-7, "\(shape)")
            let t = FloatTensor(shape: shape)
            Initializer.xavierUniform(t, gain: 2, using: &rng)
            let bound = Float(2 * expected)
            let values = t.toArray()
            #expect(values.allSatisfy { abs($0) <= bound }, "\(shape) exceeds its bound")
            let variance = values.map { Double($0 * $0) }.reduce(0, +) / Double(values.count)
            #expect(abs(variance / Double(bound * bound / 3) - 1) < 0.1, "\(shape) variance \(variance)")
        }
        // The bound is symmetric in the two leading dimensions (a weight stored [in, out]).
        #expect(Initializer.xavierBound(shape: [3136, 512]) == Initializer.xavierBound(shape: [512, 3136]))
    }

    @Test func copiesAreIndependentAndEqual() {
        var rng = TensorRNG(seed: 4)
        let online = Sequential([Linear(5, 4, generator: &rng), Tanh(), Linear(4, 2, generator: &rng)])
        let target = online.makeCopy()
        #expect(target.namedParameters.map(\.name) == online.namedParameters.map(\.name))
        #expect(target.parameters.map { $0.value.toArray() } == online.parameters.map { $0.value.toArray() })
        online.parameters[0].value[0] += 1
        #expect(target.parameters[0].value[0] != online.parameters[0].value[0], "a copy shares storage")
        target.copyParameters(from: online)
        #expect(target.parameters.map { $0.value.toArray() } == online.parameters.map { $0.value.toArray() })
        let x = FloatTensor(shape: [3, 5], values: (0..<15).map { Float($0) / 10 })
        #expect(target.forward(x).toArray() == online.forward(x).toArray())
    }

    /// Alternating batch sizes (acting at 1, learning at 32) keeps each size's buffers apart.
    @Test func batchSizesShareNothingStale() {
        let net = Self.nature(seed: 5)
        var rng = TensorRNG(seed: 6)
        let big = randomTensor([4, 4, 84, 84], &rng, low: 0, high: 1)
        let one = FloatTensor(shape: [1, 4, 84, 84])
        one.data.update(from: big.data + 2 * one.count, count: one.count)
        let batched = net.forward(big).toArray()
        let single = net.forward(one).toArray()
        let batchedAgain = net.forward(big).toArray()
        #expect(batched == batchedAgain)
        for a in 0..<6 { #expect(abs(single[a] - batched[2 * 6 + a]) <= 1e-5 * max(1, abs(single[a]))) }
    }

    @Test func uint8InputIsScaled() {
        let x = FloatTensor(shape: [1, 2, 1, 2])
        let bytes: [UInt8] = [0, 255, 51, 128]
        bytes.withUnsafeBufferPointer { x.load(bytes: $0, scale: 1 / 255) }
        let expected: [Float] = [0, 255, 51, 128].map { Float($0) * (1 / 255) }
        #expect(x.toArray() == expected)
        #expect(x[1] == 1 && x[0] == 0)
    }

    /// One shared-RMSProp step equals the A3C paper's update written out in Double.
    @Test func sharedRMSPropFollowsThePaper() {
        let shared = Parameter(shape: [3])
        shared.value.data.update(from: [1, -2, 0.5], count: 3)
        let worker = Parameter(shape: [3])
        worker.gradient.data.update(from: [0.3, -0.1, 2], count: 3)
        let opt = SharedRMSProp(parameters: [NamedParameter(name: "w", parameter: shared)], learningRate: 0.01,
                                alpha: 0.9, epsilon: 0.1)
        opt.step(applyingGradientsOf: [worker])
        opt.step(applyingGradientsOf: [worker])
        var p: [Double] = [1, -2, 0.5], s: [Double] = [0, 0, 0]
        let g: [Double] = [0.3, -0.1, 2]
        for _ in 0..<2 {
            for i in 0..<3 {
                s[i] = 0.9 * s[i] + 0.1 * g[i] * g[i]
                p[i] -= 0.01 * g[i] / (s[i] + 0.1).squareRoot()
            }
        }
        for i in 0..<3 { #expect(abs(Double(shared.value[i]) - p[i]) < 1e-6) }
        #expect(opt.stateTensors.map(\.name) == ["w.square_avg"])
    }

    /// Hogwild: workers on several threads update one shared model without locks and the
    /// result stays finite and moves downhill on a shared quadratic.
    @Test func sharedRMSPropAcrossThreads() async {
        var rng = TensorRNG(seed: 7)
        let shared = Sequential([Linear(8, 1, generator: &rng)])
        let optimiser = SharedRMSProp(parameters: shared.namedParameters, learningRate: 0.01)
        let sharedParameters = shared.parameters
        func lossValue(_ ps: [Parameter]) -> Float {
            ps.map { p in p.value.toArray().map { $0 * $0 }.reduce(0, +) }.reduce(0, +)
        }
        let before = lossValue(sharedParameters)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    // Each worker: its own model of the shared architecture; pulls the shared
                    // values, computes ∇(Σ p²) = 2p, pushes through the shared statistics.
                    let worker = shared.makeCopy()
                    for _ in 0..<50 {
                        worker.copyParameters(from: optimiser.sharedParameters)
                        for p in worker.parameters {
                            for i in 0..<p.value.count { p.gradient[i] = 2 * p.value[i] }
                        }
                        optimiser.step(applyingGradientsOf: worker.parameters)
                    }
                }
            }
        }
        let after = lossValue(sharedParameters)
        #expect(after.isFinite && after < before, "\(before) → \(after)")
        #expect(optimiser.stepCount <= 200 && optimiser.stepCount > 0)
    }

    /// Same seed, same thread count: bit-identical parameters after training steps (the
    /// engine's parallel kernels split work into disjoint pieces, so nothing is reordered).
    @Test func trainingIsDeterministic() {
        func train() -> [[Float]] {
            let net = Self.nature(seed: 11)
            let adam = Adam(parameters: net.namedParameters, learningRate: 1e-3)
            var rng = TensorRNG(seed: 12)
            let x = randomTensor([4, 4, 84, 84], &rng, low: 0, high: 1)
            let dOut = randomTensor([4, 6], &rng)
            for _ in 0..<3 {
                _ = net.forward(x)
                net.zeroGradients()
                net.backward(dOut)
                adam.step()
            }
            return net.parameters.map { $0.value.toArray() }
        }
        #expect(train() == train())
    }

    @Test func blasThreadCountIsSettable() {
        let saved = BLAS.threadCount
        BLAS.threadCount = 1
        #expect(BLAS.threadCount == 1)
        BLAS.threadCount = saved
    }

    /// A few Adam steps of the Nature CNN on a fixed batch lower the Huber loss (the engine
    /// learns end to end at the benchmark's shapes).
    @Test func natureCNNLearnsAFixedBatch() {
        let net = Self.nature(seed: 8)
        let adam = Adam(parameters: net.namedParameters, learningRate: 1e-4)
        var rng = TensorRNG(seed: 9)
        let x = randomTensor([8, 4, 84, 84], &rng, low: 0, high: 1)
        let actions = (0..<8).map { $0 % 6 }
        let targets = randomTensor([8], &rng)
        let q = FloatTensor(shape: [8]), dq = FloatTensor(shape: [8]), dOut = FloatTensor(shape: [8, 6])
        var losses: [Float] = []
        for _ in 0..<20 {
            Ops.gather(net.forward(x), indices: actions, into: q)
            losses.append(Loss.huber(prediction: q, target: targets, gradient: dq))
            Ops.gatherBackward(gradOutput: dq, indices: actions, into: dOut)
            net.zeroGradients()
            net.backward(dOut)
            adam.step()
        }
        #expect(losses.last! < 0.5 * losses.first!, "\(losses)")
    }
}
