// `rl eval DIR`: evaluates a run's newest complete checkpoint on a separate environment
// instance with its own seed, at the agent's evaluation epsilon (0.05 for DQN, 0.001 for the
// atari100k preset), and prints mean, median, standard deviation and interquartile mean.
import AgentKit
import ArgumentParser
import Foundation
import RL

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a run's newest checkpoint.")

    @Argument(help: "The run directory.")
    var directory: String

    @Option(help: "Episodes to play.")
    var episodes = 30

    @Option(help: "Seed of the evaluation environment (default: derived from the run's seed).")
    var seed: UInt64?

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Do not record the episodes in the run's trajectory store (recorded by default; see `rl episodes`).")
    var noRecord = false

    func validate() throws {
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
    }

    func run() throws {
        let run = try RunDirectory.open(URL(fileURLWithPath: directory))
        let config = run.configuration
        let registry = EnvironmentRegistry.standard()
        let descriptor = try AgentCatalog.find(config.agent)
        let environment = try registry.make(config.environment, options: config.environmentOptions)
        let agent = try descriptor.make(config.agentSettings, environment.observationSpace, environment.actionSpace,
                                        Trainer.seed(.agent, of: config.seed))
        let checkpoint = try run.checkpoints.latestVerified(only: ["online.safetensors"])
        try agent.load(from: checkpoint.url, weightsOnly: true)
        let evaluationSeed = seed ?? Trainer.seed(.evaluationEnvironment, of: config.seed)
        let policy = agent.makeEvaluationPolicy(epsilon: agent.evaluationEpsilon,
                                                seed: Trainer.seed(.evaluationPolicy, of: evaluationSeed))
        let recorder = noRecord
            ? nil
            : try Evaluator.makeRecorder(runDirectory: run.url, environment: environment,
                                         environmentID: config.environment, agent: config.agent, policy: policy)
        let report = try Evaluator.evaluate(
            policy: policy, environment: environment, episodes: episodes, seed: evaluationSeed,
            epsilon: agent.evaluationEpsilon, step: checkpoint.step, recorder: recorder,
            checkpoint: checkpoint.url.lastPathComponent)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("\(config.agent) on \(config.environment), checkpoint at step \(checkpoint.step)")
            print(Self.summary(report))
        }
    }

    static func summary(_ r: EvaluationReport) -> String {
        var text = String(format: "evaluation: %d episodes (epsilon %g)  mean %.3f  median %.3f  std %.3f  IQM %.3f",
                          r.episodes, r.epsilon, r.meanReturn, r.medianReturn, r.standardDeviation, r.iqmReturn)
        if let s = r.successRate { text += String(format: "  success %.1f%%", 100 * s) }
        return text
    }
}
