// The `atari/<game>` identifiers of the registry: one per game with settings, plus `atari/rom`
// for any ROM file (games without settings run as a plain console). Options set ALE v5's
// knobs; `preset` names a published preprocessing protocol built from RL's wrappers.
import AtariConsole
import Foundation
import RL

/// Registers the Atari identifiers.
public enum AtariFamily {
    /// Preprocessing protocols (see README.md).
    public enum Preset: String, CaseIterable, Sendable {
        /// The raw environment, ALE v5 defaults.
        case none
        /// Mnih et al. 2015: no sticky actions, up to 30 no-ops, max over 2 frames of 4,
        /// grayscale 84x84, 4 stacked frames, rewards clipped to their sign.
        case nature
        /// As `nature` with Machado et al. 2018's sticky actions 0.25 (issue 6's Atari-100k
        /// protocol). Dopamine's Atari-100k configurations, which made the published DER, DrQ and
        /// DrQ(ε) scores, have neither sticky actions nor no-op starts: add
        /// `repeat-action-probability=0` and `noop-max=0` for theirs.
        case atari100k
    }

    static let options: [OptionSpec] = [
        OptionSpec("preset", accepted: Preset.allCases.map(\.rawValue).joined(separator: "|"), default: "none"),
        OptionSpec("obs", accepted: "rgb|grayscale|palette (preset none)", default: "rgb"),
        OptionSpec("frame-skip", accepted: "an integer in 1...64", default: "4"),
        OptionSpec("repeat-action-probability", accepted: "a number in 0...1 (presets, when not given: nature 0, atari100k 0.25)",
                   default: "0.25"),
        OptionSpec("full-action-space", accepted: "true|false", default: "false"),
        OptionSpec("max-frames", accepted: "an integer in 0...1000000000 (0: no limit)", default: "108000"),
        OptionSpec("terminal-on-life-loss", accepted: "true|false", default: "false"),
        OptionSpec("noop-max", accepted: "an integer in 0...1000 (presets)", default: "30"),
        OptionSpec("fire-reset", accepted: "true|false (presets: FIRE, then UP, after each reset where the game has FIRE)", default: "false"),
        OptionSpec("clip-rewards", accepted: "true|false (presets: rewards clipped to their sign; false reports game scores, for agents that clip themselves)",
                   default: "true"),
        OptionSpec("preprocessing", accepted: "fused|wrappers (presets: one fused environment, or RL's generic wrapper chain, the reference)",
                   default: "fused"),
    ]

    /// Adds `atari/<game>` for every game with settings, and `atari/rom`.
    public static func register(into registry: inout EnvironmentRegistry, locator: @escaping @Sendable () -> ROMLocator = { ROMLocator.standard() }) {
        for name in GameCatalog.names {
            registry.register("atari/" + name.replacingOccurrences(of: "_", with: "-"),
                              summary: "Atari 2600 \(name) with ALE v5 semantics", options: options) { values in
                let url = try locator().locate(name)
                return try make(cartridge: try Cartridge.load(contentsOf: url), options: values)
            }
        }
        let file = OptionSpec("file", accepted: "the path of an Atari 2600 ROM", default: "")
        registry.register("atari/rom", summary: "any Atari 2600 ROM file (rewards only where the game has settings)",
                          options: options + [file]) { values in
            let path = values.string("file") ?? ""
            guard !path.isEmpty else { throw RegistryError.badOptionValue(option: "file", value: "", accepted: file.accepted) }
            return try make(cartridge: try Cartridge.load(contentsOf: URL(fileURLWithPath: path)), options: values)
        }
    }

    /// The environment `options` describe over `cartridge`.
    public static func make(cartridge: Cartridge, options: EnvironmentOptions) throws -> any Environment {
        let preset = Preset(rawValue: try options.choice("preset", Preset.allCases.map(\.rawValue)))!
        var configuration = AtariConfiguration()
        configuration.observation = AtariConfiguration.Observation(
            rawValue: try options.choice("obs", AtariConfiguration.Observation.allCases.map(\.rawValue)))!
        configuration.frameSkip = try options.int("frame-skip", in: 1...64)
        configuration.repeatActionProbability = try options.double("repeat-action-probability", in: 0...1)
        configuration.fullActionSpace = try options.bool("full-action-space")
        configuration.maxEpisodeFrames = try options.int("max-frames", in: 0...1_000_000_000)
        configuration.terminalOnLifeLoss = try options.bool("terminal-on-life-loss")
        let noopMax = try options.int("noop-max", in: 0...1000)
        if GameCatalog.byMD5[cartridge.md5] == nil {
            // The command line's only chance to say so: the environment otherwise looks normal.
            FileHandle.standardError.write(Data(("note: ROM \(cartridge.md5) has no game settings: it runs as a plain "
                + "console; rewards are always 0 and episodes end only by the frame limit\n").utf8))
        }
        let fireReset = try options.bool("fire-reset")
        let clipRewards = try options.bool("clip-rewards")
        let fusedPreprocessing = try options.choice("preprocessing", ["fused", "wrappers"]) == "fused"
        switch preset {
        case .none:
            return AtariEnvironment(cartridge: cartridge, configuration: configuration)
        case .nature, .atari100k:
            // The preset's probability only where the user gave none: a given value is what they asked for.
            if options.values["repeat-action-probability"] == nil {
                configuration.repeatActionProbability = preset == .nature ? 0 : 0.25
            }
            if fusedPreprocessing, let fused = PreprocessedAtariEnvironment(cartridge: cartridge, configuration: configuration,
                                                        noopMax: noopMax, fireReset: fireReset, clipRewards: clipRewards) {
                return fused
            }
            return preprocessed(cartridge: cartridge, configuration: configuration, noopMax: noopMax, fireReset: fireReset,
                                clipRewards: clipRewards)
        }
    }

    /// Gymnasium's AtariPreprocessing over a frame-skip-1 environment (no-ops, max over the
    /// last two of `frameSkip` grayscale frames, 84x84 area resize), then 4 stacked frames and
    /// clipped rewards, built from RL's generic wrappers. The frame skip moves from the emulator
    /// to the max-and-skip wrapper. The presets run PreprocessedAtariEnvironment, the same
    /// computation fused; this chain is the reference it is tested against.
    public static func preprocessed(cartridge: Cartridge, configuration: AtariConfiguration, noopMax: Int,
                                    fireReset: Bool = false, stack: Int = 4, clipRewards: Bool = true) -> any Environment {
        var inner = configuration
        inner.frameSkip = 1
        inner.observation = .grayscale
        let atari = AtariEnvironment(cartridge: cartridge, configuration: inner)
        var environment: any Environment = atari
        if noopMax > 0 { environment = NoopReset(environment, noopMax: noopMax) }
        environment = MaxAndSkip(environment, skip: configuration.frameSkip)
        // Baselines' condition: the game has FIRE and at least three actions.
        if fireReset, atari.actions.count >= 3, let fire = atari.actions.firstIndex(of: ALEAction.fire) {
            environment = FireReset(environment, fireAction: fire, secondAction: 2)
        }
        environment = Resize(environment, height: 84, width: 84)
        if stack > 1 { environment = FrameStack(environment, count: stack) }
        if clipRewards { environment = ClipReward(environment) }
        return environment
    }
}
