// A batch of transitions in caller-owned memory: the learner allocates one `ReplayBatch` and
// the replay buffers refill it on every sample, so sampling allocates nothing.

/// Sampled transitions, row-major by transition. States are `stackSize` frames laid end to
/// end, oldest first, as raw bytes (uint8 frames, or float32 values for vector observations).
public final class ReplayBatch {
    public let batchSize: Int
    /// Bytes of one state: stackSize x frameByteCount.
    public let stateByteCount: Int
    /// batchSize x stateByteCount: the states the actions were taken in.
    public let observations: UnsafeMutableRawBufferPointer
    /// batchSize x stateByteCount: the states n steps later (or at the episode's end).
    public let nextObservations: UnsafeMutableRawBufferPointer
    public let actions: UnsafeMutableBufferPointer<Int32>
    /// The discounted n-step sum of rewards.
    public let returns: UnsafeMutableBufferPointer<Float>
    /// The factor of the bootstrap value: 0 after termination, gamma^m otherwise.
    public let discounts: UnsafeMutableBufferPointer<Float>
    /// Importance-sampling weights (1 for uniform sampling).
    public let weights: UnsafeMutableBufferPointer<Float>
    /// The sampled transitions' stamps, for updating their priorities.
    public let stamps: UnsafeMutableBufferPointer<Int64>

    public init(batchSize: Int, stateByteCount: Int) {
        precondition(batchSize > 0 && stateByteCount > 0,
                     "ReplayBatch: batchSize \(batchSize) and stateByteCount \(stateByteCount) must be positive")
        self.batchSize = batchSize
        self.stateByteCount = stateByteCount
        observations = .allocate(byteCount: batchSize * stateByteCount, alignment: 64)
        nextObservations = .allocate(byteCount: batchSize * stateByteCount, alignment: 64)
        actions = .allocate(capacity: batchSize)
        returns = .allocate(capacity: batchSize)
        discounts = .allocate(capacity: batchSize)
        weights = .allocate(capacity: batchSize)
        stamps = .allocate(capacity: batchSize)
        observations.initializeMemory(as: UInt8.self, repeating: 0)
        nextObservations.initializeMemory(as: UInt8.self, repeating: 0)
        actions.initialize(repeating: 0)
        returns.initialize(repeating: 0)
        discounts.initialize(repeating: 0)
        weights.initialize(repeating: 1)
        stamps.initialize(repeating: 0)
    }

    /// A batch sized for `buffer`'s states.
    public convenience init(batchSize: Int, for configuration: ReplayBufferConfiguration) {
        self.init(batchSize: batchSize,
                  stateByteCount: configuration.stackSize * configuration.frameByteCount)
    }

    deinit {
        observations.deallocate()
        nextObservations.deallocate()
        actions.deallocate()
        returns.deallocate()
        discounts.deallocate()
        weights.deallocate()
        stamps.deallocate()
    }
}
