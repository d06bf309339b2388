// The acting-time frame stack: the last k frames, oldest first, with frames before the
// episode's start zeroed, exactly as the replay buffer assembles the states it samples, so
// the network sees the same kind of state when acting and when learning.
import RL

/// The agent's current state as `stackSize` frames laid end to end, oldest first.
public final class FrameStacker {
    public let frameByteCount: Int
    public let stackSize: Int
    /// The stacked state: stackSize x frameByteCount bytes.
    public let state: UnsafeMutableRawBufferPointer

    public init(frameByteCount: Int, stackSize: Int) {
        precondition(frameByteCount > 0 && stackSize > 0,
                     "FrameStacker: frameByteCount \(frameByteCount) and stackSize \(stackSize) must be positive")
        self.frameByteCount = frameByteCount
        self.stackSize = stackSize
        state = .allocate(byteCount: frameByteCount * stackSize, alignment: 64)
        state.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { state.deallocate() }

    /// Starts an episode: zero frames, then `frame` as the newest.
    public func reset(_ frame: UnsafeRawBufferPointer) {
        state.initializeMemory(as: UInt8.self, repeating: 0)
        copyNewest(frame)
    }

    /// Drops the oldest frame and appends `frame`.
    public func push(_ frame: UnsafeRawBufferPointer) {
        if stackSize > 1 {
            let base = state.baseAddress!
            base.copyMemory(from: base + frameByteCount, byteCount: (stackSize - 1) * frameByteCount)
        }
        copyNewest(frame)
    }

    private func copyNewest(_ frame: UnsafeRawBufferPointer) {
        precondition(frame.count >= frameByteCount,
                     "FrameStacker: frame of \(frame.count) bytes, expected \(frameByteCount)")
        (state.baseAddress! + (stackSize - 1) * frameByteCount)
            .copyMemory(from: frame.baseAddress!, byteCount: frameByteCount)
    }
}
