// Vectorised Atari through RL's vector environment: the batch is the same for a seed whatever
// the thread count and however workers claim games (one at a time, as benchmarks do, or in
// chunks), environments of one batch play different episodes (seed + i), autoresets included.
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

    @Test func oneGameChunksEqualDefaultChunksOnAnyThreadCount() throws {
        guard try RewardParity.romURL("breakout") != nil else { return }
        var registry = EnvironmentRegistry()
        AtariFamily.register(into: &registry)
        // Frame limit 400: every game ends (truncated) within 100 steps, so autoresets happen.
        let options = ["preset": "atari100k", "max-frames": "400"]
        func make() throws -> [any Environment] { try (0..<5).map { _ in try registry.make("atari/breakout", options: options) } }
        let reference = VectorEnvironment(try make(), threads: 1)
        let vectors = [VectorEnvironment(try make(), threads: 1, chunkSize: 1),
                       VectorEnvironment(try make(), threads: 2, chunkSize: 1)]
        reference.reset(seed: 3)
        for vector in vectors { vector.reset(seed: 3) }
        var actions = SeededGenerator(seed: 8)
        var autoresets = 0
        for step in 0..<260 {
            let batch = (0..<5).map { _ in actions.uniform(below: 4) }
            try reference.step(batch)
            for vector in vectors {
                try vector.step(batch)
                let same = Array(UnsafeRawBufferPointer(vector.observations)) == Array(UnsafeRawBufferPointer(reference.observations))
                    && Array(vector.rewards) == Array(reference.rewards) && Array(vector.terminated) == Array(reference.terminated)
                    && Array(vector.truncated) == Array(reference.truncated) && Array(vector.autoreset) == Array(reference.autoreset)
                    && Array(vector.infos) == Array(reference.infos)
                #expect(same, "step \(step), \(vector.threads) threads")
                if !same { return }
            }
            autoresets += reference.autoreset.filter { $0 }.count
        }
        #expect(autoresets >= 10, "only \(autoresets) autoresets")
        #expect(vectors[1].threads == 2)
    }
}
