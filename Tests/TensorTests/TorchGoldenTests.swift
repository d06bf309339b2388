// The engine against PyTorch 2.15: a Nature-shaped CNN's outputs, Huber loss on gathered
// Q-values, every parameter gradient, optimiser steps and gradient clipping, and the
// actor-critic heads, all from goldens written by scripts/torch_goldens.py.
import Foundation
import Testing
import Tensor

@Suite struct TorchGoldenTests {
    /// The golden network's architecture (weights come from the file).
    static func makeNetwork() -> Sequential {
        var rng = TensorRNG(seed: 99)
        return Sequential([
            Conv2D(4, 8, kernelSize: 8, stride: 4, generator: &rng), ReLU(),
            Conv2D(8, 16, kernelSize: 4, stride: 2, generator: &rng), ReLU(),
            Conv2D(16, 16, kernelSize: 3, stride: 1, generator: &rng), ReLU(),
            Flatten(), Linear(64, 32, generator: &rng), ReLU(), Linear(32, 4, generator: &rng),
        ])
    }

    /// Loads the golden weights and runs the Huber-on-gathered-Q step; returns the network with
    /// its gradients, the Q-values and the loss.
    static func runGoldenStep() throws -> (Sequential, FloatTensor, Float, SafeTensorsFile) {
        let net = makeNetwork()
        try net.loadParameters(from: try golden("nature_weights"))
        let io = try golden("nature_io")
        let pixels = try io.tensor("input")
        let bytes = pixels.toArray().map { UInt8($0) }
        let x = FloatTensor(shape: pixels.shape)
        bytes.withUnsafeBufferPointer { x.load(bytes: $0, scale: 1 / 255) }
        let actions = try io.tensor("actions").toArray().map { Int($0) }
        let targets = try io.tensor("targets")
        let q = net.forward(x)
        let qCopy = FloatTensor(shape: q.shape, values: q.toArray())
        let gathered = FloatTensor(shape: [3]), dGathered = FloatTensor(shape: [3]), dQ = FloatTensor(shape: q.shape)
        Ops.gather(q, indices: actions, into: gathered)
        let loss = Loss.huber(prediction: gathered, target: targets, gradient: dGathered)
        Ops.gatherBackward(gradOutput: dGathered, indices: actions, into: dQ)
        net.zeroGradients()
        net.backward(dQ)
        return (net, qCopy, loss, io)
    }

    @Test func forwardLossAndGradientsMatchPyTorch() throws {
        let (net, q, loss, io) = try Self.runGoldenStep()
        expectClose(q.toArray(), try io.tensor("q").toArray(), "Q-values")
        expectClose([loss], try io.tensor("loss").toArray(), "Huber loss")
        #expect(net.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                                                     "7.weight", "7.bias", "9.weight", "9.bias"])
        for p in net.namedParameters {
            expectClose(p.parameter.gradient.toArray(), try io.tensor("grad.\(p.name)").toArray(), "gradient of \(p.name)")
        }
    }

    /// Two steps of each optimiser from the golden gradients (the second with −0.5 × them).
    @Test(arguments: ["adam", "rmsprop", "rmsprop_centered", "sgd"])
    func optimiserStepsMatchPyTorch(label: String) throws {
        let net = Self.makeNetwork()
        try net.loadParameters(from: try golden("nature_weights"))
        let io = try golden("nature_io"), steps = try golden("nature_steps")
        let params = net.namedParameters
        let optimiser: Optimizer
        switch label {
        case "adam": optimiser = Adam(parameters: params, learningRate: 1e-3)
        case "rmsprop": optimiser = RMSProp(parameters: params, learningRate: 1e-3)
        case "rmsprop_centered": optimiser = RMSProp(parameters: params, learningRate: 1e-3, momentum: 0.9, centered: true)
        default: optimiser = SGD(parameters: params, learningRate: 1e-2, momentum: 0.9)
        }
        for step in 1...2 {
            for p in params {
                try io.copy("grad.\(p.name)", into: p.parameter.gradient)
                if step == 2 { for i in 0..<p.parameter.gradient.count { p.parameter.gradient[i] *= -0.5 } }
            }
            optimiser.step()
            for p in params {
                expectClose(p.parameter.value.toArray(), try steps.tensor("\(label).\(step).\(p.name)").toArray(),
                            "\(label) step \(step) \(p.name)")
            }
        }
    }

    @Test func clipGradNormMatchesPyTorch() throws {
        let net = Self.makeNetwork()
        let io = try golden("nature_io"), steps = try golden("nature_steps")
        for p in net.namedParameters { try io.copy("grad.\(p.name)", into: p.parameter.gradient) }
        let norm = GradientClipping.clipGlobalNorm(net.parameters, maxNorm: 0.05)
        expectClose([norm], try steps.tensor("clipped.norm").toArray(), "pre-clip norm")
        for p in net.namedParameters {
            expectClose(p.parameter.gradient.toArray(), try steps.tensor("clipped.\(p.name)").toArray(), "clipped \(p.name)")
        }
    }

    /// Actor-critic heads: policy gradient through log-softmax and gather, entropy bonus,
    /// cross-entropy and a value MSE, combined on one gradient buffer as an agent would.
    @Test func actorCriticHeadsMatchPyTorch() throws {
        let h = try golden("heads")
        let logits = try h.tensor("logits"), labels = try h.tensor("labels").toArray().map { Int($0) }
        let advantages = try h.tensor("advantages"), values = try h.tensor("values"), returns = try h.tensor("returns")
        let softmax = FloatTensor(shape: logits.shape), logSoftmax = FloatTensor(shape: logits.shape)
        Ops.softmax(logits, into: softmax)
        Ops.logSoftmax(logits, into: logSoftmax)
        expectClose(softmax.toArray(), try h.tensor("softmax").toArray(), "softmax")
        expectClose(logSoftmax.toArray(), try h.tensor("log_softmax").toArray(), "log_softmax")

        // policy = −mean(logp[a] · advantage)
        let chosen = FloatTensor(shape: [4]), weighted = FloatTensor(shape: [4])
        Ops.gather(logSoftmax, indices: labels, into: chosen)
        Ops.multiply(chosen, advantages, into: weighted)
        let policy = -Ops.mean(weighted)
        expectClose([policy], try h.tensor("policy").toArray(), "policy loss")
        let dWeighted = FloatTensor(shape: [4]), dChosen = FloatTensor(shape: [4])
        let dLogSoftmax = FloatTensor(shape: logits.shape), dLogits = FloatTensor(shape: logits.shape)
        Ops.meanBackward(gradOutput: -1, into: dWeighted)
        Ops.multiplyBackward(chosen, advantages, gradOutput: dWeighted, gradA: dChosen, gradB: nil)
        Ops.gatherBackward(gradOutput: dChosen, indices: labels, into: dLogSoftmax)
        Ops.logSoftmaxBackward(output: logSoftmax, gradOutput: dLogSoftmax, into: dLogits)

        let entropy = Loss.categoricalEntropy(logits: logits, gradient: dLogits, scale: -0.01, accumulate: true)
        let crossEntropy = Loss.crossEntropy(logits: logits, labels: labels, gradient: dLogits, scale: 0.25, accumulate: true)
        let dValues = FloatTensor(shape: [4])
        let mse = Loss.meanSquaredError(prediction: values, target: returns, gradient: dValues, scale: 0.5)
        expectClose([entropy], try h.tensor("entropy").toArray(), "entropy")
        expectClose([crossEntropy], try h.tensor("cross_entropy").toArray(), "cross-entropy")
        expectClose([mse], try h.tensor("mse").toArray(), "mse")
        expectClose([policy + 0.5 * mse - 0.01 * entropy + 0.25 * crossEntropy], try h.tensor("total").toArray(), "total")
        expectClose(dLogits.toArray(), try h.tensor("grad.logits").toArray(), "gradient wrt logits")
        expectClose(dValues.toArray(), try h.tensor("grad.values").toArray(), "gradient wrt values")
    }
}
