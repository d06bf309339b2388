// Finite-difference checks of every layer's and operation's backward pass, and of whole small
// CNNs, against central differences of a Double-accumulated loss.
import Testing
import Tensor

@Suite struct GradientCheckTests {
    /// Checks a layer's parameter and input gradients for L = Σ w ⊙ layer(x).
    func checkLayer(_ label: String, _ layer: Layer, inputShape: [Int], skipKinks: Bool = false,
                    inputLow: Float = -1, inputHigh: Float = 1, seed: UInt64 = 1) {
        var rng = TensorRNG(seed: seed)
        let x = randomTensor(inputShape, &rng, low: inputLow, high: inputHigh)
        layer.computesInputGradient = true
        let y = layer.forward(x)
        let w = randomTensor(y.shape, &rng)
        layer.zeroGradients()
        let dx = layer.backward(w)!
        // Keep copies: the loss closure's forward passes reuse the layer's buffers.
        let dxCopy = FloatTensor(shape: dx.shape, values: dx.toArray())
        let loss = { weightedSum(layer.forward(x), w) }
        checkGradient("\(label) input", variable: x, analytic: dxCopy, loss: loss, skipKinks: skipKinks)
        for p in layer.namedParameters {
            checkGradient("\(label) \(p.name)", variable: p.parameter.value, analytic: p.parameter.gradient,
                          loss: loss, skipKinks: skipKinks)
        }
    }

    @Test func linear() {
        var rng = TensorRNG(seed: 2)
        checkLayer("Linear", Linear(7, 5, generator: &rng), inputShape: [3, 7])
    }

    @Test func conv2dStridedNoPadding() {
        var rng = TensorRNG(seed: 3)
        checkLayer("Conv2D 4x4/2", Conv2D(3, 4, kernelSize: 4, stride: 2, generator: &rng), inputShape: [2, 3, 10, 10])
    }

    @Test func conv2dPadded() {
        var rng = TensorRNG(seed: 4)
        checkLayer("Conv2D 3x3/1 pad 1", Conv2D(2, 3, kernelSize: 3, stride: 1, padding: 1, generator: &rng),
                   inputShape: [2, 2, 6, 7])
        checkLayer("Conv2D 3x3/2 pad 1", Conv2D(2, 3, kernelSize: 3, stride: 2, padding: 1, generator: &rng),
                   inputShape: [3, 2, 7, 6])
    }

    @Test func conv2dWithoutBias() {
        var rng = TensorRNG(seed: 5)
        checkLayer("Conv2D no bias", Conv2D(2, 2, kernelSize: 2, stride: 1, bias: false, generator: &rng),
                   inputShape: [1, 2, 4, 4])
    }

    @Test func activations() {
        // ReLU: inputs kept away from the kink at 0 by more than the step.
        var rng = TensorRNG(seed: 6)
        let x = randomTensor([4, 6], &rng)
        for i in 0..<x.count where abs(x[i]) < 0.05 { x[i] = 0.3 }
        let relu = ReLU()
        let y = relu.forward(x)
        let w = randomTensor(y.shape, &rng)
        let dx = FloatTensor(shape: x.shape, values: relu.backward(w)!.toArray())
        checkGradient("ReLU", variable: x, analytic: dx, loss: { weightedSum(relu.forward(x), w) })
        checkLayer("Tanh", Tanh(), inputShape: [3, 5], inputLow: -2, inputHigh: 2)
        checkLayer("Sigmoid", Sigmoid(), inputShape: [3, 5], inputLow: -3, inputHigh: 3)
    }

    @Test func flattenAndSequential() {
        var rng = TensorRNG(seed: 7)
        let net = Sequential([Conv2D(2, 3, kernelSize: 3, stride: 2, generator: &rng), Tanh(), Flatten(),
                              Linear(27, 4, generator: &rng), Sigmoid()])
        checkLayer("Sequential", net, inputShape: [2, 2, 7, 7])
    }

    /// A whole Nature-shaped CNN (tanh, smooth) through gather and Huber, as a DQN update does.
    @Test func wholeCNNThroughHuberOnGatheredQ() {
        var rng = TensorRNG(seed: 8)
        let net = Sequential([Conv2D(2, 4, kernelSize: 4, stride: 2, generator: &rng), Tanh(),
                              Conv2D(4, 4, kernelSize: 3, stride: 1, generator: &rng), Tanh(),
                              Flatten(), Linear(16, 8, generator: &rng), Tanh(), Linear(8, 3, generator: &rng)])
        net.computesInputGradient = true
        let x = randomTensor([3, 2, 10, 10], &rng, low: 0, high: 1)
        let actions = [2, 0, 1]
        let targets = FloatTensor(shape: [3], values: [1.5, -0.2, 0.05])
        let gathered = FloatTensor(shape: [3]), dGathered = FloatTensor(shape: [3]), dQ = FloatTensor(shape: [3, 3])
        func loss() -> Double {
            Ops.gather(net.forward(x), indices: actions, into: gathered)
            return Double(Loss.huber(prediction: gathered, target: targets))
        }
        _ = loss()
        Loss.huber(prediction: gathered, target: targets, gradient: dGathered)
        Ops.gatherBackward(gradOutput: dGathered, indices: actions, into: dQ)
        net.zeroGradients()
        let dx = FloatTensor(shape: x.shape, values: net.backward(dQ)!.toArray())
        checkGradient("CNN input", variable: x, analytic: dx, loss: loss, atol: 2e-4)
        for p in net.namedParameters {
            checkGradient("CNN \(p.name)", variable: p.parameter.value, analytic: p.parameter.gradient, loss: loss, atol: 2e-4)
        }
    }

    /// The same with ReLUs (the real thing), skipping samples whose step crosses a kink.
    @Test func wholeReLUCNN() {
        var rng = TensorRNG(seed: 9)
        let net = Sequential([Conv2D(2, 4, kernelSize: 4, stride: 2, generator: &rng), ReLU(),
                              Conv2D(4, 4, kernelSize: 3, stride: 1, generator: &rng), ReLU(),
                              Flatten(), Linear(16, 8, generator: &rng), ReLU(), Linear(8, 3, generator: &rng)])
        checkLayer("ReLU CNN", net, inputShape: [2, 2, 10, 10], skipKinks: true, inputLow: 0, inputHigh: 1)
    }

    /// A first layer (no input gradient) whose kernel is a whole number of strides runs on the
    /// phase grid: its parameter gradients against finite differences, with 5 images (a full
    /// chunk of 4 and a partial one) and the ReLU fused by Sequential.
    @Test func phaseGridFirstLayer() {
        var rng = TensorRNG(seed: 21)
        let net = Sequential([Conv2D(2, 3, kernelSize: 8, stride: 4, generator: &rng), ReLU(), Flatten(),
                              Linear(27, 2, generator: &rng)])
        let x = randomTensor([5, 2, 16, 16], &rng, low: 0, high: 1)
        let w = randomTensor([5, 2], &rng)
        _ = net.forward(x)
        net.zeroGradients()
        #expect(net.backward(w) == nil)
        let loss = { weightedSum(net.forward(x), w) }
        for p in net.namedParameters {
            checkGradient("phase grid \(p.name)", variable: p.parameter.value, analytic: p.parameter.gradient,
                          loss: loss, skipKinks: true)
        }
    }

    /// The phase grid and the im2col path agree: the same 8x8/4 and 4x4/2 layers with and
    /// without it give the same outputs and weight and bias gradients.
    @Test(arguments: [(8, 4, 20), (4, 2, 10)])
    func phaseGridMatchesIm2col(kernel: Int, stride: Int, size: Int) {
        var rng = TensorRNG(seed: 22)
        let conv = Conv2D(3, 4, kernelSize: kernel, stride: stride, generator: &rng)
        let reference = conv.makeCopy() as! Conv2D
        conv.computesInputGradient = false     // phase grid
        reference.computesInputGradient = true // im2col (it also returns an input gradient)
        let x = randomTensor([6, 3, size, size], &rng, low: 0, high: 1)
        let y = conv.forward(x).toArray(), yRef = reference.forward(x).toArray()
        let dy = randomTensor(conv.outputShape(forInputShape: x.shape), &rng)
        conv.zeroGradients()
        reference.zeroGradients()
        conv.backward(dy)
        reference.backward(dy)
        func close(_ a: [Float], _ b: [Float]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
        }
        #expect(close(y, yRef))
        #expect(close(conv.weight.gradient.toArray(), reference.weight.gradient.toArray()))
        #expect(close(conv.bias!.gradient.toArray(), reference.bias!.gradient.toArray()))
    }

    @Test func softmaxAndLogSoftmax() {
        var rng = TensorRNG(seed: 10)
        let x = randomTensor([3, 5], &rng, low: -3, high: 3)
        let w = randomTensor([3, 5], &rng)
        let y = FloatTensor(shape: [3, 5]), dx = FloatTensor(shape: [3, 5])
        Ops.softmax(x, into: y)
        Ops.softmaxBackward(output: y, gradOutput: w, into: dx)
        checkGradient("softmax", variable: x, analytic: dx, loss: { Ops.softmax(x, into: y); return weightedSum(y, w) })
        Ops.logSoftmax(x, into: y)
        Ops.logSoftmaxBackward(output: y, gradOutput: w, into: dx)
        checkGradient("logSoftmax", variable: x, analytic: dx, loss: { Ops.logSoftmax(x, into: y); return weightedSum(y, w) })
    }

    @Test func reductionsAndGather() {
        var rng = TensorRNG(seed: 11)
        let x = randomTensor([4, 3], &rng)
        let dx = FloatTensor(shape: [4, 3])
        Ops.sumBackward(gradOutput: 0.7, into: dx)
        checkGradient("sum", variable: x, analytic: dx, loss: { 0.7 * Double(Ops.sum(x)) })
        Ops.meanBackward(gradOutput: 1.3, into: dx)
        checkGradient("mean", variable: x, analytic: dx, loss: { 1.3 * Double(Ops.mean(x)) })
        let rows = FloatTensor(shape: [4]), w = randomTensor([4], &rng)
        Ops.sumLastAxisBackward(gradOutput: w, into: dx)
        checkGradient("sumLastAxis", variable: x, analytic: dx, loss: { Ops.sumLastAxis(x, into: rows); return weightedSum(rows, w) })
        let actions = [1, 2, 0, 2]
        Ops.gatherBackward(gradOutput: w, indices: actions, into: dx)
        checkGradient("gather", variable: x, analytic: dx, loss: { Ops.gather(x, indices: actions, into: rows); return weightedSum(rows, w) })
        Ops.gather(x, indices: actions, into: rows)
        #expect(rows.toArray() == [x[1], x[5], x[6], x[11]])
    }

    @Test func broadcastingArithmetic() {
        var rng = TensorRNG(seed: 12)
        let a = randomTensor([4, 3], &rng), b = randomTensor([3], &rng), c = randomTensor([4, 1], &rng)
        let out = FloatTensor(shape: [4, 3]), w = randomTensor([4, 3], &rng)
        let da = FloatTensor(shape: [4, 3]), db = FloatTensor(shape: [3]), dc = FloatTensor(shape: [4, 1])
        Ops.add(a, b, into: out)
        #expect(out[4] == a[4] + b[1])
        Ops.addBackward(gradOutput: w, gradA: da, gradB: db)
        checkGradient("add a", variable: a, analytic: da, loss: { Ops.add(a, b, into: out); return weightedSum(out, w) })
        checkGradient("add b", variable: b, analytic: db, loss: { Ops.add(a, b, into: out); return weightedSum(out, w) })
        Ops.subtractBackward(gradOutput: w, gradA: da, gradB: dc)
        checkGradient("subtract a", variable: a, analytic: da, loss: { Ops.subtract(a, c, into: out); return weightedSum(out, w) })
        checkGradient("subtract c", variable: c, analytic: dc, loss: { Ops.subtract(a, c, into: out); return weightedSum(out, w) })
        Ops.multiplyBackward(c, b, gradOutput: w, gradA: dc, gradB: db)
        checkGradient("multiply c", variable: c, analytic: dc, loss: { Ops.multiply(c, b, into: out); return weightedSum(out, w) })
        checkGradient("multiply b", variable: b, analytic: db, loss: { Ops.multiply(c, b, into: out); return weightedSum(out, w) })
    }

    @Test func losses() {
        var rng = TensorRNG(seed: 13)
        let p = randomTensor([6], &rng, low: -2, high: 2), t = randomTensor([6], &rng, low: -2, high: 2)
        // Keep |p − t| away from Huber's seam at 1 so the step stays on one branch.
        for i in 0..<6 where abs(abs(p[i] - t[i]) - 1) < 0.05 { p[i] += 0.2 }
        let g = FloatTensor(shape: [6])
        Loss.meanSquaredError(prediction: p, target: t, gradient: g)
        checkGradient("mse", variable: p, analytic: g, loss: { Double(Loss.meanSquaredError(prediction: p, target: t)) })
        Loss.huber(prediction: p, target: t, gradient: g)
        checkGradient("huber", variable: p, analytic: g, loss: { Double(Loss.huber(prediction: p, target: t)) })
        let logits = randomTensor([3, 4], &rng, low: -2, high: 2), gl = FloatTensor(shape: [3, 4])
        Loss.crossEntropy(logits: logits, labels: [3, 0, 1], gradient: gl)
        checkGradient("crossEntropy", variable: logits, analytic: gl,
                      loss: { Double(Loss.crossEntropy(logits: logits, labels: [3, 0, 1])) })
        Loss.categoricalEntropy(logits: logits, gradient: gl)
        checkGradient("entropy", variable: logits, analytic: gl, loss: { Double(Loss.categoricalEntropy(logits: logits)) })
        // accumulate adds to what is there, scaled.
        let before = gl.toArray()
        Loss.categoricalEntropy(logits: logits, gradient: gl, scale: -2, accumulate: true)
        for i in 0..<gl.count { #expect(abs(gl[i] - (before[i] - 2 * before[i])) < 1e-6) }
    }
}
