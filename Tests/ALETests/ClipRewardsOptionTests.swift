// The presets' `clip-rewards` option: with it off, the preprocessed environment reports game
// scores (what Atari-100k evaluations count), step for step the same game as with it on, whose
// rewards are the signs of those scores. Ms. Pac-Man scores 10 per pellet, so the two differ
// within a few steps.
import ALE
import AtariConsole
import Foundation
import RL
import Testing
import TestSupport

@Test(arguments: ["fused", "wrappers"])
func clipRewardsOffReportsGameScoresOfTheSameGame(preprocessing: String) throws {
    guard try RewardParity.romURL("ms_pacman") != nil else { return }
    let pythons = TestEnvironment.toolsPython.map { [$0.path] } ?? []
    var registry = EnvironmentRegistry()
    AtariFamily.register(into: &registry) { ROMLocator.standard(pythons: pythons) }
    func make(_ clip: Bool) throws -> any Environment {
        try registry.make("atari/ms-pacman", options: ["preset": "atari100k", "preprocessing": preprocessing,
                                                       "clip-rewards": clip ? "true" : "false"])
    }
    let clipped = try make(true), scored = try make(false)
    let first = (clipped.reset(seed: 3).observation, scored.reset(seed: 3).observation)
    #expect(first.0 == first.1)
    var generator = SeededGenerator(seed: 9)
    var total = 0.0, largest: Float = 0, steps = 0
    for _ in 0..<400 {
        let action = generator.uniform(below: clipped.actionSpace.discreteCount!)
        let a = try clipped.step(action), b = try scored.step(action)
        steps += 1
        #expect(a.observation == b.observation, "step \(steps): observations differ")
        #expect(a.result.reward == (b.result.reward > 0 ? 1 : (b.result.reward < 0 ? -1 : 0)),
                "step \(steps): clipped \(a.result.reward), score \(b.result.reward)")
        #expect(a.result.done == b.result.done)
        total += Double(b.result.reward)
        largest = max(largest, b.result.reward)
        if b.result.done { break }
    }
    #expect(largest >= 10, "no pellet eaten in \(steps) steps (total \(total))")
    #expect(throws: RegistryError.self) {
        try registry.make("atari/ms-pacman", options: ["preset": "atari100k", "clip-rewards": "sometimes"])
    }
}
