// Round trip: what the recorder stored reads back equal to what was played, step by step, for
// episodes that span many chunks, with and without agent outputs; and the listing filters.
import Foundation
import Replay
import ReplayFixtures
import RL
import Testing

@Suite struct TrajectoryStoreRoundTripTests {
    @Test func recordedEpisodesReadBackStepByStep() throws {
        let directory = FixtureEpisodes.temporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture(height: 12, width: 16, maxSteps: 30)
        // 20 KiB chunks: a few steps each, so episodes cross chunk boundaries.
        let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                           agent: "scripted", policy: .all, outputKind: .qValues, outputWidth: 5,
                                           chunkBytes: 20 << 10)
        #expect(recorder.stepsPerChunk < 30)
        var expected: [Int64: ExpectedEpisode] = [:]
        for seed in UInt64(1)...6 {
            let (episode, id) = try FixtureEpisodes.play(environment, seed: seed, recorder: recorder)
            expected[try #require(id)] = episode
        }
        // Reopen, as another process would.
        let reopened = try TrajectoryStore(runDirectory: directory)
        let listed = try reopened.episodes()
        #expect(listed.map(\.id) == expected.keys.sorted())
        for record in listed {
            let want = try #require(expected[record.id])
            #expect(record.environmentID == "fixture/moving-square")
            #expect(record.agent == "scripted")
            #expect(record.seed == want.seed)
            #expect(record.length == want.observations.count - 1)
            #expect(abs(record.episodeReturn - want.episodeReturn) < 1e-9)
            #expect(record.observationSpace == environment.observationSpace)
            #expect(record.renderSpace == environment.renderSpace)
            #expect(record.actionNames == environment.actionNames)
            #expect(record.outputKind == .qValues)
            #expect(record.terminated == want.flags.last!.contains(.terminal))
            #expect(record.truncated == want.flags.last!.contains(.truncated))
            let reader = try EpisodeReader(store: reopened, episode: record.id)
            let difference = try FixtureEpisodes.difference(reader, want)
            #expect(difference == nil, "episode \(record.id): \(difference ?? "")")
            // Random access backwards crosses chunks too.
            for t in stride(from: reader.stepCount - 1, through: 0, by: -7) {
                #expect(try reader.withObservation(at: t) { [UInt8]($0) } == want.observations[t])
            }
        }
        try reopened.verifyIntegrity()
    }

    @Test func episodesWithoutOutputsAndPolicies() throws {
        let directory = FixtureEpisodes.temporaryDirectory("policy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture()
        let everyThird = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/a",
                                             agent: "random", policy: .everyNth(3))
        var recordedSeeds: [UInt64] = []
        for seed in UInt64(0)..<7 {
            let (want, id) = try FixtureEpisodes.play(environment, seed: seed, recorder: everyThird, kind: .training,
                                                       withOutputs: false)
            if let id {
                recordedSeeds.append(seed)
                let reader = try EpisodeReader(store: store, episode: id)
                #expect(try FixtureEpisodes.difference(reader, want) == nil)
                #expect(reader.record.outputKind == .none && reader.record.outputWidth == 0)
            }
        }
        #expect(recordedSeeds == [0, 3, 6])
        // The default policy keeps evaluation episodes only.
        let evaluationOnly = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/b",
                                                 agent: "dqn")
        #expect(try FixtureEpisodes.play(environment, seed: 9, recorder: evaluationOnly, kind: .training,
                                         withOutputs: false).1 == nil)
        #expect(try FixtureEpisodes.play(environment, seed: 10, recorder: evaluationOnly, kind: .evaluation,
                                         withOutputs: false).1 != nil)
        let none = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/b",
                                       agent: "dqn", policy: .none)
        #expect(try FixtureEpisodes.play(environment, seed: 11, recorder: none, withOutputs: false).1 == nil)
        #expect(try store.episodes().count == 4)
        #expect(throws: TrajectoryStoreError.self) { try RecorderPolicy(parsing: "every-0") }
        #expect(try RecorderPolicy(parsing: "every-5") == .everyNth(5))
    }

    @Test func filtersAndOrdersAcrossAttachedRuns() throws {
        let first = FixtureEpisodes.temporaryDirectory("runA"), second = FixtureEpisodes.temporaryDirectory("runB")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        let environment = MovingSquareFixture(maxSteps: 25)
        var all: [(URL, String, ExpectedEpisode)] = []
        for (directory, agent) in [(first, "dqn"), (second, "a2c")] {
            let store = try TrajectoryStore.create(runDirectory: directory)
            let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/\(agent)-env",
                                               agent: agent, policy: .all)
            for seed in UInt64(1)...5 {
                all.append((directory, agent, try FixtureEpisodes.play(environment, seed: seed, recorder: recorder,
                                                                        withOutputs: false).0))
            }
        }
        let store = try TrajectoryStore(runDirectory: first)
        let best = try store.episodes(matching: EpisodeFilter(order: .best))
        #expect(best.map(\.episodeReturn) == best.map(\.episodeReturn).sorted(by: >))
        let longest = try store.episodes(matching: EpisodeFilter(order: .longest, limit: 2))
        #expect(longest.count == 2 && longest[0].length >= longest[1].length)
        let returns = all.filter { $0.0 == first }.map(\.2.episodeReturn).sorted()
        let threshold = returns[2]
        let above = try store.episodes(matching: EpisodeFilter(minimumReturn: threshold))
        #expect(above.count == returns.filter { $0 >= threshold }.count)
        #expect(try store.episodes(matching: EpisodeFilter(agent: "a2c")).isEmpty)

        let across = try TrajectoryStore.episodes(inRuns: [first, second], matching: EpisodeFilter(order: .worst))
        #expect(across.count == 10)
        #expect(across.map(\.episode.episodeReturn) == all.map(\.2.episodeReturn).sorted())
        let onlyA2C = try TrajectoryStore.episodes(inRuns: [first, second], matching: EpisodeFilter(agent: "a2c"))
        #expect(onlyA2C.count == 5 && onlyA2C.allSatisfy { $0.runDirectory == second && $0.episode.agent == "a2c" })
    }
}
