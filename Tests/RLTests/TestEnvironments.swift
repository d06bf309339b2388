// Small environments for testing RL's wrappers, registry and vector execution without any
// environment family: a counter whose state is easy to predict, and a random image source.
import RL

/// Observation: one byte, the number of steps taken; reward = action; the episode terminates
/// after `length` steps. Actions 0..<4.
final class CounterEnvironment: Environment {
    let observationSpace: Space = .box(shape: [1], element: .uint8, low: 0, high: 255)
    let actionSpace: Space = .discrete(4)
    let length: Int
    var steps = 0
    var resets = 0
    var lastSeed: UInt64?
    var actionsSeen: [Int] = []
    private var ended = false

    init(length: Int) { self.length = length }

    func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        steps = 0; resets += 1; lastSeed = seed; ended = false
        observation[0] = 0
        return StepInfo()
    }

    func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard (0..<4).contains(action) else { throw EnvironmentError.invalidAction(action, space: actionSpace) }
        if ended { throw EnvironmentError.stepAfterEpisodeEnd }
        actionsSeen.append(action)
        steps += 1
        observation[0] = UInt8(truncatingIfNeeded: steps)
        ended = steps >= length
        return StepResult(reward: Float(action), terminated: ended, truncated: false)
    }
}

/// Observation: an H x W x 3 image of random bytes from the environment's own generator; each
/// episode lasts `length` steps; reward is a random draw; the image after reset depends only on
/// the seed.
final class NoiseImageEnvironment: StateSavingEnvironment {
    let observationSpace: Space
    let actionSpace: Space = .discrete(3)
    let length: Int
    private var generator = SeededGenerator(seed: 0)
    private var steps = 0

    init(height: Int, width: Int, length: Int = 1000) {
        observationSpace = .image(height: height, width: width, channels: 3)
        self.length = length
    }

    private func fill(_ observation: UnsafeMutableRawBufferPointer) {
        for i in 0..<observationSpace.byteCount { observation[i] = UInt8(truncatingIfNeeded: generator.next()) }
    }

    func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { generator = SeededGenerator(seed: seed) }
        steps = 0
        fill(observation)
        return StepInfo()
    }

    func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard (0..<3).contains(action) else { throw EnvironmentError.invalidAction(action, space: actionSpace) }
        steps += 1
        fill(observation)
        let reward = Float(generator.uniform(below: 5)) - 2 + Float(action)
        return StepResult(reward: reward, terminated: false, truncated: steps >= length)
    }

    /// The generator and the step count: all that decides how an episode continues.
    struct State: Sendable {
        let generator: SeededGenerator
        let steps: Int
    }

    func saveState() -> State { State(generator: generator, steps: steps) }

    func restoreState(_ state: State) throws {
        generator = state.generator
        steps = state.steps
    }
}
