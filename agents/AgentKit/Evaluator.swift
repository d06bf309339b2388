// Evaluation episodes on an environment instance of their own, with a policy that never
// learns and a small exploration rate (0.05 for DQN, 0.001 for Atari 100k, as their papers
// evaluate), and the summary statistics rliable recommends beside the mean: median and the
// interquartile mean (the mean of the middle 50% of returns).
import Foundation
import RL
import Replay

/// The results of an evaluation, as eval.json and `rl eval --json` write them.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var episodes: Int
    public var meanReturn: Double
    public var medianReturn: Double
    public var standardDeviation: Double
    public var iqmReturn: Double
    /// Fraction of episodes that reached the goal, where the task reports one.
    public var successRate: Double?
    public var meanLength: Double
    public var epsilon: Double
    public var seed: UInt64
    /// The checkpoint step the weights came from.
    public var step: Int
    public var returns: [Double]

    enum CodingKeys: String, CodingKey {
        case episodes, meanReturn = "mean_return", medianReturn = "median_return", standardDeviation = "std_return"
        case iqmReturn = "iqm_return", successRate = "success_rate", meanLength = "mean_length", epsilon, seed, step, returns
    }
}

/// Runs evaluation episodes.
public enum Evaluator {
    /// Episodes longer than this are cut (environments carry their own time limits; this only
    /// guards against one without).
    public static let maximumEpisodeSteps = 1_000_000

    /// Plays `episodes` episodes with `policy` on `environment`; episode i is reset with the
    /// i-th number drawn from a generator seeded with `seed`. With a `recorder` (made for the
    /// same environment), each episode goes to its trajectory store as an evaluation episode,
    /// with the policy's per-action outputs where it explains itself.
    public static func evaluate(policy: Policy, environment: any Environment, episodes: Int, seed: UInt64,
                                epsilon: Double, step: Int, recorder: EpisodeRecorder? = nil,
                                checkpoint: String? = nil) throws -> EvaluationReport {
        precondition(episodes > 0, "Evaluator.evaluate: \(episodes) episodes")
        var seeds = SeededGenerator(seed: seed)
        let observation = UnsafeMutableRawBufferPointer.allocate(byteCount: environment.observationSpace.byteCount, alignment: 64)
        defer { observation.deallocate() }
        var returns: [Double] = [], lengths: [Double] = []
        var successes = 0
        var hasGoal = false
        let explained = policy as? any ExplainedPolicy
        for _ in 0..<episodes {
            let episodeSeed = seeds.next()
            environment.reset(seed: episodeSeed, observation: observation)
            recorder?.beginEpisode(.evaluation, seed: episodeSeed, checkpoint: checkpoint,
                                   observation: UnsafeRawBufferPointer(observation))
            var action = policy.beginEpisode(observation: UnsafeRawBufferPointer(observation))
            var total = 0.0
            var length = 0
            while true {
                let outputs = explained?.lastOutputs
                let result = try environment.step(action, observation: observation)
                if let recorder {
                    // A loop cut by the length guard below leaves its episode unrecorded.
                    let cut = !result.done && length + 1 >= maximumEpisodeSteps
                    if cut { recorder.discardEpisode() } else {
                        try recorder.recordStep(action: action, outputs: outputs, result: result,
                                                observation: UnsafeRawBufferPointer(observation))
                    }
                }
                total += Double(result.reward)
                length += 1
                if let success = result.info.success {
                    hasGoal = true
                    if success && result.done { successes += 1 }
                }
                if result.done || length >= maximumEpisodeSteps { break }
                action = policy.step(observation: UnsafeRawBufferPointer(observation))
            }
            returns.append(total)
            lengths.append(Double(length))
        }
        return EvaluationReport(
            episodes: episodes, meanReturn: Statistics.mean(returns), medianReturn: Statistics.median(returns),
            standardDeviation: Statistics.standardDeviation(returns), iqmReturn: Statistics.interquartileMean(returns),
            successRate: hasGoal ? Double(successes) / Double(episodes) : nil, meanLength: Statistics.mean(lengths),
            epsilon: epsilon, seed: seed, step: step, returns: returns)
    }
}

extension Evaluator {
    /// A recorder of evaluation episodes of `environment` into the trajectory store of
    /// `runDirectory` (created on first use), carrying the policy's outputs where it explains
    /// itself.
    public static func makeRecorder(runDirectory: URL, environment: any Environment, environmentID: String,
                                    agent: String, policy: Policy) throws -> EpisodeRecorder {
        let store = try TrajectoryStore.create(runDirectory: runDirectory)
        let explained = policy as? any ExplainedPolicy
        let width = explained == nil ? 0 : (environment.actionSpace.discreteCount ?? 0)
        return try EpisodeRecorder(store: store, environment: environment, environmentID: environmentID,
                                   agent: agent, policy: .evaluationOnly,
                                   outputKind: width > 0 ? explained!.outputKind : .none, outputWidth: width)
    }
}

/// Summary statistics of returns.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

    /// The middle value, or the mean of the two middle values (numpy.median).
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Population standard deviation (numpy.std, ddof 0).
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    /// The mean after cutting floor(n/4) values from each end (scipy.stats.trim_mean(x, 0.25),
    /// which rliable's IQM uses).
    public static func interquartileMean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted()
        let cut = s.count / 4
        return mean(Array(s[cut..<(s.count - cut)]))
    }
}
