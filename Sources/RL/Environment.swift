// The environment contract every family plugs into (DESIGN.md, Contracts): Gymnasium's
// semantics in Swift's spelling. Observations are written into a buffer the caller owns and
// sized from `observationSpace.byteCount`, so stepping allocates nothing.

/// What an environment reports beside the observation. A fixed struct rather than a
/// dictionary, so that reporting it allocates nothing.
public struct StepInfo: Sendable, Equatable {
    /// Lives left, where the game has lives (Atari).
    public var lives: Int?
    /// True when the step reached the task's goal (mazes, navigation), for success rates.
    public var success: Bool?
    /// Set on the step that ends an episode by the episode-statistics wrapper.
    public var episode: EpisodeStatistics?

    public init(lives: Int? = nil, success: Bool? = nil, episode: EpisodeStatistics? = nil) {
        self.lives = lives
        self.success = success
        self.episode = episode
    }
}

/// Return, length and wall time of a finished episode.
public struct EpisodeStatistics: Sendable, Equatable {
    public var episodeReturn: Double
    public var length: Int
    public var seconds: Double
    public init(episodeReturn: Double, length: Int, seconds: Double) {
        self.episodeReturn = episodeReturn
        self.length = length
        self.seconds = seconds
    }
}

/// The outcome of one step.
public struct StepResult: Sendable, Equatable {
    public var reward: Float
    /// The task ended (goal reached, lava, game over): bootstrap from zero.
    public var terminated: Bool
    /// A time limit cut the episode: the state was not terminal.
    public var truncated: Bool
    public var info: StepInfo

    public init(reward: Float, terminated: Bool, truncated: Bool, info: StepInfo = StepInfo()) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }

    /// The episode is over, for either reason.
    public var done: Bool { terminated || truncated }
}

/// Errors an environment throws for bad input from its caller.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// The action is outside the action space.
    case invalidAction(Int, space: Space)
    /// `step` was called after the episode ended and before `reset`.
    case stepAfterEpisodeEnd
    /// `step` was called before the first `reset`.
    case stepBeforeReset
    /// The observation buffer handed in is smaller than the observation space needs.
    case observationBufferTooSmall(needed: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidAction(let action, let space):
            return "action \(action) is outside the action space \(space)"
        case .stepAfterEpisodeEnd:
            return "step called after the episode ended: call reset first"
        case .stepBeforeReset:
            return "step called before reset"
        case .observationBufferTooSmall(let needed, let got):
            return "observation buffer holds \(got) bytes; the observation space needs \(needed)"
        }
    }
}

/// An environment with Gymnasium's semantics. Each instance owns its seeded generator; the
/// same seed gives the same episode on any machine and any thread count.
///
/// Observations are written into `observation`, a buffer of at least
/// `observationSpace.byteCount` bytes laid out as the space describes.
public protocol Environment: AnyObject {
    var observationSpace: Space { get }
    var actionSpace: Space { get }

    /// Starts an episode and writes its first observation. A seed reseeds the environment's
    /// generator; nil continues from its current state (Gymnasium's `reset(seed=None)`).
    @discardableResult
    func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo

    /// Applies `action` and writes the next observation. Throws for an action outside the
    /// action space and for a step after the episode ended without a reset.
    func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult
}

extension Environment {
    /// Convenience for tests and scripts: reset and return the observation as bytes.
    public func reset(seed: UInt64? = nil) -> (observation: [UInt8], info: StepInfo) {
        var bytes = [UInt8](repeating: 0, count: observationSpace.byteCount)
        let info = bytes.withUnsafeMutableBytes { reset(seed: seed, observation: $0) }
        return (bytes, info)
    }

    /// Convenience for tests and scripts: step and return the observation as bytes.
    public func step(_ action: Int) throws -> (observation: [UInt8], result: StepResult) {
        var bytes = [UInt8](repeating: 0, count: observationSpace.byteCount)
        let result = try bytes.withUnsafeMutableBytes { try step(action, observation: $0) }
        return (bytes, result)
    }
}

/// An environment that can draw its state for people (the viewer, recordings, `rl play`), as
/// an RGB image that may differ from what the agent observes (a maze's whole map, Atari's
/// full-resolution frame).
public protocol RenderingEnvironment: Environment {
    /// The rendered image: height x width x 3, uint8.
    var renderSpace: Space { get }
    /// Writes the current state as an RGB image of `renderSpace`.
    func render(into rgb: UnsafeMutableRawBufferPointer)
}

/// Names for discrete actions, for progress output, the viewer's panel and human play.
public protocol NamedActions {
    var actionNames: [String] { get }
}
