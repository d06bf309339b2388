// The registry's errors name what was wrong and what is accepted.
import RL
import Testing

@Suite("EnvironmentRegistry")
struct EnvironmentRegistryTests {
    func registry() -> EnvironmentRegistry {
        var registry = EnvironmentRegistry()
        registry.register("test/counter", summary: "counts", options: [
            OptionSpec("length", accepted: "an integer in 1...100", default: "5"),
            OptionSpec("mode", accepted: "fast|slow", default: "fast"),
        ]) { options in
            _ = try options.choice("mode", ["fast", "slow"])
            return CounterEnvironment(length: try options.int("length", in: 1...100))
        }
        registry.register("test/other", summary: "", options: []) { _ in CounterEnvironment(length: 1) }
        return registry
    }

    @Test func buildsWithDefaultsAndOptions() throws {
        let env = try registry().make("test/counter", options: ["length": "7"])
        #expect((env as? CounterEnvironment)?.length == 7)
        #expect((try registry().make("test/counter") as? CounterEnvironment)?.length == 5)
    }

    @Test func unknownIdentifierListsKnownOnes() {
        #expect(throws: RegistryError.unknownEnvironment("test/nope", known: ["test/counter", "test/other"])) {
            try registry().make("test/nope")
        }
    }

    /// ale-py's ROM names and Gymnasium's spellings of a game, and near misses, get a hint.
    @Test func unknownIdentifierSuggestsTheClosestOne() {
        let known = ["atari/breakout", "atari/ms-pacman", "atari/pong", "atari/space-invaders", "maze/doorkey-8", "maze/doorkey-6"]
        #expect(EnvironmentRegistry.closest(to: "atari/ms_pacman", among: known) == "atari/ms-pacman")
        #expect(EnvironmentRegistry.closest(to: "atari/MsPacman", among: known) == "atari/ms-pacman")
        #expect(EnvironmentRegistry.closest(to: "atari/SpaceInvaders", among: known) == "atari/space-invaders")
        #expect(EnvironmentRegistry.closest(to: "atari/brekout", among: known) == "atari/breakout")
        #expect(EnvironmentRegistry.closest(to: "atari/pongg", among: known) == "atari/pong")
        // Two equally close candidates, or none within two edits: no hint.
        #expect(EnvironmentRegistry.closest(to: "maze/doorkey-7", among: known) == nil)
        #expect(EnvironmentRegistry.closest(to: "atari/tennis", among: known) == nil)
        #expect(EnvironmentRegistry.closest(to: "", among: known) == nil)
        let message = RegistryError.unknownEnvironment("atari/ms_pacman", known: known).description
        #expect(message.hasPrefix("unknown environment 'atari/ms_pacman' (did you mean 'atari/ms-pacman'?); valid environments: atari/breakout, "))
        #expect(!RegistryError.unknownEnvironment("x/y", known: known).description.contains("did you mean"))
    }

    @Test func unknownOptionNamesAcceptedOptions() {
        #expect(throws: RegistryError.unknownOption("size", environment: "test/counter", accepted: ["length", "mode"])) {
            try registry().make("test/counter", options: ["size": "3"])
        }
    }

    @Test func badValueNamesOptionAndAcceptedValues() {
        #expect(throws: RegistryError.badOptionValue(option: "length", value: "0", accepted: "an integer in 1...100")) {
            try registry().make("test/counter", options: ["length": "0"])
        }
        #expect(throws: RegistryError.badOptionValue(option: "mode", value: "medium", accepted: "fast|slow")) {
            try registry().make("test/counter", options: ["mode": "medium"])
        }
        let message = RegistryError.badOptionValue(option: "mode", value: "medium", accepted: "fast|slow").description
        #expect(message.contains("mode") && message.contains("fast|slow"))
    }

    @Test func parsesKeyValuePairs() throws {
        #expect(try EnvironmentOptions.parse(["a=1", "b=x=y"]) == ["a": "1", "b": "x=y"])
        #expect(throws: RegistryError.malformedOption("novalue")) { try EnvironmentOptions.parse(["novalue"]) }
        #expect(throws: RegistryError.malformedOption("=3")) { try EnvironmentOptions.parse(["=3"]) }
    }

    @Test func makesVectors() throws {
        let vector = try registry().makeVector("test/counter", options: ["length": "2"], count: 3, threads: 2)
        #expect(vector.count == 3 && vector.threads == 2)
        vector.reset(seed: 0)
        try vector.step([1, 1, 1]); try vector.step([1, 1, 1])
        #expect(Array(vector.terminated) == [true, true, true])
        #expect(throws: RegistryError.self) { try registry().makeVector("test/nope", count: 2) }
    }
}
