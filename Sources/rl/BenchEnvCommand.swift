// `rl bench env ID`: environment steps per second with uniformly random actions, on one
// environment (num-envs 1, threads 1) or on a vector of environments across a worker pool.
// Measured in rounds; the median round is reported, since the machine is shared and noisy.
import ArgumentParser
import Foundation
import RL

struct BenchEnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Environment steps per second.")

    @Argument(help: "Environment identifier, e.g. maze/four-rooms (see `rl envs`).")
    var id: String

    @Option(help: "Environments stepped as one batch.")
    var numEnvs = 1

    @Option(help: "Worker threads for the batch.")
    var threads = 1

    @Option(help: "Observation kind (sets the environment's obs option): symbolic|grid|rgb|rgb-full.")
    var obs: String?

    @Option(name: .customLong("option"), help: "An environment option key=value (repeatable).")
    var optionPairs: [String] = []

    @Option(help: "Environment steps per round (over all environments).")
    var steps = 1_000_000

    @Option(help: "Rounds; the median is reported.")
    var rounds = 5

    @Option(help: "Seed of the environments and of the random actions.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard numEnvs >= 1 else { throw ValidationError("--num-envs must be at least 1, got \(numEnvs)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard steps >= 1, rounds >= 1 else { throw ValidationError("--steps and --rounds must be positive") }
    }

    func run() throws {
        let registry = EnvironmentRegistry.standard()
        var pairs = optionPairs
        if let obs { pairs.append("obs=\(obs)") }
        let envs: [any Environment]
        do {
            envs = try (0..<numEnvs).map { _ in try registry.make(id, optionPairs: pairs) }
        } catch let error as RegistryError {
            // An unknown identifier or option is a usage error (exit status 2).
            throw ValidationError(error.description)
        }
        guard let actionCount = envs[0].actionSpace.discreteCount else {
            throw CommandFailure("\(id): only discrete action spaces can be benchmarked")
        }
        var rates: [Double] = []
        var threadsUsed = 1
        if numEnvs == 1 && threads == 1 {
            let env = envs[0]
            var buffer = [UInt8](repeating: 0, count: env.observationSpace.byteCount)
            var actions = SeededGenerator(seed: seed ^ 0xAC71)
            try buffer.withUnsafeMutableBytes { obs in
                env.reset(seed: seed, observation: obs)
                for _ in 0..<rounds {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<steps {
                        let result = try env.step(actions.uniform(below: actionCount), observation: obs)
                        if result.done { env.reset(seed: nil, observation: obs) }
                    }
                    rates.append(Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9))
                }
            }
        } else {
            let vector = VectorEnvironment(envs, threads: threads)
            threadsUsed = vector.threads
            vector.reset(seed: seed)
            var actions = SeededGenerator(seed: seed ^ 0xAC71)
            var batch = [Int](repeating: 0, count: numEnvs)
            let batches = max(1, steps / numEnvs)
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<batches {
                    for i in 0..<numEnvs { batch[i] = actions.uniform(below: actionCount) }
                    try vector.step(batch)
                }
                rates.append(Double(batches * numEnvs) / (Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9))
            }
        }
        let sorted = rates.sorted()
        let median = sorted[sorted.count / 2]
        let observation = "\(envs[0].observationSpace)"
        if json {
            let roundList = rates.map { String(format: "%.0f", $0) }.joined(separator: ",")
            print("{\"env\":\"\(id)\",\"steps_per_sec\":\(String(format: "%.0f", median)),\"num_envs\":\(numEnvs),"
                  + "\"threads\":\(threadsUsed),\"observation_space\":\"\(observation)\",\"rounds\":[\(roundList)]}")
        } else {
            print("\(id): \(String(format: "%.0f", median)) steps/s (median of \(rounds) rounds; \(numEnvs) envs, "
                  + "\(threadsUsed) threads, observation \(observation))")
        }
    }
}
