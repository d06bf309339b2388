// Vector execution: next-step autoreset as documented, one contiguous buffer, and results that
// depend on the seed only, never on the number of threads.
import RL
import Testing

@Suite("VectorEnvironment")
struct VectorEnvironmentTests {
    @Test func nextStepAutoreset() throws {
        let counters = (0..<3).map { CounterEnvironment(length: $0 + 2) }
        let vector = VectorEnvironment(counters, threads: 2)
        vector.reset(seed: 10)
        #expect(counters.map(\.lastSeed) == [10, 11, 12])
        try vector.step([1, 1, 1])
        #expect(Array(vector.terminated) == [false, false, false])
        try vector.step([2, 2, 2])
        // Environment 0 (length 2) ends here: its slot holds the final observation.
        #expect(Array(vector.terminated) == [true, false, false])
        #expect(vector.observation(0)[0] == 2 && Array(vector.rewards) == [2, 2, 2])
        try vector.step([3, 3, 3])
        // Next step: environment 0 is reset, its action ignored; environment 1 ends.
        #expect(Array(vector.autoreset) == [true, false, false])
        #expect(vector.observation(0)[0] == 0 && vector.rewards[0] == 0 && !vector.terminated[0])
        #expect(counters[0].actionsSeen == [1, 2] && counters[0].resets == 2 && counters[0].lastSeed == nil)
        #expect(Array(vector.terminated) == [false, true, false])
        #expect(Array(vector.observations.prefix(3)) == [0, 3, 3])
    }

    @Test func errorsAreThrownAfterTheBatch() throws {
        let vector = VectorEnvironment([CounterEnvironment(length: 5), CounterEnvironment(length: 5)], threads: 2)
        #expect(throws: EnvironmentError.stepBeforeReset) { try vector.step([0, 0]) }
        vector.reset(seed: 0)
        #expect(throws: EnvironmentError.self) { try vector.step([0, 9]) }
    }

    func trajectory(threads: Int, seed: UInt64) throws -> [[UInt8]] {
        let envs = (0..<5).map { _ in TimeLimit(NoiseImageEnvironment(height: 4, width: 4), maxSteps: 7) }
        let vector = VectorEnvironment(envs, threads: threads)
        vector.reset(seed: seed)
        var actions = SeededGenerator(seed: 99)
        var frames: [[UInt8]] = [Array(vector.observations)]
        for _ in 0..<40 {
            try vector.step((0..<5).map { _ in actions.uniform(below: 3) })
            frames.append(Array(vector.observations) + vector.rewards.map { UInt8(bitPattern: Int8($0)) }
                          + vector.truncated.map { $0 ? 1 : 0 })
        }
        return frames
    }

    @Test func sameSeedSameTrajectoryWithOneOrTwoThreads() throws {
        let one = try trajectory(threads: 1, seed: 5)
        let two = try trajectory(threads: 2, seed: 5)
        let three = try trajectory(threads: 3, seed: 5)
        #expect(one == two)
        #expect(one == three)
        #expect(one != (try trajectory(threads: 2, seed: 6)))
    }
}
