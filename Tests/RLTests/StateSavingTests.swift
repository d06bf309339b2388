// Save and restore through RL's wrappers: a chain of every wrapper over a state-saving test
// environment is saved mid-episode, played on (resets after episode ends included), restored
// into the same chain and into a freshly built one, and must replay the same record bit for bit.
// States saved under another setup are refused, changing nothing; a chain whose innermost
// environment cannot save says so.
import RL
import Testing

@Suite("Saving and restoring wrapped environments")
struct StateSavingTests {
    struct Record: Equatable {
        var observation: [UInt8]
        var reward: Float
        var terminated: Bool
        var truncated: Bool
        /// Return and length of a finished episode (wall time left out: it differs run to run).
        var episode: [Double]?
    }

    /// Every wrapper of RL over the noise image environment; `stack` varies the setup.
    static func chain(stack: Int = 4) -> any Environment {
        var environment: any Environment = NoiseImageEnvironment(height: 20, width: 16, length: 41)
        environment = StickyActions(environment, probability: 0.3, seed: 5)
        environment = NoopReset(environment, noopMax: 6)
        environment = MaxAndSkip(environment, skip: 3)
        environment = Grayscale(environment)
        environment = Resize(environment, height: 10, width: 8)
        environment = FrameStack(environment, count: stack)
        environment = TimeLimit(environment, maxSteps: 11)
        environment = ClipReward(environment)
        return RecordEpisodeStatistics(environment)
    }

    static func play(_ environment: any Environment, _ actions: [Int]) throws -> [Record] {
        var records: [Record] = []
        for action in actions {
            let (observation, result) = try environment.step(action)
            records.append(Record(observation: observation, reward: result.reward, terminated: result.terminated,
                                  truncated: result.truncated,
                                  episode: result.info.episode.map { [$0.episodeReturn, Double($0.length)] }))
            if result.done {
                let (first, _) = environment.reset(seed: nil)
                records.append(Record(observation: first, reward: 0, terminated: false, truncated: false, episode: nil))
            }
        }
        return records
    }

    @Test func restoredChainsContinueBitForBit() throws {
        let environment = Self.chain()
        #expect(environment.canSaveState)
        var generator = SeededGenerator(seed: 9)
        let before = (0..<17).map { _ in generator.uniform(below: 3) }
        let after = (0..<60).map { _ in generator.uniform(below: 3) }
        environment.reset(seed: 4)
        _ = try Self.play(environment, before)
        let state = try environment.saveAnyState()
        let expected = try Self.play(environment, after)
        #expect(expected.contains { $0.truncated } && expected.contains { $0.reward != 0 })

        try environment.restoreAnyState(state)
        #expect(try Self.play(environment, after) == expected, "the same chain, restored")

        let fresh = Self.chain()
        fresh.reset(seed: 100)
        _ = try Self.play(fresh, [0, 1, 2])
        try fresh.restoreAnyState(state)
        // A state of another setup (a stack of 3) is refused and changes nothing.
        let other = Self.chain(stack: 3)
        other.reset(seed: 4)
        #expect(throws: EnvironmentStateError.self) { try fresh.restoreAnyState(try other.saveAnyState()) }
        #expect(throws: EnvironmentStateError.self) { try fresh.restoreAnyState(17) }
        #expect(try Self.play(fresh, after) == expected, "a fresh chain, restored")
    }

    @Test func aChainOverAnEnvironmentWithoutStateSaysSo() throws {
        let environment = FrameStack(CounterEnvironment(length: 5), count: 2)
        #expect(!environment.canSaveState)
        do {
            _ = try environment.saveAnyState()
            Issue.record("saved a chain whose innermost environment has no state to save")
        } catch let error as EnvironmentStateError {
            #expect(error == .notSupported(environment: "CounterEnvironment"), "\(error)")
        }
    }

    @Test func refusalsNameTheWrapperAndTheSetups() throws {
        let three = Self.chain(stack: 3), four = Self.chain(stack: 4)
        do {
            try four.restoreAnyState(try three.saveAnyState())
            Issue.record("a stack of 3 restored into a stack of 4")
        } catch let error as EnvironmentStateError {
            #expect(error == .wrongConfiguration(environment: "FrameStack", expected: "4 frames of 80 bytes",
                                                 found: "3 frames of 80 bytes"), "\(error)")
        }
    }
}
