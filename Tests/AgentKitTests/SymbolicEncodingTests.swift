// The symbolic encoder: MiniGrid cells become the positions of their hot bits, and
// `OneHotLinear` on those positions computes exactly what `Linear` (checked against PyTorch in
// the Tensor tests) computes on the dense one-hot vector, forward and gradients.
import AgentKit
import RL
import Tensor
import Testing

@Test func symbolicLayoutListsTheHotPositionsOfEveryCell() throws {
    // Two stacked 2x1 frames of (object, colour, state) bytes.
    let layout = try ObservationLayout(space: .box(shape: [2, 1, 3], element: .uint8, low: 0, high: 255),
                                       stackSize: 2, requested: .auto)
    #expect(layout.encoder == .symbolic && layout.inputShape == [12] && layout.oneHotWidth == 4 * 21)
    let state: [UInt8] = [
        2, 5, 0,    // frame 0, cell 0: grey wall
        4, 4, 2,    // frame 0, cell 1: yellow locked door
        10, 0, 3,   // frame 1, cell 0: the agent heading up (full-grid observations)
        0, 0, 99,   // frame 1, cell 1: unseen, with a state byte out of range
    ]
    let tensor = FloatTensor(shape: [1, 12])
    state.withUnsafeBytes { layout.load(states: $0.baseAddress!, batch: 1, into: tensor) }
    // Cell c's block starts at 21c: object at +0, colour at +11, state at +17.
    let expected: [Float] = [2, 16, 17, 25, 36, 40, 52, 53, 62, 63, 74, -1]
    #expect(tensor.toArray() == expected)
}

@Test func oneHotLinearMatchesLinearOnTheDenseOneHotVector() throws {
    var generator = SeededGenerator(seed: 7)
    let inFeatures = 5 * 21, outFeatures = 6, active = 15, batch = 4
    let sparse = OneHotLinear(inFeatures, outFeatures, activeCount: active, generator: &generator)
    let dense = Linear(inFeatures, outFeatures, generator: &generator)
    dense.computesInputGradient = false
    // The same function: Linear's weight [out, in] is OneHotLinear's [in, out] transposed.
    for i in 0..<inFeatures {
        for o in 0..<outFeatures { dense.weight.value.data[o * inFeatures + i] = sparse.weight.value.data[i * outFeatures + o] }
    }
    for o in 0..<outFeatures { dense.bias!.value.data[o] = sparse.bias.value.data[o] }

    // Random cells: every index is a hot position in its cell's block; one is skipped (-1).
    let indices = FloatTensor(shape: [batch, active])
    let oneHot = FloatTensor(shape: [batch, inFeatures])
    for b in 0..<batch {
        for cell in 0..<5 {
            let hot = [generator.uniform(below: 11), 11 + generator.uniform(below: 6), 17 + generator.uniform(below: 4)]
            for (k, h) in hot.enumerated() {
                let skipped = b == 1 && cell == 2 && k == 2
                indices[b * active + cell * 3 + k] = skipped ? -1 : Float(cell * 21 + h)
                if !skipped { oneHot[b * inFeatures + cell * 21 + h] = 1 }
            }
        }
    }
    let ys = sparse.forward(indices).toArray()
    let yd = dense.forward(oneHot).toArray()
    #expect(zip(ys, yd).allSatisfy { abs($0 - $1) < 1e-5 }, "sparse \(ys) dense \(yd)")

    let gradOutput = FloatTensor(shape: [batch, outFeatures])
    for i in 0..<gradOutput.count { gradOutput[i] = Float(generator.uniform(below: 2001)) / 1000 - 1 }
    sparse.zeroGradients()
    dense.zeroGradients()
    #expect(sparse.backward(gradOutput) == nil)
    dense.backward(gradOutput)
    var worst: Float = 0
    for i in 0..<inFeatures {
        for o in 0..<outFeatures {
            worst = max(worst, abs(dense.weight.gradient.data[o * inFeatures + i] - sparse.weight.gradient.data[i * outFeatures + o]))
        }
    }
    #expect(worst < 1e-5)
    #expect(zip(sparse.bias.gradient.toArray(), dense.bias!.gradient.toArray()).allSatisfy { abs($0 - $1) < 1e-5 })
    // A copy (a target network) holds the same values in its own storage.
    let copy = try #require(sparse.makeCopy() as? OneHotLinear)
    #expect(copy.forward(indices).toArray() == ys)
    #expect(copy.weight.value.data != sparse.weight.value.data)
}

@Test func symbolicEncoderBuildsTheOneHotMLP() throws {
    let layout = try ObservationLayout(space: .image(height: 7, width: 7, channels: 3), stackSize: 1, requested: .auto)
    var generator = SeededGenerator(seed: 1)
    let (layers, features) = Encoder.makeLayers(for: layout, hidden: 32, generator: &generator)
    #expect(features == 32)
    let network = Sequential(layers)
    #expect(network.outputShape(forInputShape: [2, 147]) == [2, 32])
    #expect(network.parameterCount == (1029 * 32 + 32) + (32 * 32 + 32))
}
