// Environment-level save and restore of the preprocessed Atari environment: after N random
// steps the state is saved, M more steps are recorded (observations, rewards, flags, lives,
// resets after episode ends included), then the state is restored into the same environment
// and into a fresh one of the same configuration, and the same M steps must give the same
// record bit for bit. States from another game or configuration are refused, changing nothing.
// The same holds for the reference wrapper chain (`preprocessing=wrappers`: NoopReset,
// MaxAndSkip, FireReset, Resize, FrameStack, ClipReward over AtariEnvironment), saved and
// restored through RL's StateSavingEnvironment.
import ALE
import AtariConsole
import Foundation
import RL
import Testing
import TestSupport

@Suite("Atari save and restore")
struct SaveRestoreTests {
    /// One step of the record: what the agent sees, or the first observation after a reset.
    struct Record: Equatable {
        var observation: [UInt8]
        var reward: Float
        var terminated: Bool
        var truncated: Bool
        var lives: Int?
    }

    static func registry() -> EnvironmentRegistry {
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        return registry
    }

    /// Steps `actions` from the environment's current state, resetting (seed nil) after each
    /// episode end as a training loop does; the reset's observation is part of the record.
    static func play(_ environment: any Environment, _ actions: [Int]) throws -> [Record] {
        var records: [Record] = []
        for action in actions {
            let (observation, result) = try environment.step(action)
            records.append(Record(observation: observation, reward: result.reward, terminated: result.terminated,
                                  truncated: result.truncated, lives: result.info.lives))
            if result.done {
                let (first, info) = environment.reset(seed: nil)
                records.append(Record(observation: first, reward: 0, terminated: false, truncated: false, lives: info.lives))
            }
        }
        return records
    }

    static func firstDifference(_ a: [Record], _ b: [Record]) -> Int? {
        if a.count != b.count { return min(a.count, b.count) }
        return zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    }

    static let configurations: [(game: String, options: [String: String])] = [
        ("breakout", ["preset": "nature", "fire-reset": "true", "terminal-on-life-loss": "true"]),
        ("breakout", ["preset": "atari100k", "max-frames": "1200"]),
        ("pong", ["preset": "atari100k", "fire-reset": "true", "max-frames": "800"]),
        ("pong", ["preset": "nature", "max-frames": "600", "noop-max": "30"]),
    ]

    @Test(arguments: 0..<configurations.count)
    func restoredEnvironmentsContinueBitForBit(configuration index: Int) throws {
        let (game, options) = Self.configurations[index]
        guard try RewardParity.romURL(game) != nil else { return }
        let registry = Self.registry()
        let original = try registry.make("atari/" + game, options: options)
        let environment = try #require(original as? PreprocessedAtariEnvironment, "\(options) builds the fused environment")
        let actionCount = try #require(environment.actionSpace.discreteCount)
        var generator = SeededGenerator(seed: 41 + UInt64(index))
        let before = (0..<150).map { _ in generator.uniform(below: actionCount) }
        let after = (0..<400).map { _ in generator.uniform(below: actionCount) }

        environment.reset(seed: 17)
        _ = try Self.play(environment, before)
        let state = environment.saveState()
        let expected = try Self.play(environment, after)
        let episodeEnds = expected.filter { $0.terminated || $0.truncated }.count
        #expect(episodeEnds >= 1, "\(game) \(options): the recorded stretch crosses an episode end")

        try environment.restoreState(state)
        let again = try Self.play(environment, after)
        #expect(Self.firstDifference(expected, again) == nil,
                "\(game) \(options): same environment differs at record \(Self.firstDifference(expected, again) ?? -1)")

        let fresh = try #require(try registry.make("atari/" + game, options: options) as? PreprocessedAtariEnvironment)
        try fresh.restoreState(state)
        // A refused state changes nothing: the restored game continues as recorded.
        let otherGame = try #require(try registry.make("atari/" + (game == "pong" ? "breakout" : "pong"), options: options)
            as? PreprocessedAtariEnvironment)
        #expect(throws: AtariStateError.self) { try fresh.restoreState(otherGame.saveState()) }
        var changed = options
        changed["preset"] = options["preset"] == "nature" ? "atari100k" : "nature"
        let otherSetup = try #require(try registry.make("atari/" + game, options: changed) as? PreprocessedAtariEnvironment)
        otherSetup.reset(seed: 3)
        #expect(throws: AtariStateError.self) { try fresh.restoreState(otherSetup.saveState()) }
        let replayed = try Self.play(fresh, after)
        #expect(Self.firstDifference(expected, replayed) == nil,
                "\(game) \(options): fresh environment differs at record \(Self.firstDifference(expected, replayed) ?? -1)")
    }

    @Test func errorsNameTheMismatch() throws {
        guard try RewardParity.romURL("pong") != nil, try RewardParity.romURL("breakout") != nil else { return }
        let registry = Self.registry()
        let pong = try #require(try registry.make("atari/pong", options: ["preset": "atari100k"]) as? PreprocessedAtariEnvironment)
        let breakout = try #require(try registry.make("atari/breakout", options: ["preset": "atari100k"]) as? PreprocessedAtariEnvironment)
        let longer = try #require(try registry.make("atari/pong", options: ["preset": "atari100k", "max-frames": "500"])
            as? PreprocessedAtariEnvironment)
        do {
            try pong.restoreState(breakout.saveState())
            Issue.record("a Breakout state restored into Pong")
        } catch let error as AtariStateError {
            guard case .wrongGame(let expected, let found) = error else { Issue.record("\(error)"); return }
            #expect(expected == pong.emulator.console.cartridge.md5 && found == breakout.emulator.console.cartridge.md5)
        }
        do {
            try pong.restoreState(longer.saveState())
            Issue.record("a state of another frame limit restored")
        } catch let error as AtariStateError {
            #expect("\(error)".contains("max-frames=500") && "\(error)".contains("max-frames=108000"), "\(error)")
        }
        // The raw environment refuses another configuration too.
        let raw = try #require(try registry.make("atari/pong") as? AtariEnvironment)
        let grey = try #require(try registry.make("atari/pong", options: ["obs": "grayscale"]) as? AtariEnvironment)
        #expect(throws: AtariStateError.self) { try raw.restoreState(grey.saveState()) }
        try raw.restoreState(raw.saveState())
    }

    /// The wrapper chain's configurations: no-op starts, FIRE at reset, life loss, frame limits.
    static let wrapperConfigurations: [(game: String, options: [String: String])] = [
        ("breakout", ["preset": "nature", "fire-reset": "true", "terminal-on-life-loss": "true"]),
        ("pong", ["preset": "atari100k", "fire-reset": "true", "max-frames": "800"]),
        ("pong", ["preset": "nature", "max-frames": "600"]),
    ]

    @Test(arguments: 0..<wrapperConfigurations.count)
    func restoredWrapperChainsContinueBitForBit(configuration index: Int) throws {
        let (game, chosen) = Self.wrapperConfigurations[index]
        guard try RewardParity.romURL(game) != nil else { return }
        var options = chosen
        options["preprocessing"] = "wrappers"
        let registry = Self.registry()
        let environment = try registry.make("atari/" + game, options: options)
        #expect(!(environment is PreprocessedAtariEnvironment) && environment is any EnvironmentWrapper,
                "\(options) builds the wrapper chain")
        #expect(environment.canSaveState)
        let actionCount = try #require(environment.actionSpace.discreteCount)
        var generator = SeededGenerator(seed: 61 + UInt64(index))
        let before = (0..<150).map { _ in generator.uniform(below: actionCount) }
        let after = (0..<400).map { _ in generator.uniform(below: actionCount) }

        environment.reset(seed: 23)
        _ = try Self.play(environment, before)
        let state = try environment.saveAnyState()
        let expected = try Self.play(environment, after)
        #expect(expected.filter { $0.terminated || $0.truncated }.count >= 1,
                "\(game) \(options): the recorded stretch crosses an episode end")

        try environment.restoreAnyState(state)
        let again = try Self.play(environment, after)
        #expect(Self.firstDifference(expected, again) == nil,
                "\(game) \(options): same chain differs at record \(Self.firstDifference(expected, again) ?? -1)")

        let fresh = try registry.make("atari/" + game, options: options)
        try fresh.restoreAnyState(state)
        // Refused states change nothing, wherever in the chain they are refused: the game
        // (innermost), the sticky actions (innermost configuration), the no-op count (NoopReset),
        // the kind of environment (the fused one's state).
        var otherGame = options
        let other = try registry.make("atari/" + (game == "pong" ? "breakout" : "pong"), options: otherGame)
        other.reset(seed: 1)
        #expect(throws: AtariStateError.self) { try fresh.restoreAnyState(try other.saveAnyState()) }
        otherGame["preset"] = options["preset"] == "nature" ? "atari100k" : "nature"
        let otherPreset = try registry.make("atari/" + game, options: otherGame)
        #expect(throws: AtariStateError.self) { try fresh.restoreAnyState(try otherPreset.saveAnyState()) }
        var fewerNoops = options
        fewerNoops["noop-max"] = "7"
        let noops = try registry.make("atari/" + game, options: fewerNoops)
        #expect(throws: EnvironmentStateError.self) { try fresh.restoreAnyState(try noops.saveAnyState()) }
        var fused = options
        fused["preprocessing"] = "fused"
        let fusedEnvironment = try registry.make("atari/" + game, options: fused)
        #expect(throws: EnvironmentStateError.self) { try fresh.restoreAnyState(try fusedEnvironment.saveAnyState()) }
        let replayed = try Self.play(fresh, after)
        #expect(Self.firstDifference(expected, replayed) == nil,
                "\(game) \(options): fresh chain differs at record \(Self.firstDifference(expected, replayed) ?? -1)")
    }
}
