// `rl bench agent NAME --env ID`: agent steps per second of the standard training loop (act,
// store, one update every train_frequency steps, target updates), measured once learning has
// started: the warm-up steps before learning_starts are run first and not timed. Rounds are
// repeated and the median reported, since the machine is shared and noisy.
import AgentKit
import ArgumentParser
import Foundation
import RL
import Tensor

struct BenchAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "Agent steps per second once learning has started.")

    @Argument(help: "Agent name (see `rl agents`).")
    var name: String

    @Option(help: "Environment identifier (see `rl envs`).")
    var env: String

    @Option(help: "Preset of the agent.")
    var preset: String?

    @Option(name: .customLong("set"), help: "An agent setting key=value (repeatable).")
    var settings: [String] = []

    @Option(name: .customLong("option"), help: "An environment option key=value (repeatable).")
    var environmentOptions: [String] = []

    @Flag(help: "Grayscale and resize RGB observations to 84x84 (Atari's preprocessing shape), e.g. for a maze with --option obs=rgb --option tile-size=16.")
    var gray84 = false

    @Option(help: "Agent steps per timed round.")
    var steps = 2_000

    @Option(help: "Timed rounds; the median is reported.")
    var rounds = 5

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard steps >= 1, rounds >= 1, threads >= 1 else { throw ValidationError("--steps, --rounds and --threads must be positive") }
    }

    func run() throws {
        let registry = EnvironmentRegistry.standard()
        guard registry.entries[env] != nil else {  // a usage error: exit status 2
            throw ValidationError(RegistryError.unknownEnvironment(env, known: registry.identifiers).description)
        }
        let descriptor = try AgentCatalog.find(name)
        let presetName = preset ?? descriptor.defaultPreset
        let resolved: [String: String]
        do { resolved = try descriptor.resolve(presetName, try parseSettings(settings)) } catch let error as SettingsError {
            throw ValidationError("\(error)")
        }
        BLAS.threadCount = threads
        var environment = try registry.make(env, options: try EnvironmentOptions.parse(environmentOptions))
        if gray84 {
            guard case .box(let shape, .uint8, _, _) = environment.observationSpace, shape.count == 3, shape[2] == 3,
                  shape[0] >= 84, shape[1] >= 84 else {
                throw ValidationError("--gray84 needs RGB observations of at least 84x84 (e.g. --option obs=rgb --option tile-size=16); \(env) has \(environment.observationSpace)")
            }
            environment = Resize(Grayscale(environment), height: 84, width: 84)
        }
        let agent = try descriptor.make(resolved, environment.observationSpace, environment.actionSpace, seed)
        let warmUp = Int(resolved["learning_starts"] ?? "0") ?? 0
        let observation = UnsafeMutableRawBufferPointer.allocate(byteCount: environment.observationSpace.byteCount, alignment: 64)
        defer { observation.deallocate() }
        var episodeSeeds = SeededGenerator(seed: seed)
        var action = 0
        var needsReset = true
        func advance(_ count: Int) throws {
            for _ in 0..<count {
                if needsReset {
                    environment.reset(seed: episodeSeeds.next(), observation: observation)
                    action = agent.beginEpisode(observation: UnsafeRawBufferPointer(observation))
                    needsReset = false
                }
                let result = try environment.step(action, observation: observation)
                if result.done {
                    agent.endEpisode(reward: result.reward, terminated: result.terminated, observation: UnsafeRawBufferPointer(observation))
                    needsReset = true
                } else {
                    action = agent.step(reward: result.reward, observation: UnsafeRawBufferPointer(observation))
                }
            }
        }
        try advance(warmUp + 1)
        _ = agent.takeDiagnostics()
        try advance(min(steps, 500))  // warm the layers' per-batch buffers
        var rates: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            try advance(steps)
            rates.append(Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9))
        }
        guard agent.takeDiagnostics().updates > 0 else {
            throw CommandFailure("no update ran during the timed rounds: check train_frequency and learning_starts")
        }
        let median = Statistics.median(rates)
        if json {
            print("{\"steps_per_sec\":\(String(format: "%.1f", median)),\"agent\":\"\(name)\",\"preset\":\"\(presetName)\",\"env\":\"\(env)\",\"threads\":\(threads),\"rounds\":\(rounds),\"steps_per_round\":\(steps)}")
        } else {
            print("\(name) (\(presetName)) on \(env), \(threads) thread(s): \(String(format: "%.1f", median)) agent steps/s (median of \(rounds) rounds of \(steps); min \(String(format: "%.1f", rates.min()!)), max \(String(format: "%.1f", rates.max()!)))")
        }
    }
}
