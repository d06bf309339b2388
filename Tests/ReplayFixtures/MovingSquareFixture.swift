// A test fixture, not an environment of the framework: a tiny deterministic image world where
// a square moves on a gradient background towards a goal corner. It gives the store's and the
// viewer's tests frames that differ from step to step, a render image that differs from the
// observation (twice the size), action names and both ways an episode ends, with no dependency
// on the environment families.
import RL

/// A seeded moving-square world: observation `height x width x 3`, render `2h x 2w x 3`.
public final class MovingSquareFixture: RenderingEnvironment, NamedActions {
    public let height: Int
    public let width: Int
    /// Steps after which the episode is truncated.
    public let maxSteps: Int
    public var observationSpace: Space { .image(height: height, width: width, channels: 3) }
    public var renderSpace: Space { .image(height: 2 * height, width: 2 * width, channels: 3) }
    public let actionSpace = Space.discrete(5)
    public let actionNames = ["noop", "up", "down", "left", "right"]

    private var state: UInt64 = 0
    private var row = 0, column = 0, steps = 0
    private var started = false, finished = false

    public init(height: Int = 12, width: Int = 16, maxSteps: Int = 40) {
        self.height = height
        self.width = width
        self.maxSteps = maxSteps
    }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
        row = Int(next() % UInt64(height - 1))
        column = Int(next() % UInt64(width - 1))
        steps = 0
        started = true
        finished = false
        draw(into: observation, scale: 1)
        return StepInfo()
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard started else { throw EnvironmentError.stepBeforeReset }
        guard !finished else { throw EnvironmentError.stepAfterEpisodeEnd }
        guard (0..<5).contains(action) else { throw EnvironmentError.invalidAction(action, space: actionSpace) }
        switch action {
        case 1: row = max(0, row - 1)
        case 2: row = min(height - 1, row + 1)
        case 3: column = max(0, column - 1)
        case 4: column = min(width - 1, column + 1)
        default: break
        }
        steps += 1
        let atGoal = row == height - 1 && column == width - 1
        let reward: Float = atGoal ? 1 : -0.01 * Float(next() % 4)
        let truncated = !atGoal && steps >= maxSteps
        finished = atGoal || truncated
        draw(into: observation, scale: 1)
        return StepResult(reward: reward, terminated: atGoal, truncated: truncated, info: StepInfo(success: atGoal))
    }

    public func render(into rgb: UnsafeMutableRawBufferPointer) {
        draw(into: rgb, scale: 2)
    }

    /// The square in white on a background that depends on position and step count.
    private func draw(into buffer: UnsafeMutableRawBufferPointer, scale: Int) {
        let h = height * scale, w = width * scale
        for y in 0..<h {
            for x in 0..<w {
                let i = 3 * (y * w + x)
                let inSquare = y / scale == row && x / scale == column
                buffer[i] = inSquare ? 255 : UInt8(truncatingIfNeeded: x * 7 + steps)
                buffer[i + 1] = inSquare ? 255 : UInt8(truncatingIfNeeded: y * 11)
                buffer[i + 2] = inSquare ? 255 : UInt8(truncatingIfNeeded: (x + y) * 3 + 40 * scale)
            }
        }
    }

    /// SplitMix64: the fixture's own seeded generator.
    private func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A scripted, deterministic stand-in for an agent: its action and Q-values depend only on the
/// step and the seed, so a test can recompute what was recorded.
public enum ScriptedFixtureAgent {
    public static func action(step: Int, seed: UInt64) -> Int {
        // Mostly towards the goal corner, with some noise so episodes differ.
        let noise = Int((UInt64(step) &* 2_654_435_761 &+ seed) % 7)
        return noise < 3 ? 2 : (noise < 6 ? 4 : Int(seed % 5))
    }

    public static func qValues(step: Int, seed: UInt64) -> [Float] {
        (0..<5).map { Float($0) * 0.25 - Float(step % 9) * 0.1 + Float(seed % 3) }
    }

    public static func value(step: Int, seed: UInt64) -> Float { Float(step) * 0.5 - Float(seed % 4) }
}
