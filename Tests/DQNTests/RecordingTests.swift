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

@Test func recordSettingChoosesTheTrainingEpisodesToo() throws {
    let root = try temporaryDirectory("record-every")
    defer { try? FileManager.default.removeItem(at: root) }
    var config = try smallRunConfiguration(steps: 400)
    try TrainingSettings.table.apply(["record": "every-2"], to: &config.training)
    #expect(config.training.record == "every-2")
    let run = try RunDirectory.create(at: root.appendingPathComponent("every"), configuration: config)
    let trainer = try makeTrainer(run, resume: false)
    let report = try #require(try trainer.train())
    let episodes = try TrajectoryStore(runDirectory: run.url).episodes()
    let training = episodes.filter { $0.kind == .training }
    let trainedEpisodes = try String(contentsOf: run.metricsURL, encoding: .utf8)
        .split(separator: "\n").count - 1
    #expect(trainedEpisodes >= 2)
    #expect(training.count == (trainedEpisodes + 1) / 2, "every second training episode, the first included")
    #expect(episodes.filter { $0.kind == .evaluation }.count == report.episodes)
    // Recorded training episodes carry their steps: lengths add up to what metrics.csv says.
    #expect(training.allSatisfy { $0.length > 0 && $0.outputKind == .none })

    // `none` records nothing, evaluation included; a bad value names the key and the choices.
    var silent = try smallRunConfiguration(steps: 200)
    try TrainingSettings.table.apply(["record": "none"], to: &silent.training)
    let quiet = try RunDirectory.create(at: root.appendingPathComponent("none"), configuration: silent)
    _ = try makeTrainer(quiet, resume: false).train()
    #expect(!FileManager.default.fileExists(atPath: quiet.url.appendingPathComponent(TrajectoryStore.fileName).path))
    #expect(throws: SettingsError.self) { try TrainingSettings.table.apply(["record": "sometimes"], to: &silent.training) }
}
