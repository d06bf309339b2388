// `rl train`: trains an agent headless into a run directory, with a progress line that
// redraws in a terminal and prints plain lines otherwise, then evaluates; `--resume DIR`
// continues a run from its newest complete checkpoint.
import AgentKit
import ArgumentParser
import Foundation
import RL

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train an agent headless into a run directory.",
        discussion: "Examples:\n  rl train --env maze/empty-8 --agent dqn --preset maze --steps 30000\n  rl train --resume runs/maze-empty-8-dqn-seed1")

    @Option(help: "Environment identifier (see `rl envs`).")
    var env: String?

    @Option(help: "Agent name (see `rl agents`).")
    var agent: String?

    @Option(help: "Preset of the agent (see `rl agents`).")
    var preset: String?

    @Option(help: "Environment steps to train for.")
    var steps: Int?

    @Option(help: "Seed of every random choice of the run.")
    var seed: UInt64?

    @Option(help: "Run directory (default: runs/<env>-<agent>-seed<S>, numbered if taken).")
    var out: String?

    @Option(name: .customLong("set"), help: "An agent or training setting key=value (repeatable; see `rl agents --settings`).")
    var settings: [String] = []

    @Option(name: .customLong("option"), help: "An environment option key=value (repeatable; see `rl envs --options`).")
    var environmentOptions: [String] = []

    @Option(help: "Continue the run in this directory from its newest complete checkpoint.")
    var resume: String?

    func validate() throws {
        if resume != nil {
            guard env == nil, agent == nil, preset == nil, steps == nil, seed == nil, out == nil, settings.isEmpty,
                  environmentOptions.isEmpty else {
                throw ValidationError("--resume takes no other options: the run's config.json fixes them")
            }
        } else {
            guard env != nil else { throw ValidationError("missing --env (or --resume DIR)") }
            if let steps, steps < 1 { throw ValidationError("--steps must be positive, got \(steps)") }
        }
    }

    func run() throws {
        let registry = EnvironmentRegistry.standard()
        let run: RunDirectory
        if let resume {
            run = try RunDirectory.open(URL(fileURLWithPath: resume))
        } else {
            run = try RunDirectory.create(at: try outputDirectory(), configuration: try resolveConfiguration(registry))
        }
        let config = run.configuration
        let descriptor = try AgentCatalog.find(config.agent)
        let environment = try registry.make(config.environment, options: config.environmentOptions)
        let agent = try descriptor.make(config.agentSettings, environment.observationSpace, environment.actionSpace,
                                        Trainer.seed(.agent, of: config.seed))
        let trainer = try Trainer(run: run, agent: agent, environment: environment, resume: resume != nil) {
            try registry.make(config.environment, options: config.environmentOptions)
        }
        if let pause = ProcessInfo.processInfo.environment["RL_TEST_CHECKPOINT_PAUSE"].flatMap(Double.init) {
            trainer.checkpointPauseForTesting = pause
        }
        let header = resume != nil
            ? "resuming \(run.url.path) from step \(trainer.resumedFrom.map(String.init) ?? "0 (no complete checkpoint)")"
            : "training \(config.agent) (\(config.preset)) on \(config.environment) for \(config.steps) steps, seed \(config.seed)"
        print(header)
        print("run directory: \(run.url.path)")
        let progress = ProgressLine()
        guard let report = try trainer.train(onProgress: { progress.show($0) }) else { return }
        progress.finish()
        print(EvalCommand.summary(report))
        print("evaluation written to \(run.evaluationURL.path)")
        print("metrics: \(run.metricsURL.path)")
        print("evaluate again: rl eval \(run.url.path)   watch: rl watch \(run.url.path)")
    }

    /// The configuration of a new run from the command line, every setting resolved.
    private func resolveConfiguration(_ registry: EnvironmentRegistry) throws -> RunConfiguration {
        let env = self.env!
        guard registry.entries[env] != nil else {  // a usage error: exit status 2
            throw ValidationError(RegistryError.unknownEnvironment(env, known: registry.identifiers).description)
        }
        let environmentOptionValues = try EnvironmentOptions.parse(environmentOptions)
        _ = try registry.make(env, options: environmentOptionValues)  // bad options fail now, not after creating the run
        let descriptor = try AgentCatalog.find(agent ?? "dqn")
        let presetName = preset ?? descriptor.defaultPreset
        var all: [String: String]
        do { all = try parseSettings(settings) } catch { throw ValidationError("\(error)") }
        var training = TrainingSettings()
        let trainingKeys = Set(TrainingSettings.table.map(\.name))
        let agentOverrides = all.filter { !trainingKeys.contains($0.key) }
        do {
            try TrainingSettings.table.apply(all.filter { trainingKeys.contains($0.key) }, to: &training)
            let resolved = try descriptor.resolve(presetName, agentOverrides)
            return RunConfiguration(environment: env, environmentOptions: environmentOptionValues, agent: descriptor.name,
                                    preset: presetName, agentSettings: resolved, training: training, seed: seed ?? 1,
                                    steps: steps ?? 100_000)
        } catch SettingsError.unknownKey(let key, let valid) {
            throw ValidationError("\(SettingsError.unknownKey(key, valid: valid + TrainingSettings.table.map(\.name)))")
        } catch let error as SettingsError {
            throw ValidationError("\(error)")
        }
    }

    /// --out, or runs/<env>-<agent>-seed<S> with -2, -3, ... appended while taken.
    private func outputDirectory() throws -> URL {
        if let out { return URL(fileURLWithPath: out) }
        let base = "runs/\(env!.replacingOccurrences(of: "/", with: "-"))-\(agent ?? "dqn")-seed\(seed ?? 1)"
        var candidate = base
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        return URL(fileURLWithPath: candidate)
    }
}

/// The progress line: redrawn in place on a terminal, a plain line every ten seconds otherwise.
final class ProgressLine {
    let isTerminal = isatty(STDOUT_FILENO) == 1
    private var lastPlain = DispatchTime.now().uptimeNanoseconds
    private var drawn = false

    func show(_ p: TrainingProgress) {
        let percent = Int(100 * Double(p.steps) / Double(max(p.totalSteps, 1)))
        var line = "step \(p.steps)/\(p.totalSteps) (\(percent)%)  \(Int(p.stepsPerSecond)) steps/s"
        line += "  episodes \(p.episodes)"
        if let r = p.recentMeanReturn { line += String(format: "  return %.3f", r) }
        if let s = p.recentSuccessRate { line += String(format: "  success %.0f%%", 100 * s) }
        line += String(format: "  eps %.3f", p.epsilon)
        if let eta = p.etaSeconds { line += "  ETA \(Self.duration(eta))" }
        if isTerminal {
            print("\r\u{1B}[K" + line, terminator: "")
            fflush(nil)
            drawn = true
        } else {
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastPlain >= 10_000_000_000 || p.steps >= p.totalSteps {
                lastPlain = now
                print(line)
                fflush(nil)
            }
        }
    }

    func finish() {
        if drawn { print("") }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
