// Prioritised experience replay (Schaul et al. 2016, proportional variant) over the uniform
// buffer's storage: each valid transition's leaf in a sum tree holds priority^alpha, new
// transitions get the largest priority seen so far, and sampling is stratified into
// `batchSize` equal segments of the total, with importance-sampling weights
// (P(i))^-beta normalised by the batch's largest weight (Schaul et al. normalise by the
// maximum weight; the N of (N·P(i))^-beta cancels in that ratio).

/// A replay buffer that samples transitions in proportion to their priority.
public final class PrioritizedReplayBuffer {
    public let buffer: ReplayBuffer
    /// Priority exponent: 0 is uniform, 1 fully proportional.
    public let alpha: Double
    /// Added to |TD error| so that no transition's priority falls to zero.
    public let epsilon: Double
    public internal(set) var tree: SumTree
    /// The largest priority (before the exponent) given so far; new transitions get it.
    public internal(set) var maxPriority: Double = 1

    public init(_ configuration: ReplayBufferConfiguration, alpha: Double = 0.6, epsilon: Double = 1e-6) {
        precondition(alpha >= 0 && epsilon >= 0, "PrioritizedReplayBuffer: alpha \(alpha) and epsilon \(epsilon) must be non-negative")
        buffer = ReplayBuffer(configuration)
        self.alpha = alpha
        self.epsilon = epsilon
        tree = SumTree(capacity: configuration.capacity)
    }

    public var configuration: ReplayBufferConfiguration { buffer.configuration }

    /// Adds a step as `ReplayBuffer.add` does, then keeps the tree in step with validity:
    /// overwritten slots and transitions whose stack lost its frames drop to 0, and
    /// transitions whose n-step look-ahead just completed get the maximum priority.
    public func add(observation: UnsafeRawBufferPointer, action: Int, reward: Float,
                    terminated: Bool, truncated: Bool, nextObservation: UnsafeRawBufferPointer) {
        let headBefore = buffer.writeHead
        buffer.add(observation: observation, action: action, reward: reward,
                   terminated: terminated, truncated: truncated, nextObservation: nextObservation)
        // Slots just written hold no completed transition except possibly the acted one,
        // which the candidates below re-check.
        for stamp in headBefore..<buffer.writeHead { tree.set(buffer.slot(stamp), 0) }
        let oldest = buffer.oldestStamp
        for stamp in oldest..<min(oldest + Int64(configuration.stackSize - 1), buffer.writeHead)
        where tree[buffer.slot(stamp)] > 0 && !buffer.isValid(stamp) {
            tree.set(buffer.slot(stamp), 0)
        }
        // The transition n - 1 steps back completed its look-ahead; at an episode's end, every
        // transition of the episode's last n steps did.
        let acted = buffer.lastActionStamp
        let episodeStart = buffer.episodeStarts[buffer.slot(acted)]
        let lower = max(episodeStart, oldest, acted - Int64(configuration.nStep - 1))
        let upper = (terminated || truncated) ? acted : acted - Int64(configuration.nStep - 1)
        guard lower <= upper else { return }
        let newPriority = pow(maxPriority, alpha)
        for stamp in lower...upper where buffer.isValid(stamp) {
            tree.set(buffer.slot(stamp), newPriority)
        }
    }

    /// Fills `batch` with transitions drawn in proportion to priority, with importance
    /// weights for exponent `beta`. Allocates nothing.
    public func sample<G: RandomNumberGenerator>(into batch: ReplayBatch, beta: Double, using generator: inout G) {
        let total = tree.total
        precondition(total > 0, "PrioritizedReplayBuffer.sample: no transition has a priority yet")
        let segment = total / Double(batch.batchSize)
        var maxWeight = 0.0
        for b in 0..<batch.batchSize {
            var leaf = 0
            var attempts = 0
            repeat {
                // The first try is stratified; a retry (a leaf that rounding left at 0) draws
                // from the whole range.
                let value = attempts == 0 ? (Double(b) + uniformUnit(&generator)) * segment
                                          : uniformUnit(&generator) * total
                leaf = tree.find(value)
                attempts += 1
                precondition(attempts < 10_000, "PrioritizedReplayBuffer.sample: no positive leaf found")
            } while tree[leaf] <= 0
            let stamp = stampOfSlot(leaf)
            buffer.copyTransition(stamp, into: batch, row: b)
            let probability = tree[leaf] / total
            let weight = pow(probability, -beta)
            batch.weights[b] = Float(weight)
            maxWeight = max(maxWeight, weight)
        }
        for b in 0..<batch.batchSize { batch.weights[b] = Float(Double(batch.weights[b]) / maxWeight) }
    }

    /// Sets the sampled transitions' priorities from their TD errors: (|delta| + epsilon)^alpha.
    /// Transitions overwritten since they were sampled are skipped.
    public func updatePriorities(stamps: UnsafeBufferPointer<Int64>, tdErrors: UnsafeBufferPointer<Float>) {
        precondition(stamps.count == tdErrors.count, "PrioritizedReplayBuffer.updatePriorities: \(stamps.count) stamps, \(tdErrors.count) errors")
        for i in 0..<stamps.count {
            let stamp = stamps[i]
            let slot = buffer.slot(stamp)
            guard buffer.stamps[slot] == stamp, tree[slot] > 0 else { continue }
            let priority = Double(abs(tdErrors[i])) + epsilon
            maxPriority = max(maxPriority, priority)
            tree.set(slot, pow(priority, alpha))
        }
    }

    /// The stamp held in `slot`.
    func stampOfSlot(_ slot: Int) -> Int64 { buffer.stamps[slot] }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
