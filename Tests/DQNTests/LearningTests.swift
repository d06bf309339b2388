// DQN learns a small maze: on maze/empty-5 a few thousand steps take the evaluation success
// rate to at least 90%, with uniform replay and with prioritised replay plus a dueling head.
// Deterministic (fixed seeds), so this checks behaviour, not luck or wall time.
import AgentKit
import DQN
import Foundation
import Testing

@Test(arguments: [
    (seed: UInt64(1), extra: [String: String]()),
    (seed: UInt64(3), extra: ["prioritized": "true", "dueling": "true", "priority_beta_steps": "4000"]),
])
func dqnLearnsEmpty5(seed: UInt64, extra: [String: String]) throws {
    let root = try temporaryDirectory("learn")
    defer { try? FileManager.default.removeItem(at: root) }
    var overrides = ["hidden": "64", "learning_starts": "300", "epsilon_decay_steps": "2000", "batch_size": "32",
                     "target_update_period": "200"]
    overrides.merge(extra) { _, new in new }
    var training = TrainingSettings()
    training.evaluationEpisodes = 20
    let config = RunConfiguration(environment: "maze/empty-5", environmentOptions: [:], agent: "dqn", preset: "maze",
                                  agentSettings: try DQNAgent.descriptor.resolve("maze", overrides), training: training,
                                  seed: seed, steps: 4000)
    let run = try RunDirectory.create(at: root.appendingPathComponent("run"), configuration: config)
    let report = try #require(try makeTrainer(run, resume: false).train())
    #expect((report.successRate ?? 0) >= 0.9, "success \(report.successRate ?? -1), returns \(report.returns)")
    // An untrained agent of the same seed does far worse (the test measures learning).
    let fresh = try makeTrainer(try RunDirectory.create(at: root.appendingPathComponent("fresh"), configuration: config), resume: false)
    let before = try fresh.evaluate(episodes: 20, seed: 99)
    #expect((before.successRate ?? 1) < (report.successRate ?? 0))
}
