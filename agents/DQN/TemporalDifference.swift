// The DQN update's arithmetic as pure functions over plain buffers, so each can be checked
// on hand-made numbers: the bootstrap value (max of the target network, or the target
// network's value of the online network's argmax for Double DQN), the TD target
// y = R + discount * bootstrap (discount = gamma^m, or 0 after termination), and the loss
// gradient written into the chosen action's column only.

/// TD targets and losses of the DQN family.
public enum TemporalDifference {
    /// The index of the largest of `count` values at `row` (the first on ties, as argmax).
    @inline(__always)
    public static func argmax(_ row: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        var bestValue = row[0]
        for a in 1..<count where row[a] > bestValue {
            best = a
            bestValue = row[a]
        }
        return best
    }

    /// y[b] = returns[b] + discounts[b] * bootstrap[b], where bootstrap is
    /// max_a targetQ[b, a] or, with `onlineQ` (Double DQN), targetQ[b, argmax_a onlineQ[b, a]].
    /// Q tensors are [batch, actions] row-major.
    public static func targets(returns: UnsafePointer<Float>, discounts: UnsafePointer<Float>,
                               targetQ: UnsafePointer<Float>, onlineQ: UnsafePointer<Float>?,
                               batch: Int, actions: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<batch {
            let row = targetQ + b * actions
            let chosen = argmax(onlineQ.map { $0 + b * actions } ?? row, count: actions)
            y[b] = returns[b] + discounts[b] * row[chosen]
        }
    }

    /// The weighted TD loss mean_b w_b * L(q[b, a_b] - y_b) and its gradient with respect to
    /// q, written into `gradient` ([batch, actions], zero except at the chosen actions).
    /// Also writes the TD errors (q - y) into `errors` for priorities, and returns the mean of
    /// the chosen Q-values beside the loss.
    public static func loss(q: UnsafePointer<Float>, actions chosen: UnsafePointer<Int32>, targets y: UnsafePointer<Float>,
                            weights: UnsafePointer<Float>, batch: Int, actions: Int, kind: DQNLossKind,
                            gradient: UnsafeMutablePointer<Float>, errors: UnsafeMutablePointer<Float>) -> (loss: Double, meanQ: Double) {
        gradient.update(repeating: 0, count: batch * actions)
        var total = 0.0, qSum = 0.0
        let inverseBatch = 1 / Float(batch)
        for b in 0..<batch {
            let a = Int(chosen[b])
            precondition(a >= 0 && a < actions, "TemporalDifference.loss: action \(a) outside 0..<\(actions)")
            let qa = q[b * actions + a]
            let delta = qa - y[b]
            errors[b] = delta
            qSum += Double(qa)
            let value: Float, slope: Float
            switch kind {
            case .huber:
                if abs(delta) < 1 { value = 0.5 * delta * delta; slope = delta } else { value = abs(delta) - 0.5; slope = delta > 0 ? 1 : -1 }
            case .mse:
                value = delta * delta
                slope = 2 * delta
            }
            total += Double(weights[b] * value)
            gradient[b * actions + a] = weights[b] * slope * inverseBatch
        }
        return (total / Double(batch), qSum / Double(batch))
    }
}
