// The training loop's `life_loss_terminal` (Dopamine's runner with terminal_on_life_loss): a
// lost life closes the agent's episode as terminal and opens a new one, while the game (and its
// return in metrics.csv) goes on to game over; without the setting the agent sees one episode
// per game.
import AgentKit
import Foundation
import RL
import Testing

/// Three lives, one lost every 4 steps; game over (terminated) when the last is lost. Reward 1
/// per step; the observation is the step count.
private final class LivesEnvironment: Environment {
    let observationSpace: Space = .box(shape: [1], element: .uint8, low: 0, high: 255)
    let actionSpace: Space = .discrete(2)
    private var steps = 0

    func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        steps = 0
        observation[0] = 0
        return StepInfo(lives: 3)
    }

    func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        steps += 1
        observation[0] = UInt8(steps)
        let lives = 3 - steps / 4
        return StepResult(reward: 1, terminated: lives == 0, truncated: false, info: StepInfo(lives: lives))
    }
}

/// Logs the loop's calls: "b<obs>" begin, "s" step, "t<obs>"/"x<obs>" terminal/truncated end.
private final class LoggingAgent: Agent {
    var log: [String] = []
    private(set) var stepCount = 0
    var explorationRate: Double { 0 }
    var evaluationEpsilon: Double { 0 }

    func beginEpisode(observation: UnsafeRawBufferPointer) -> Int {
        log.append("b\(observation[0])")
        return 0
    }
    func step(reward: Float, observation: UnsafeRawBufferPointer) -> Int {
        stepCount += 1
        log.append("s")
        return 0
    }
    func endEpisode(reward: Float, terminated: Bool, observation: UnsafeRawBufferPointer) {
        stepCount += 1
        log.append((terminated ? "t" : "x") + "\(observation[0])")
    }
    func takeDiagnostics() -> AgentDiagnostics { AgentDiagnostics(meanLoss: nil, meanValue: nil, updates: 0) }
    func makeEvaluationPolicy(epsilon: Double, seed: UInt64) -> Policy { FixedPolicy() }
    func save(to directory: URL) throws {}
    func load(from directory: URL, weightsOnly: Bool) throws {}
}

/// The final evaluation's policy: action 0, logging nothing.
private final class FixedPolicy: Policy {
    func beginEpisode(observation: UnsafeRawBufferPointer) -> Int { 0 }
    func step(observation: UnsafeRawBufferPointer) -> Int { 0 }
}

private func trainTwoGames(lifeLossTerminal: Bool) throws -> (log: [String], metrics: [String]) {
    var training = TrainingSettings()
    training.lifeLossTerminal = lifeLossTerminal
    training.evaluationEpisodes = 1
    training.record = "none"
    let configuration = RunConfiguration(environment: "test/lives", environmentOptions: [:], agent: "logging", preset: "none",
                                         agentSettings: [:], training: training, seed: 1, steps: 24)
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("life-loss-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: url) }
    let run = try RunDirectory.create(at: url, configuration: configuration)
    let agent = LoggingAgent()
    let trainer = try Trainer(run: run, agent: agent, environment: LivesEnvironment(), resume: false) { LivesEnvironment() }
    _ = try trainer.train()
    let metrics = try String(contentsOf: run.metricsURL, encoding: .utf8).split(separator: "\n").map(String.init)
    return (agent.log, metrics)
}

@Test func lifeLossEndsTheAgentsEpisodeButNotTheGame() throws {
    let (log, metrics) = try trainTwoGames(lifeLossTerminal: true)
    let life = { (start: Int) in ["b\(start)", "s", "s", "s", "t\(start + 4)"] }
    let game = life(0) + life(4) + life(8)
    #expect(log == game + game, "\(log)")
    // Two games of 12 steps and return 12 each: the metrics count games, not lives.
    let rows = metrics.dropFirst()
    #expect(rows.count == 2)
    let header = metrics[0].split(separator: ",").map(String.init)
    let returnColumn = try #require(header.firstIndex(of: "episode_return"))
    let lengthColumn = try #require(header.firstIndex(of: "episode_length"))
    for row in rows {
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(fields[returnColumn]) == 12 && Int(fields[lengthColumn]) == 12, "\(row)")
    }
}

@Test func withoutTheSettingTheAgentSeesWholeGames() throws {
    let (log, metrics) = try trainTwoGames(lifeLossTerminal: false)
    let game = ["b0"] + Array(repeating: "s", count: 11) + ["t12"]
    #expect(log == game + game, "\(log)")
    #expect(metrics.count == 3)
}

@Test func lifeLossTerminalIsASetting() throws {
    var training = TrainingSettings()
    try TrainingSettings.table.apply(["life_loss_terminal": "true"], to: &training)
    #expect(training.lifeLossTerminal)
    #expect(throws: SettingsError.self) { try TrainingSettings.table.apply(["life_loss_terminal": "maybe"], to: &training) }
    // config.json written before the setting existed reads as off.
    let old = #"{"checkpoint_interval": 5, "eval_episodes": 2, "threads": 1, "recent_episodes": 10}"#
    #expect(try JSONDecoder().decode(TrainingSettings.self, from: Data(old.utf8)).lifeLossTerminal == false)
}
