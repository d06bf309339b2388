// The environment's contract: sticky actions kept with probability 0.25 per emulated frame,
// a seed reproduces an episode, the frame limit truncates, life loss can end an episode, the
// registry's options and errors, and environment-level save/restore.
import ALE
import AtariConsole
import Foundation
import RL
import Testing
import TestSupport

@Suite("Atari environment")
struct AtariEnvironmentTests {
    static func cartridge(_ game: String) throws -> Cartridge? {
        guard let url = try RewardParity.romURL(game) else { return nil }
        return try Cartridge.load(contentsOf: url)
    }

    @Test func stickyActionsRepeatAQuarterOfFrames() throws {
        guard let cartridge = try Self.cartridge("breakout") else { return }
        var configuration = AtariConfiguration()
        configuration.frameSkip = 1
        configuration.fullActionSpace = true
        configuration.maxEpisodeFrames = 0
        let environment = AtariEnvironment(cartridge: cartridge, configuration: configuration)
        environment.reset(seed: 7)
        // Asking for the 18 actions in turn, the held action differs from the one asked for
        // exactly when the draw kept the previous one (a 17-frame streak of repeats is ~1e-10).
        var repeated = 0, frames = 0
        for step in 0..<20_000 {
            let result = try environment.step(step % 18).result
            frames += 1
            if environment.emulator.heldAction != step % 18 { repeated += 1 }
            if result.done { environment.reset(seed: nil) }
        }
        let fraction = Double(repeated) / Double(frames)
        // Four standard deviations of a binomial proportion at p = 0.25, n = 20,000 (0.0031).
        #expect(abs(fraction - 0.25) < 0.0125, "repeated fraction \(fraction)")
    }

    @Test func aSeedReproducesTheEpisode() throws {
        guard let cartridge = try Self.cartridge("breakout") else { return }
        func play(seed: UInt64) throws -> (rewards: [Float], observations: Int, held: [Int]) {
            let environment = AtariEnvironment(cartridge: cartridge)
            var observation = environment.reset(seed: seed).observation
            var rewards = [Float](), held = [Int]()
            var hash = 0
            var actions = SeededGenerator(seed: 99)
            for _ in 0..<600 {
                let (next, result) = try environment.step(actions.uniform(below: 4))
                observation = next
                rewards.append(result.reward)
                held.append(environment.emulator.heldAction)
                hash = hash &* 31 &+ observation.reduce(0) { $0 &* 131 &+ Int($1) }
                if result.done { break }
            }
            return (rewards, hash, held)
        }
        let a = try play(seed: 3), b = try play(seed: 3), c = try play(seed: 4)
        #expect(a.rewards == b.rewards && a.observations == b.observations && a.held == b.held)
        #expect(a.held != c.held, "another seed draws other sticky actions")
    }

    @Test func livesTerminalOnLifeLossAndFrameLimit() throws {
        guard let cartridge = try Self.cartridge("breakout") else { return }
        var configuration = AtariConfiguration()
        configuration.terminalOnLifeLoss = true
        let environment = AtariEnvironment(cartridge: cartridge, configuration: configuration)
        let info = environment.reset(seed: 0).info
        #expect(info.lives == 5)
        var steps = 0, last = StepResult(reward: 0, terminated: false, truncated: false)
        _ = try environment.step(1)  // FIRE serves the ball; then the paddle never moves
        while !last.done && steps < 5000 {
            last = try environment.step(0).result
            steps += 1
        }
        #expect(last.terminated && last.info.lives == 4, "ended after \(steps) steps with \(String(describing: last.info.lives)) lives")
        #expect(throws: EnvironmentError.stepAfterEpisodeEnd) { try environment.step(0) }

        var limited = AtariConfiguration()
        limited.maxEpisodeFrames = 400
        let short = AtariEnvironment(cartridge: cartridge, configuration: limited)
        short.reset(seed: 0)
        var result = StepResult(reward: 0, terminated: false, truncated: false)
        var count = 0
        while !result.done { result = try short.step(0).result; count += 1 }
        #expect(result.truncated && !result.terminated && count == 100)
    }

    @Test func saveAndRestoreRewindsTheEpisode() throws {
        guard let cartridge = try Self.cartridge("ms_pacman") else { return }
        let environment = AtariEnvironment(cartridge: cartridge)
        environment.reset(seed: 5)
        for step in 0..<200 { _ = try environment.step(step % 9) }
        let state = environment.saveState()
        var first = [(Float, [UInt8])]()
        for step in 0..<300 { let (o, r) = try environment.step((step * 7) % 9); first.append((r.reward, o)) }
        try environment.restoreState(state)
        for step in 0..<300 {
            let (o, r) = try environment.step((step * 7) % 9)
            #expect(r.reward == first[step].0 && o == first[step].1, "step \(step) after restore")
            if r.reward != first[step].0 || o != first[step].1 { break }
        }
        #expect(first.contains { $0.0 > 0 }, "the replayed stretch scored")
        let other = AtariEnvironment(cartridge: try #require(try Self.cartridge("pong")))
        other.reset(seed: 0)
        #expect(throws: (any Error).self) { try other.restoreState(state) }
    }

    @Test func fireResetServesTheBall() throws {
        guard try RewardParity.romURL("breakout") != nil else { return }
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        // Without FIRE Breakout never serves, so NOOPs never lose a life; with FIRE at reset they do.
        func livesAfterNoops(fireReset: Bool) throws -> Int? {
            let environment = try registry.make("atari/breakout", options: ["preset": "nature", "fire-reset": fireReset ? "true" : "false"])
            var lives = environment.reset(seed: 1).info.lives
            for _ in 0..<400 {
                let result = try environment.step(0).result
                lives = result.info.lives
                if result.done { break }
            }
            return lives
        }
        #expect(try livesAfterNoops(fireReset: false) == 5)
        #expect(try livesAfterNoops(fireReset: true).map { $0 < 5 } == true)
    }

    @Test func registryOptionsAndErrors() throws {
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        #expect(registry.identifiers.contains("atari/pong") && registry.identifiers.contains("atari/ms-pacman"))
        #expect(throws: RegistryError.self) { try registry.make("atari/pong", options: ["frame-skip": "0"]) }
        #expect(throws: RegistryError.self) { try registry.make("atari/pong", options: ["repeat-action-probability": "2"]) }
        #expect(throws: RegistryError.self) { try registry.make("atari/nonsense") }
        guard try RewardParity.romURL("pong") != nil else { return }
        let raw = try registry.make("atari/pong", options: ["obs": "grayscale"])
        #expect(raw.observationSpace == .image(height: 210, width: 160, channels: 1))
        #expect(raw.actionSpace == .discrete(6))
        let nature = try registry.make("atari/pong", options: ["preset": "nature"])
        #expect(nature.observationSpace.elementCount == 4 * 84 * 84)
    }

    /// A preset chooses the sticky-action probability only when the option is not given, so
    /// that `preset=atari100k repeat-action-probability=0` is Dopamine's Atari-100k setting.
    @Test func presetsKeepAGivenRepeatActionProbability() throws {
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        guard try RewardParity.romURL("pong") != nil else { return }
        func probability(_ options: [String: String]) throws -> Double {
            let environment = try #require(try registry.make("atari/pong", options: options) as? PreprocessedAtariEnvironment)
            return environment.configuration.repeatActionProbability
        }
        #expect(try probability(["preset": "atari100k"]) == 0.25)
        #expect(try probability(["preset": "nature"]) == 0)
        #expect(try probability(["preset": "atari100k", "repeat-action-probability": "0"]) == 0)
        #expect(try probability(["preset": "nature", "repeat-action-probability": "0.25"]) == 0.25)
        // The choice shows in play: with no sticky actions and no no-ops, two seeds give the same frames.
        func frames(seed: UInt64, options: [String: String]) throws -> [UInt8] {
            let environment = try registry.make("atari/pong", options: options)
            var observation = environment.reset(seed: seed).observation
            for step in 0..<200 { observation = try environment.step(step % 6 == 0 ? 2 : 3).observation }
            return observation
        }
        let dopamine = ["preset": "atari100k", "repeat-action-probability": "0", "noop-max": "0"]
        #expect(try frames(seed: 1, options: dopamine) == frames(seed: 2, options: dopamine))
        let sticky = ["preset": "atari100k", "noop-max": "0"]
        #expect(try frames(seed: 1, options: sticky) != frames(seed: 2, options: sticky))
    }
}
