// The frame skipping of Mnih et al. (2015): each action is repeated `skip` times, rewards are
// summed, and the observation is the pixel-wise maximum of the last two frames (Atari sprites
// flicker between frames). An episode that ends early returns its last frame alone.

/// Repeats each action `skip` times; observes the maximum of the last two uint8 frames.
public final class MaxAndSkip: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let skip: Int
    private let frameBytes: Int
    private var previous: [UInt8]
    private var latest: [UInt8]

    public init(_ inner: any Environment, skip: Int = 4) {
        guard case .box(_, .uint8, _, _) = inner.observationSpace else {
            preconditionFailure("MaxAndSkip: needs a uint8 box observation, got \(inner.observationSpace)")
        }
        precondition(skip >= 1, "MaxAndSkip: skip \(skip) must be at least 1")
        self.inner = inner
        self.skip = skip
        frameBytes = inner.observationSpace.byteCount
        previous = [UInt8](repeating: 0, count: frameBytes)
        latest = previous
    }

    public var observationSpace: Space { inner.observationSpace }
    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        inner.reset(seed: seed, observation: observation)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        var total: Float = 0
        var result = StepResult(reward: 0, terminated: false, truncated: false)
        var taken = 0
        for _ in 0..<skip {
            swap(&previous, &latest)
            result = try latest.withUnsafeMutableBytes { try inner.step(action, observation: $0) }
            total += result.reward
            taken += 1
            if result.done { break }
        }
        result.reward = total
        precondition(observation.count >= frameBytes, "MaxAndSkip: observation buffer \(observation.count) < \(frameBytes)")
        let out = observation.bindMemory(to: UInt8.self).baseAddress!
        latest.withUnsafeBufferPointer { last in
            if taken >= 2 {
                previous.withUnsafeBufferPointer { MaxAndSkip.maximum(last.baseAddress!, $0.baseAddress!, out, frameBytes) }
            } else {
                out.update(from: last.baseAddress!, count: frameBytes)
            }
        }
        return result
    }

    /// Element-wise maximum of two frames.
    private static func maximum(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>,
                                _ out: UnsafeMutablePointer<UInt8>, _ count: Int) {
        for i in 0..<count { out[i] = max(a[i], b[i]) }
    }

    // The state is the inner environment's. The two frame buffers are not part of it: a step
    // writes both (or, ending on its first frame, reads only that one) before reading them.
    public func saveState() throws -> PassThroughState<MaxAndSkip> { try savePassThrough(setup: "skip \(skip)") }

    public func restoreState(_ state: PassThroughState<MaxAndSkip>) throws {
        try restorePassThrough(state, setup: "skip \(skip)")
    }
}
