// Vectorised Atari through RL's vector environment: the batch is the same for a seed whatever
// the thread count, and environments of one batch play different episodes (seed + i).
import ALE
import RL
import Testing
import TestSupport

@Suite("Vectorised Atari")
struct AtariVectorTests {
    static func play(threads: Int, seed: UInt64) throws -> (observations: [UInt8], rewards: [Float]) {
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        let vector = try registry.makeVector("atari/breakout", options: ["preset": "atari100k"], count: 4, threads: threads)
        vector.reset(seed: seed)
        var actions = SeededGenerator(seed: 11)
        var rewards = [Float]()
        for _ in 0..<150 {
            try vector.step((0..<4).map { _ in actions.uniform(below: 4) })
            rewards += Array(vector.rewards)
        }
        return (Array(UnsafeRawBufferPointer(vector.observations)), rewards)
    }

    @Test func deterministicForASeedAndAnyThreadCount() throws {
        guard try RewardParity.romURL("breakout") != nil else { return }
        let one = try Self.play(threads: 1, seed: 5)
        let two = try Self.play(threads: 2, seed: 5)
        let again = try Self.play(threads: 2, seed: 5)
        #expect(one.observations == two.observations && one.rewards == two.rewards)
        #expect(two.observations == again.observations && two.rewards == again.rewards)
        let frame = one.observations.count / 4
        #expect(one.observations[0..<frame] != one.observations[frame..<2 * frame],
                "environments 0 and 1 play different episodes")
        #expect(one.rewards.contains { $0 != 0 }, "the batch scored")
    }
}
