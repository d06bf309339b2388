// `atari/<game>`: one Atari game as an RL environment with ALE v5's defaults (frame skip 4,
// sticky actions 0.25 drawn per emulated frame, minimal action set, 108,000 frames per
// episode). The observation is the last emulated frame as palette indices, RGB or grayscale;
// preprocessing (84x84, frame stacks) is the wrappers' job, see AtariPreprocessing.
import AtariConsole
import Foundation
import RL

/// How an Atari environment is set up (ALE v5 defaults).
public struct AtariConfiguration: Sendable, Equatable {
    public enum Observation: String, CaseIterable, Sendable {
        case palette, rgb, grayscale
    }
    public var observation: Observation = .rgb
    public var frameSkip = 4
    public var repeatActionProbability = 0.25
    public var fullActionSpace = false
    /// Emulated frames after which an episode is truncated (0: never).
    public var maxEpisodeFrames = 108_000
    /// End the episode when a life is lost (training only).
    public var terminalOnLifeLoss = false

    public init() {}
}

extension AtariConfiguration: CustomStringConvertible {
    /// The option names and values (`frame-skip=4 ...`), as `rl` spells them.
    public var description: String {
        "obs=\(observation.rawValue) frame-skip=\(frameSkip) repeat-action-probability=\(repeatActionProbability) "
            + "full-action-space=\(fullActionSpace) max-frames=\(maxEpisodeFrames) terminal-on-life-loss=\(terminalOnLifeLoss)"
    }
}

/// An Atari 2600 game with ALE's semantics.
public final class AtariEnvironment: RenderingEnvironment, NamedActions, StateSavingEnvironment {
    public let emulator: ALEEmulator
    public let configuration: AtariConfiguration
    /// ALE action numbers of this environment's actions.
    public let actions: [Int]
    public let observationSpace: Space
    public let actionSpace: Space
    public let renderSpace: Space
    /// Why rewards are unavailable, for a ROM without game settings; nil otherwise.
    public let note: String?

    private var episodeOver = true
    private var started = false
    private let height: Int

    /// ALE's names of actions 0-17.
    public static let aleActionNames = [
        "NOOP", "FIRE", "UP", "RIGHT", "LEFT", "DOWN", "UPRIGHT", "UPLEFT", "DOWNRIGHT", "DOWNLEFT",
        "UPFIRE", "RIGHTFIRE", "LEFTFIRE", "DOWNFIRE", "UPRIGHTFIRE", "UPLEFTFIRE", "DOWNRIGHTFIRE", "DOWNLEFTFIRE",
    ]

    /// Loads `cartridge`; its settings are looked up by MD5.
    public init(cartridge: Cartridge, configuration: AtariConfiguration = AtariConfiguration()) {
        let settings = GameCatalog.byMD5[cartridge.md5]
        emulator = ALEEmulator(cartridge: cartridge, settings: settings,
                               repeatActionProbability: configuration.repeatActionProbability)
        self.configuration = configuration
        actions = configuration.fullActionSpace || settings == nil ? Array(0...17) : settings!.minimalActions
        note = settings == nil
            ? "ROM \(cartridge.md5) has no game settings: it runs as a plain console; rewards are always 0 and episodes end only by the frame limit"
            : nil
        height = emulator.console.screenHeight
        let channels = configuration.observation == .rgb ? 3 : 1
        observationSpace = .image(height: height, width: 160, channels: channels)
        actionSpace = .discrete(actions.count)
        renderSpace = .image(height: height, width: 160, channels: 3)
    }

    public var actionNames: [String] { actions.map { Self.aleActionNames[$0] } }
    /// Lives left (ALE's lives()).
    public var lives: Int { emulator.lives }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { emulator.generator = SeededGenerator(seed: seed) }
        emulator.reset()
        episodeOver = false
        started = true
        writeObservation(observation)
        return StepInfo(lives: emulator.lives)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard started else { throw EnvironmentError.stepBeforeReset }
        guard !episodeOver else { throw EnvironmentError.stepAfterEpisodeEnd }
        guard (0..<actions.count).contains(action) else {
            throw EnvironmentError.invalidAction(action, space: actionSpace)
        }
        let livesBefore = emulator.lives
        let aleAction = actions[action]
        var reward = 0
        for _ in 0..<configuration.frameSkip { reward += emulator.actFrame(aleAction) }
        var terminated = emulator.isTerminal
        if configuration.terminalOnLifeLoss && emulator.lives < livesBefore { terminated = true }
        let truncated = !terminated && configuration.maxEpisodeFrames > 0
            && emulator.episodeFrame >= configuration.maxEpisodeFrames
        episodeOver = terminated || truncated
        writeObservation(observation)
        return StepResult(reward: Float(reward), terminated: terminated, truncated: truncated,
                          info: StepInfo(lives: emulator.lives))
    }

    /// The environment's state, for search and rewinding (in memory; see ALEEmulator.Snapshot).
    public struct State: Sendable {
        /// The ROM's MD5 and the configuration it was saved under (restoring checks both).
        public let game: String
        public let configuration: AtariConfiguration
        let emulator: ALEEmulator.Snapshot
        let episodeOver: Bool
        let started: Bool
    }

    public func saveState() -> State {
        State(game: emulator.console.cartridge.md5, configuration: configuration,
              emulator: emulator.snapshot(), episodeOver: episodeOver, started: started)
    }

    /// Rewinds to `state`, saved from an environment of the same game and configuration; the
    /// environment then continues bit for bit as the saved one would have. Throws
    /// `AtariStateError`, changing nothing, for another game or configuration.
    public func restoreState(_ state: State) throws {
        let md5 = emulator.console.cartridge.md5
        guard state.game == md5 else { throw AtariStateError.wrongGame(expected: md5, found: state.game) }
        guard state.configuration == configuration else {
            throw AtariStateError.wrongConfiguration(expected: "\(configuration)", found: "\(state.configuration)")
        }
        try emulator.restore(state.emulator)
        episodeOver = state.episodeOver
        started = state.started
    }

    public func render(into rgb: UnsafeMutableRawBufferPointer) {
        Palette.convertToRGB(emulator.console.screen, into: rgb.bindMemory(to: UInt8.self))
    }

    private func writeObservation(_ buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= observationSpace.byteCount,
                     "AtariEnvironment: observation buffer holds \(buffer.count) bytes, needs \(observationSpace.byteCount)")
        let screen = emulator.console.screen
        let out = buffer.bindMemory(to: UInt8.self)
        switch configuration.observation {
        case .palette: _ = out.initialize(from: screen)
        case .rgb: Palette.convertToRGB(screen, into: out)
        case .grayscale: Palette.convertToGrayscale(screen, into: out)
        }
    }
}
