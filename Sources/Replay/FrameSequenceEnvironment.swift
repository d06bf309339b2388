// An environment that plays back a sequence of recorded frames as its observations, in
// episodes of a fixed length: real frames (from MiniGrid or ale-py, through .npy files) for the
// store's benchmark and round-trip tests, without the environments themselves.
import RL

/// Plays back a sequence of frames as observations, in episodes of a fixed length; the frames
/// continue across episodes so every recorded step is a different real frame.
public final class FrameSequenceEnvironment: Environment {
    public let observationSpace: Space
    public let actionSpace: Space
    public let actionCount: Int
    private let frames: [UInt8]
    private let frameBytes: Int
    private let frameCount: Int
    private let episodeSteps: Int
    private var index = 0
    private var stepsInEpisode = 0
    private var started = false

    /// Frames of `shape` laid end to end in `frames`; episodes of `episodeSteps` steps.
    public init(shape: [Int], frames: [UInt8], actions: Int, episodeSteps: Int) {
        observationSpace = .box(shape: shape, element: .uint8, low: 0, high: 255)
        actionSpace = .discrete(actions)
        actionCount = actions
        self.frames = frames
        frameBytes = shape.reduce(1, *)
        frameCount = frames.count / frameBytes
        self.episodeSteps = episodeSteps
    }

    /// Starts again from the first frame.
    public func rewind() { index = 0 }

    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        stepsInEpisode = 0
        started = true
        copyFrame(into: observation)
        return StepInfo()
    }

    /// Shows the next frame; the reward is 1 on every 7th frame so returns vary, and the
    /// episode is truncated after `episodeSteps` steps.
    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard started else { throw EnvironmentError.stepBeforeReset }
        guard stepsInEpisode < episodeSteps else { throw EnvironmentError.stepAfterEpisodeEnd }
        guard action >= 0 && action < actionCount else { throw EnvironmentError.invalidAction(action, space: actionSpace) }
        index = (index + 1) % frameCount
        stepsInEpisode += 1
        copyFrame(into: observation)
        return StepResult(reward: Float(index % 7 == 0 ? 1 : 0), terminated: false, truncated: stepsInEpisode >= episodeSteps)
    }

    private func copyFrame(into observation: UnsafeMutableRawBufferPointer) {
        frames.withUnsafeBytes { source in
            observation.baseAddress!.copyMemory(from: source.baseAddress! + index * frameBytes, byteCount: frameBytes)
        }
    }
}

/// The same playback, rendering the current frame as its RGB image too: the shape of an Atari
/// environment whose observation is the screen it renders, for measuring what storing both costs.
public final class RenderingFrameSequenceEnvironment: RenderingEnvironment {
    private let playback: FrameSequenceEnvironment
    private var current: [UInt8]
    public var observationSpace: Space { playback.observationSpace }
    public var actionSpace: Space { playback.actionSpace }
    public var renderSpace: Space { playback.observationSpace }

    /// Frames of `shape` (height x width x 3) laid end to end in `frames`.
    public init(shape: [Int], frames: [UInt8], actions: Int, episodeSteps: Int) {
        precondition(shape.count == 3 && shape[2] == 3, "RenderingFrameSequenceEnvironment: shape \(shape) is not RGB")
        playback = FrameSequenceEnvironment(shape: shape, frames: frames, actions: actions, episodeSteps: episodeSteps)
        current = [UInt8](repeating: 0, count: shape.reduce(1, *))
    }

    public func rewind() { playback.rewind() }

    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        let info = playback.reset(seed: seed, observation: observation)
        current.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: observation[0..<$0.count])) }
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        let result = try playback.step(action, observation: observation)
        current.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: observation[0..<$0.count])) }
        return result
    }

    public func render(into rgb: UnsafeMutableRawBufferPointer) {
        current.withUnsafeBytes { rgb.copyMemory(from: $0) }
    }
}
