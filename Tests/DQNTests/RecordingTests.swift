// The vertical slice's middle: a training run's final evaluation lands in the run's trajectory
// store (evaluation episodes are recorded by default), with the returns the evaluation report
// gives and the agent's Q-values at every step, ready for `rl episodes` and `rl watch`.
import AgentKit
import DQN
import Foundation
import Replay
import TestSupport
import Testing

@Test func finalEvaluationIsRecordedWithQValues() throws {
    let root = try temporaryDirectory("record")
    defer { try? FileManager.default.removeItem(at: root) }
    let config = try smallRunConfiguration(steps: 600)
    let run = try RunDirectory.create(at: root.appendingPathComponent("run"), configuration: config)
    let report = try #require(try makeTrainer(run, resume: false).train())

    let store = try TrajectoryStore(runDirectory: run.url)
    let episodes = try store.episodes()
    #expect(episodes.count == report.episodes)
    #expect(episodes.map(\.episodeReturn) == report.returns)
    for episode in episodes {
        #expect(episode.kind == .evaluation && episode.environmentID == "maze/empty-5" && episode.agent == "dqn")
        #expect(episode.outputKind == .qValues && episode.outputWidth == 7)
        #expect(episode.renderSpace != nil)
        let reader = try EpisodeReader(store: store, episode: episode.id)
        #expect(reader.stepCount == episode.length + 1)
        #expect(Double(reader.rewards.reduce(0, +)).isApproximatelyEqual(to: episode.episodeReturn))
        // Every step but the final observation carries the seven Q-values it acted on.
        for step in 0..<episode.length {
            let q = reader.outputs(at: step)
            #expect(q.count == 7 && q.allSatisfy(\.isFinite))
        }
    }
}

extension Double {
    fileprivate func isApproximatelyEqual(to other: Double) -> Bool { abs(self - other) <= 1e-5 * max(1, abs(other)) }
}
