// Gymnasium's FrameStackObservation: the last k observations on a new leading axis (k x ...),
// so a feed-forward encoder sees motion. The first observation of an episode fills every slot,
// as in the DQN paper's preprocessing.

/// Stacks the last `count` observations: shape [count] + the inner shape, oldest first.
public final class FrameStack: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let count: Int
    public let observationSpace: Space
    private let frameBytes: Int
    private var stack: [UInt8]

    public init(_ inner: any Environment, count: Int) {
        guard case .box(let shape, let element, let low, let high) = inner.observationSpace else {
            preconditionFailure("FrameStack: needs a box observation, got \(inner.observationSpace)")
        }
        precondition(count >= 1, "FrameStack: count \(count) must be at least 1")
        self.inner = inner
        self.count = count
        frameBytes = inner.observationSpace.byteCount
        stack = [UInt8](repeating: 0, count: frameBytes * count)
        observationSpace = .box(shape: [count] + shape, element: element, low: low, high: high)
    }

    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        let n = frameBytes, k = count
        let info = stack.withUnsafeMutableBytes { s -> StepInfo in
            let info = inner.reset(seed: seed, observation: UnsafeMutableRawBufferPointer(rebasing: s[(k - 1) * n ..< k * n]))
            for slot in 0..<(k - 1) {
                (s.baseAddress! + slot * n).copyMemory(from: s.baseAddress! + (k - 1) * n, byteCount: n)
            }
            return info
        }
        copyOut(observation)
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        let n = frameBytes, k = count
        let result = try stack.withUnsafeMutableBytes { s -> StepResult in
            // Shift the window by one frame; the inner environment writes the newest into the last slot.
            if k > 1 { s.baseAddress!.copyMemory(from: s.baseAddress! + n, byteCount: (k - 1) * n) }
            return try inner.step(action, observation: UnsafeMutableRawBufferPointer(rebasing: s[(k - 1) * n ..< k * n]))
        }
        copyOut(observation)
        return result
    }

    private func copyOut(_ observation: UnsafeMutableRawBufferPointer) {
        precondition(observation.count >= stack.count, "FrameStack: observation buffer \(observation.count) < \(stack.count)")
        stack.withUnsafeBytes { observation.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// The inner environment's state and the stacked frames.
    public struct State: Sendable {
        let inner: any Sendable
        let stack: [UInt8]
        let setup: String
    }

    private var setup: String { "\(count) frames of \(frameBytes) bytes" }

    public func saveState() throws -> State { State(inner: try inner.saveAnyState(), stack: stack, setup: setup) }

    public func restoreState(_ state: State) throws {
        try checkSavedSetup(state.setup, setup)
        try inner.restoreAnyState(state.inner)
        stack = state.stack
    }
}
