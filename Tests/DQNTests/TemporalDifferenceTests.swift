// The DQN update's targets and loss on hand-made numbers: the one-step TD target with max,
// the Double-DQN target (target network's value at the online network's argmax), n-step
// targets through the replay buffer across episode ends, and the loss gradient against the
// tensor engine's Huber and squared error (checked there against PyTorch).
import DQN
import Replay
import RL
import Tensor
import Testing

@Test func oneStepTargetUsesTheTargetNetworksMaximum() {
    // Two transitions, three actions. Row 0 bootstraps with discount 0.9, row 1 terminated.
    let returns: [Float] = [1, 2]
    let discounts: [Float] = [0.9, 0]
    let targetQ: [Float] = [0.5, 3, -1,   7, 8, 9]
    var y = [Float](repeating: .nan, count: 2)
    TemporalDifference.targets(returns: returns, discounts: discounts, targetQ: targetQ, onlineQ: nil,
                               batch: 2, actions: 3, into: &y)
    #expect(y == [1 + 0.9 * 3, 2])
}

@Test func doubleDQNTargetEvaluatesTheOnlineArgmaxWithTheTargetNetwork() {
    let returns: [Float] = [1, 0.5, 0]
    let discounts: [Float] = [0.5, 0.25, 1]
    let targetQ: [Float] = [10, 20, 30,   -1, -2, -3,   4, 4, 1]
    let onlineQ: [Float] = [9, 1, 1,      0, 5, 1,      0, 0, 0]   // argmax 0, 1, 0 (first on ties)
    var y = [Float](repeating: .nan, count: 3)
    TemporalDifference.targets(returns: returns, discounts: discounts, targetQ: targetQ, onlineQ: onlineQ,
                               batch: 3, actions: 3, into: &y)
    #expect(y == [1 + 0.5 * 10, 0.5 + 0.25 * -2, 4])
    // Plain DQN on the same numbers takes the target network's own maximum instead.
    TemporalDifference.targets(returns: returns, discounts: discounts, targetQ: targetQ, onlineQ: nil,
                               batch: 3, actions: 3, into: &y)
    #expect(y == [1 + 0.5 * 30, 0.5 + 0.25 * -1, 4])
}

@Test func nStepTargetsThroughTheReplayBuffer() {
    // Frames are one byte holding the step's index; the "target network" is a table
    // Q(s', a) = frame(s') + a, so each target can be written out by hand.
    let gamma: Float = 0.5
    let buffer = ReplayBuffer(.init(capacity: 32, frameByteCount: 1, stackSize: 1, nStep: 3, gamma: gamma))
    let rewards: [Float] = [1, 2, 4, 8]
    for (i, r) in rewards.enumerated() {
        var obs = UInt8(i), next = UInt8(i + 1)
        withUnsafeBytes(of: &obs) { o in withUnsafeBytes(of: &next) { n in
            buffer.add(observation: o, action: 0, reward: r, terminated: i == 3, truncated: false, nextObservation: n)
        } }
    }
    let batch = ReplayBatch(batchSize: 4, stateByteCount: 1)
    for stamp in 0..<4 { buffer.copyTransition(Int64(stamp), into: batch, row: stamp) }
    var targetQ = [Float](repeating: 0, count: 4 * 2)
    for b in 0..<4 {
        let frame = Float(batch.nextObservations[b])
        targetQ[2 * b] = frame
        targetQ[2 * b + 1] = frame + 1
    }
    var y = [Float](repeating: .nan, count: 4)
    TemporalDifference.targets(returns: batch.returns.baseAddress!, discounts: batch.discounts.baseAddress!,
                               targetQ: targetQ, onlineQ: nil, batch: 4, actions: 2, into: &y)
    // From step 0: 1 + 0.5*2 + 0.25*4 + 0.125 * max Q(s3) = 3 + 0.125 * 4.
    #expect(y[0] == 3 + 0.125 * 4)
    // From step 1: 2 + 0.5*4 + 0.25*8, the episode terminated inside the window: no bootstrap.
    #expect(y[1] == 6)
    #expect(y[2] == 4 + 0.5 * 8)
    #expect(y[3] == 8)
}

@Test func lossGradientMatchesTheEnginesHuberAndSquaredError() {
    let batch = 5, actions = 3
    let q: [Float] = [0.1, 2.0, -1.0,  0.5, 0.5, 0.5,  3.0, -2.0, 1.0,  0.0, 0.0, 4.0,  -0.3, 0.2, 0.9]
    let chosen: [Int32] = [1, 0, 2, 2, 1]
    let y: [Float] = [1.5, 0.2, 3.5, 0.0, -0.6]
    let ones = [Float](repeating: 1, count: batch)
    let selected = FloatTensor(shape: [batch], values: (0..<batch).map { q[$0 * actions + Int(chosen[$0])] })
    let targets = FloatTensor(shape: [batch], values: y)
    for kind in DQNLossKind.allCases {
        var gradient = [Float](repeating: .nan, count: batch * actions)
        var errors = [Float](repeating: .nan, count: batch)
        let (loss, meanQ) = TemporalDifference.loss(q: q, actions: chosen, targets: y, weights: ones, batch: batch,
                                                    actions: actions, kind: kind, gradient: &gradient, errors: &errors)
        let reference = FloatTensor(shape: [batch])
        let referenceLoss = kind == .huber
            ? Loss.huber(prediction: selected, target: targets, gradient: reference)
            : Loss.meanSquaredError(prediction: selected, target: targets, gradient: reference)
        #expect(abs(loss - Double(referenceLoss)) < 1e-6)
        #expect(abs(meanQ - Double(selected.toArray().reduce(0, +)) / Double(batch)) < 1e-6)
        for b in 0..<batch {
            for a in 0..<actions {
                let expected = a == Int(chosen[b]) ? reference[b] : 0
                #expect(abs(gradient[b * actions + a] - expected) < 1e-7)
            }
            #expect(errors[b] == selected[b] - y[b])
        }
    }
    // Importance weights scale each row's loss and gradient.
    let weights: [Float] = [0.5, 1, 0.25, 1, 2]
    var gradient = [Float](repeating: 0, count: batch * actions)
    var weightedGradient = gradient
    var errors = [Float](repeating: 0, count: batch)
    _ = TemporalDifference.loss(q: q, actions: chosen, targets: y, weights: ones, batch: batch, actions: actions,
                                kind: .huber, gradient: &gradient, errors: &errors)
    _ = TemporalDifference.loss(q: q, actions: chosen, targets: y, weights: weights, batch: batch, actions: actions,
                                kind: .huber, gradient: &weightedGradient, errors: &errors)
    for b in 0..<batch {
        let i = b * actions + Int(chosen[b])
        #expect(abs(weightedGradient[i] - weights[b] * gradient[i]) < 1e-7)
    }
}

@Test func duelingHeadGradientsMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 11)
    let head = DuelingHead(features: 4, actions: 3, generator: &generator)
    let x = FloatTensor(shape: [2, 4], values: (0..<8).map { Float($0) * 0.1 - 0.3 })
    // Loss = sum(q * w) for fixed w, so dL/dq = w.
    let w: [Float] = [0.3, -1.2, 0.7, 1.5, 0.1, -0.4]
    func lossValue() -> Double {
        let q = head.forward(x)
        return (0..<6).reduce(0.0) { $0 + Double(q[$1] * w[$1]) }
    }
    // Q = V + A - mean(A): the mean over actions of Q is V.
    let q = head.forward(x)
    let v = head.value.forward(x)
    for b in 0..<2 { #expect(abs((q[3 * b] + q[3 * b + 1] + q[3 * b + 2]) / 3 - v[b]) < 1e-5) }
    _ = head.forward(x)
    head.zeroGradients()
    let gradInput = head.backward(FloatTensor(shape: [2, 3], values: w))!.toArray()
    let analytic = head.namedParameters.map { $0.parameter.gradient.toArray() }
    let h: Float = 1e-2
    for (k, named) in head.namedParameters.enumerated() {
        let p = named.parameter.value
        for i in 0..<p.count {
            let saved = p[i]
            p[i] = saved + h; let up = lossValue()
            p[i] = saved - h; let down = lossValue()
            p[i] = saved
            let numeric = (up - down) / Double(2 * h)
            #expect(abs(numeric - Double(analytic[k][i])) < 1e-3, "\(named.name)[\(i)]")
        }
    }
    for i in 0..<x.count {
        let saved = x[i]
        x[i] = saved + h; let up = lossValue()
        x[i] = saved - h; let down = lossValue()
        x[i] = saved
        #expect(abs((up - down) / Double(2 * h) - Double(gradInput[i])) < 1e-3)
    }
}
