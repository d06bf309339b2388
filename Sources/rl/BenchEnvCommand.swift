// `rl bench env ID`: environment steps per second with uniformly random actions, on one
// environment (num-envs 1, threads 1) or on RL's VectorEnvironment across a worker pool. Measured in
// rounds; the median round is reported, since the machine is shared and noisy. With --peer,
// ale-py's C++ vector environment runs after each of our rounds (same envs and threads), so
// both sides see the same machine load.
import ALE
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

    @Option(help: "Observation kind (sets the environment's obs option): symbolic|grid|rgb|rgb-full|centered.")
    var obs: String?

    @Option(name: .customLong("option"), help: "An environment option key=value (repeatable).")
    var optionPairs: [String] = []

    @Option(help: "Environment steps per round (over all environments).")
    var steps = 1_000_000

    @Option(help: "Rounds; the median is reported.")
    var rounds = 5

    @Option(help: "Seed of the environments and of the random actions.")
    var seed: UInt64 = 0

    @Option(help: "atari/pong only: run ../shared/anchors/ale_vec_fps.py with this Python after each round and report its median and the ratio.")
    var peer: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard numEnvs >= 1 else { throw ValidationError("--num-envs must be at least 1, got \(numEnvs)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard steps >= 1, rounds >= 1 else { throw ValidationError("--steps and --rounds must be positive") }
        if peer != nil && id != "atari/pong" {
            throw ValidationError("--peer runs ale-py's vector environment on Pong: only with atari/pong, got \(id)")
        }
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
        var rates: [Double] = [], peerRates: [Double] = []
        var threadsUsed = 1
        var actions = SeededGenerator(seed: seed ^ 0xAC71)
        // One round of our side: steps per second.
        let round: () throws -> Double
        if numEnvs == 1 && threads == 1 {
            let env = envs[0]
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: env.observationSpace.byteCount, alignment: 64)
            defer { buffer.deallocate() }
            env.reset(seed: seed, observation: buffer)
            round = {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<steps {
                    let result = try env.step(actions.uniform(below: actionCount), observation: buffer)
                    if result.done { env.reset(seed: nil, observation: buffer) }
                }
                return Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            }
            try measure(round, &rates, &peerRates, threadsUsed)
        } else {
            // Atari steps cost milliseconds and vary (a reset is ~100 frames): workers claim one
            // game at a time; maze steps take microseconds and are claimed in chunks.
            let vector = VectorEnvironment(envs, threads: threads, chunkSize: id.hasPrefix("atari/") ? 1 : nil)
            threadsUsed = vector.threads
            vector.reset(seed: seed)
            var batch = [Int](repeating: 0, count: numEnvs)
            let batches = max(1, steps / numEnvs)
            round = {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<batches {
                    for i in 0..<numEnvs { batch[i] = actions.uniform(below: actionCount) }
                    try vector.step(batch)
                }
                return Double(batches * numEnvs) / (Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            }
            try measure(round, &rates, &peerRates, threadsUsed)
        }
        let sorted = rates.sorted()
        let median = sorted[sorted.count / 2]
        let observation = "\(envs[0].observationSpace)"
        let peerMedian = peerRates.isEmpty ? nil : peerRates.sorted()[peerRates.count / 2]
        if json {
            let roundList = rates.map { String(format: "%.0f", $0) }.joined(separator: ",")
            var peerFields = ""
            if let peerMedian {
                let peerList = peerRates.map { String(format: "%.0f", $0) }.joined(separator: ",")
                peerFields = ",\"peer\":\"ale-py AtariVectorEnv\",\"peer_steps_per_sec\":\(String(format: "%.0f", peerMedian)),"
                    + "\"peer_rounds\":[\(peerList)],\"ratio\":\(String(format: "%.2f", median / peerMedian))"
            }
            print("{\"env\":\"\(id)\",\"steps_per_sec\":\(String(format: "%.0f", median)),\"num_envs\":\(numEnvs),"
                  + "\"threads\":\(threadsUsed),\"observation_space\":\"\(observation)\",\"rounds\":[\(roundList)]\(peerFields)}")
        } else {
            print("\(id): \(String(format: "%.0f", median)) steps/s (median of \(rounds) rounds; \(numEnvs) envs, "
                  + "\(threadsUsed) threads, observation \(observation))")
            if let peerMedian {
                print("ale-py AtariVectorEnv: \(String(format: "%.0f", peerMedian)) steps/s (median of \(peerRates.count) runs "
                      + "between ours); ratio \(String(format: "%.2f", median / peerMedian))x")
            }
        }
    }

    /// Runs the rounds, with a peer run after each of ours when --peer is given.
    private func measure(_ round: () throws -> Double, _ rates: inout [Double], _ peerRates: inout [Double],
                         _ threadsUsed: Int) throws {
        for _ in 0..<rounds {
            rates.append(try round())
            if let peer { peerRates.append(try Self.aleVectorPeer(python: peer, envs: numEnvs, threads: threadsUsed)) }
        }
    }

    /// Runs ale_vec_fps.py (next to the checkout in ../shared/anchors) and reads its agent steps/s.
    static func aleVectorPeer(python: String, envs: Int, threads: Int) throws -> Double {
        let text = try PeerScript.run(python: python, name: "ale_vec_fps.py", arguments: ["\(envs)", "\(threads)"])
        guard let range = text.range(of: #"[0-9]+ agent steps/s"#, options: .regularExpression),
              let rate = Double(text[range].split(separator: " ")[0]) else {
            throw CommandFailure("unexpected output from ale_vec_fps.py: \(text)")
        }
        return rate
    }
}
