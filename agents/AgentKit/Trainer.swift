// The headless training loop: environment steps through an `Agent`, one metrics row per
// finished episode, checkpoints at the first episode end after every `checkpoint_interval`
// steps, and a final checkpoint and evaluation. Checkpoints fall on episode boundaries and
// every episode is reset with a seed drawn from the trainer's own generator, so a resumed run
// needs no environment snapshot: it continues exactly as the uninterrupted run would have
// (same seed, same thread count), and metrics.csv matches row for row.
import Foundation
import RL
import Replay
import Tensor

/// Errors of the training loop.
public enum TrainerError: Error, CustomStringConvertible, Equatable {
    case finished(path: String, steps: Int)
    case badTrainerState(path: String, reason: String)
    case environmentMismatch(String)

    public var description: String {
        switch self {
        case .finished(let path, let steps):
            return "the run in \(path) already finished its \(steps) steps; evaluate it with `rl eval \(path)`"
        case .badTrainerState(let path, let reason):
            return "checkpoint \(path): trainer state is unreadable: \(reason)"
        case .environmentMismatch(let reason):
            return reason
        }
    }
}

/// A snapshot for progress lines.
public struct TrainingProgress: Sendable {
    public var steps: Int
    public var totalSteps: Int
    public var episodes: Int
    /// Steps per second since this process started training.
    public var stepsPerSecond: Double
    public var recentMeanReturn: Double?
    public var recentSuccessRate: Double?
    public var epsilon: Double
    public var etaSeconds: Double?
    public var lastCheckpointStep: Int?
}

/// The loop's own counters, saved in each checkpoint as trainer.json.
struct TrainerState: Codable, Equatable {
    var steps = 0
    var episodes = 0
    var episodeSeedState: [UInt64] = []
    var metricsBytes: UInt64 = 0
    var recentReturns: [Double] = []
    /// 1 reached the goal, 0 did not, -1 the task reports no goal.
    var recentSuccesses: [Int] = []
    var lastCheckpointStep = 0
    var finished = false
}

/// Trains one agent on one environment into a run directory.
public final class Trainer {
    public let run: RunDirectory
    public let agent: any Agent
    let environment: any Environment
    let makeEvaluationEnvironment: () throws -> any Environment
    var state = TrainerState()
    var episodeSeeds: SeededGenerator
    let metrics: MetricsLog
    /// The step of the checkpoint this trainer resumed from, if any.
    public private(set) var resumedFrom: Int?
    /// Seconds to sleep inside each checkpoint write after the first (the kill -9 test's hook,
    /// set by `rl train` from RL_TEST_CHECKPOINT_PAUSE; 0 otherwise).
    public var checkpointPauseForTesting: Double = 0

    /// Seeds of the run's independent streams, derived from the run seed.
    public enum Stream: UInt64 { case episodes = 1, agent = 2, evaluationEnvironment = 3, evaluationPolicy = 4 }

    public static func seed(_ stream: Stream, of runSeed: UInt64) -> UInt64 {
        SeededGenerator.derive(seed: runSeed, index: stream.rawValue)
    }

    /// A trainer for `run`. With `resume`, restores the newest complete checkpoint (a corrupt
    /// one is an error and nothing is deleted); with none, starts over.
    public init(run: RunDirectory, agent: any Agent, environment: any Environment, resume: Bool,
                makeEvaluationEnvironment: @escaping () throws -> any Environment) throws {
        self.run = run
        self.agent = agent
        self.environment = environment
        self.makeEvaluationEnvironment = makeEvaluationEnvironment
        BLAS.threadCount = run.configuration.training.threads
        episodeSeeds = SeededGenerator(seed: Self.seed(.episodes, of: run.configuration.seed))
        var truncateMetrics: UInt64? = nil
        if resume {
            let store = run.checkpoints
            store.removePartials()
            do {
                let latest = try store.latestVerified()
                let data = try Data(contentsOf: latest.url.appendingPathComponent("trainer.json"))
                let saved: TrainerState
                do { saved = try JSONDecoder().decode(TrainerState.self, from: data) } catch {
                    throw TrainerError.badTrainerState(path: latest.url.path, reason: "\(error)")
                }
                if saved.finished { throw TrainerError.finished(path: run.url.path, steps: saved.steps) }
                guard let seeds = SeededGenerator(stateWords: saved.episodeSeedState) else {
                    throw TrainerError.badTrainerState(path: latest.url.path, reason: "bad episode seed state")
                }
                try agent.load(from: latest.url, weightsOnly: false)
                state = saved
                episodeSeeds = seeds
                truncateMetrics = saved.metricsBytes
                resumedFrom = latest.step
            } catch CheckpointError.none {
                // Killed before its first checkpoint: start over, keeping only the header.
                truncateMetrics = UInt64(MetricsLog.header.utf8.count)
            }
        }
        metrics = try MetricsLog(url: run.metricsURL, truncatingTo: truncateMetrics)
    }

    public var steps: Int { state.steps }

    /// Trains until the configured number of steps, then writes a final checkpoint and the
    /// evaluation. `stopAfter` ends the loop early at that step without a final checkpoint
    /// (as an interruption would; for tests), returning nil.
    @discardableResult
    public func train(stopAfter: Int? = nil, onProgress: (TrainingProgress) -> Void = { _ in },
                      onCheckpoint: (URL) -> Void = { _ in }) throws -> EvaluationReport? {
        let config = run.configuration
        let total = config.steps
        let interval = config.training.checkpointInterval
        let observation = UnsafeMutableRawBufferPointer.allocate(byteCount: environment.observationSpace.byteCount, alignment: 64)
        defer { observation.deallocate() }
        let clock = ContinuousClock()
        let sessionStart = clock.now
        let sessionStartSteps = state.steps
        var lastReport = sessionStart
        func stepsPerSecond() -> Double {
            let elapsed = clock.now - sessionStart
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return seconds > 0 ? Double(state.steps - sessionStartSteps) / seconds : 0
        }

        // Training episodes go to the run's store where the record setting asks for them; the
        // recorder sees each step after the agent chose from it (no per-step outputs here).
        let policy = config.training.recorderPolicy
        let recordsTraining: Bool
        switch policy {
        case .all, .everyNth: recordsTraining = true
        case .evaluationOnly, .none: recordsTraining = false
        }
        let recorder: EpisodeRecorder? = recordsTraining
            ? try EpisodeRecorder(store: TrajectoryStore.create(runDirectory: run.url), environment: environment,
                                  environmentID: config.environment, agent: config.agent, policy: policy)
            : nil
        var needsReset = true
        var action = 0
        var episodeReturn = 0.0, episodeLength = 0
        var hasGoal = false, reached = false
        let lifeLossTerminal = config.training.lifeLossTerminal
        var lives: Int? = nil
        while state.steps < total {
            if let stop = stopAfter, state.steps >= stop { return nil }
            if needsReset {
                let episodeSeed = episodeSeeds.next()
                lives = environment.reset(seed: episodeSeed, observation: observation).lives
                recorder?.beginEpisode(.training, seed: episodeSeed, observation: UnsafeRawBufferPointer(observation))
                action = agent.beginEpisode(observation: UnsafeRawBufferPointer(observation))
                episodeReturn = 0; episodeLength = 0; hasGoal = false; reached = false
                needsReset = false
            }
            let result = try environment.step(action, observation: observation)
            try recorder?.recordStep(action: action, result: result, observation: UnsafeRawBufferPointer(observation))
            state.steps += 1
            episodeReturn += Double(result.reward)
            episodeLength += 1
            if let success = result.info.success {
                hasGoal = true
                if success && result.done { reached = true }
            }
            if result.done {
                agent.endEpisode(reward: result.reward, terminated: result.terminated,
                                 observation: UnsafeRawBufferPointer(observation))
                state.episodes += 1
                let diagnostics = agent.takeDiagnostics()
                try metrics.append(MetricsRow(
                    step: state.steps, episode: state.episodes, episodeReturn: episodeReturn, episodeLength: episodeLength,
                    success: hasGoal ? reached : nil, loss: diagnostics.meanLoss, meanQ: diagnostics.meanValue,
                    epsilon: agent.explorationRate, stepsPerSecond: stepsPerSecond()))
                remember(episodeReturn, hasGoal ? (reached ? 1 : 0) : -1, window: config.training.recentEpisodes)
                needsReset = true
                if state.steps / interval > state.lastCheckpointStep / interval {
                    onCheckpoint(try checkpoint())
                }
            } else if lifeLossTerminal, let before = lives, let now = result.info.lives, now < before {
                // Dopamine's runner: the life's last transition is terminal for the agent, and
                // the next life is a new agent episode in the same game.
                agent.endEpisode(reward: result.reward, terminated: true, observation: UnsafeRawBufferPointer(observation))
                action = agent.beginEpisode(observation: UnsafeRawBufferPointer(observation))
            } else {
                action = agent.step(reward: result.reward, observation: UnsafeRawBufferPointer(observation))
            }
            lives = result.info.lives
            if state.steps & 63 == 0 {
                let now = clock.now
                if now - lastReport >= .seconds(1) {
                    lastReport = now
                    onProgress(progress(stepsPerSecond()))
                }
            }
        }
        state.finished = true
        onCheckpoint(try checkpoint())
        onProgress(progress(stepsPerSecond()))
        let report = try evaluate(episodes: config.training.evaluationEpisodes,
                                  seed: Self.seed(.evaluationEnvironment, of: config.seed))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: run.evaluationURL, options: .atomic)
        return report
    }

    /// Evaluates the agent's current weights on a fresh environment instance.
    /// Evaluates the agent as it is now on a fresh environment; with `record`, the episodes go
    /// to the run's trajectory store (evaluation episodes are recorded by default).
    public func evaluate(episodes: Int, seed: UInt64, record: Bool? = nil) throws -> EvaluationReport {
        let record = record ?? (run.configuration.training.recorderPolicy != .none)
        let epsilon = agent.evaluationEpsilon
        let policy = agent.makeEvaluationPolicy(epsilon: epsilon, seed: Self.seed(.evaluationPolicy, of: seed))
        let environment = try makeEvaluationEnvironment()
        let config = run.configuration
        let recorder = record
            ? try Evaluator.makeRecorder(runDirectory: run.url, environment: environment,
                                         environmentID: config.environment, agent: config.agent, policy: policy)
            : nil
        return try Evaluator.evaluate(policy: policy, environment: environment, episodes: episodes,
                                      seed: seed, epsilon: epsilon, step: state.steps, recorder: recorder,
                                      checkpoint: "step-\(state.steps)")
    }

    private func remember(_ episodeReturn: Double, _ success: Int, window: Int) {
        state.recentReturns.append(episodeReturn)
        state.recentSuccesses.append(success)
        if state.recentReturns.count > window {
            state.recentReturns.removeFirst(state.recentReturns.count - window)
            state.recentSuccesses.removeFirst(state.recentSuccesses.count - window)
        }
    }

    private func progress(_ stepsPerSecond: Double) -> TrainingProgress {
        let goals = state.recentSuccesses.filter { $0 >= 0 }
        let remaining = run.configuration.steps - state.steps
        return TrainingProgress(
            steps: state.steps, totalSteps: run.configuration.steps, episodes: state.episodes,
            stepsPerSecond: stepsPerSecond,
            recentMeanReturn: state.recentReturns.isEmpty ? nil : Statistics.mean(state.recentReturns),
            recentSuccessRate: goals.isEmpty ? nil : Double(goals.filter { $0 == 1 }.count) / Double(goals.count),
            epsilon: agent.explorationRate,
            etaSeconds: stepsPerSecond > 0 ? Double(remaining) / stepsPerSecond : nil,
            lastCheckpointStep: state.lastCheckpointStep > 0 ? state.lastCheckpointStep : nil)
    }

    /// Writes a checkpoint of the agent and the loop at the current step.
    private func checkpoint() throws -> URL {
        state.lastCheckpointStep = state.steps
        state.metricsBytes = metrics.byteCount
        state.episodeSeedState = episodeSeeds.stateWords
        let snapshot = state
        // The test hook pauses only once a complete checkpoint exists, so a kill during the
        // pause shows resuming from the previous one.
        let pause = run.checkpoints.complete().isEmpty ? 0 : checkpointPauseForTesting
        return try run.checkpoints.write(step: state.steps, pauseForTesting: pause) { directory in
            try agent.save(to: directory)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(snapshot).write(to: directory.appendingPathComponent("trainer.json"))
        }
    }
}
