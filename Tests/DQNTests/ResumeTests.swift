// Resuming: a short maze run interrupted and resumed from its checkpoint must produce the
// same metrics.csv (wall-time column aside), the same final weights and the same evaluation as
// the uninterrupted run; a process killed with kill -9 in the middle of writing a checkpoint
// must resume from the last complete one; a corrupt checkpoint is refused with the previous
// one kept; bad settings and run directories are refused with errors naming them.
import AgentKit
import DQN
import Foundation
import GridMaze
import RL
import TestSupport
import Testing

/// A small, fast DQN run on maze/empty-5: learning starts early, checkpoints often. Keys of
/// `extra` that start with "env." are environment options.
func smallRunConfiguration(steps: Int, extra: [String: String] = [:]) throws -> RunConfiguration {
    let environmentOptions = Dictionary(uniqueKeysWithValues: extra.filter { $0.key.hasPrefix("env.") }
        .map { (String($0.key.dropFirst(4)), $0.value) })
    let extra = extra.filter { !$0.key.hasPrefix("env.") }
    var overrides = [
        "hidden": "32", "batch_size": "16", "learning_starts": "100", "epsilon_decay_steps": "600",
        "target_update_period": "100", "replay_capacity": "5000", "train_frequency": "2",
    ]
    overrides.merge(extra) { _, new in new }
    let settings = try DQNAgent.descriptor.resolve("maze", overrides)
    var training = TrainingSettings()
    training.checkpointInterval = 300
    training.evaluationEpisodes = 5
    return RunConfiguration(environment: "maze/empty-5", environmentOptions: environmentOptions, agent: "dqn", preset: "maze",
                            agentSettings: settings, training: training, seed: 7, steps: steps)
}

func mazeRegistry() -> EnvironmentRegistry {
    var registry = EnvironmentRegistry()
    GridMazeFamily.register(into: &registry)
    return registry
}

func makeTrainer(_ run: RunDirectory, resume: Bool) throws -> Trainer {
    let registry = mazeRegistry()
    let config = run.configuration
    let environment = try registry.make(config.environment, options: config.environmentOptions)
    let agent = try DQNAgent.descriptor.make(config.agentSettings, environment.observationSpace, environment.actionSpace,
                                             Trainer.seed(.agent, of: config.seed))
    return try Trainer(run: run, agent: agent, environment: environment, resume: resume) {
        try registry.make(config.environment, options: config.environmentOptions)
    }
}

func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("dqn-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// metrics.csv without its wall-time column (steps_per_sec, the last).
func metricsWithoutWallTime(_ run: URL) throws -> [String] {
    let text = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8)
    return text.split(separator: "\n").map { line in line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
}

func newestWeights(_ run: URL) throws -> Data {
    let latest = try CheckpointStore(runDirectory: run).latestVerified()
    return try Data(contentsOf: latest.url.appendingPathComponent("online.safetensors"))
}

/// Plain, with the count-based bonus (whose visit counts the checkpoint must carry: the
/// rewards stored after resuming depend on them), and with the episodic bonus fading over the
/// run (its counts restart every episode and checkpoints fall on episode boundaries, so
/// nothing of it needs saving; the fade is a function of the step count); and on RGB views
/// with DrQ's augmentation (its draws come from the checkpointed replay generator) and clipped
/// rewards.
@Test(arguments: [[String: String](), ["count_bonus": "0.05"], ["episodic_bonus": "0.05", "bonus_decay_steps": "1000"],
                  ["env.obs": "rgb", "augmentation": "drq", "clip_rewards": "true"]])
func interruptedAndResumedRunMatchesTheUninterruptedOne(extra: [String: String]) throws {
    let root = try temporaryDirectory("resume")
    defer { try? FileManager.default.removeItem(at: root) }
    let config = try smallRunConfiguration(steps: 1500, extra: extra)

    let straight = try RunDirectory.create(at: root.appendingPathComponent("straight"), configuration: config)
    let reportA = try #require(try makeTrainer(straight, resume: false).train())

    let interrupted = try RunDirectory.create(at: root.appendingPathComponent("interrupted"), configuration: config)
    // Stop mid-way (as a crash would: no final checkpoint), after at least two checkpoints.
    #expect(try makeTrainer(interrupted, resume: false).train(stopAfter: 1000) == nil)
    let checkpointsBefore = CheckpointStore(runDirectory: interrupted.url).complete()
    #expect(!checkpointsBefore.isEmpty && checkpointsBefore.last!.step < 1000)
    let resumed = try makeTrainer(try RunDirectory.open(interrupted.url), resume: true)
    #expect(resumed.resumedFrom == checkpointsBefore.last!.step)
    let reportB = try #require(try resumed.train())

    let rowsA = try metricsWithoutWallTime(straight.url), rowsB = try metricsWithoutWallTime(interrupted.url)
    #expect(rowsA.count > 10)  // enough episodes to span several checkpoints
    #expect(rowsA == rowsB)
    #expect(try newestWeights(straight.url) == newestWeights(interrupted.url))
    #expect(reportA.returns == reportB.returns && reportA.successRate == reportB.successRate)
    // The loss column is filled once learning runs, so the comparison covered learning.
    #expect(rowsA.last!.split(separator: ",", omittingEmptySubsequences: false)[5] != "")

    // A finished run refuses to resume.
    #expect(throws: TrainerError.self) { try makeTrainer(try RunDirectory.open(straight.url), resume: true) }
}

@Test func corruptCheckpointIsRefusedAndThePreviousKept() throws {
    let root = try temporaryDirectory("corrupt")
    defer { try? FileManager.default.removeItem(at: root) }
    let run = try RunDirectory.create(at: root.appendingPathComponent("run"), configuration: try smallRunConfiguration(steps: 1500))
    _ = try makeTrainer(run, resume: false).train(stopAfter: 1000)
    let store = CheckpointStore(runDirectory: run.url)
    let all = store.complete()
    #expect(all.count == 2)
    // Truncate the newest checkpoint's weights.
    let weights = all.last!.url.appendingPathComponent("online.safetensors")
    let data = try Data(contentsOf: weights)
    try data.prefix(data.count / 2).write(to: weights)
    do {
        _ = try makeTrainer(try RunDirectory.open(run.url), resume: true)
        Issue.record("resuming from a truncated checkpoint did not throw")
    } catch let error as CheckpointError {
        let text = "\(error)"
        #expect(text.contains("online.safetensors") && text.contains("truncated") && text.contains(all.first!.url.path))
    }
    // Nothing was deleted, and the previous checkpoint still verifies.
    #expect(store.complete().map(\.step) == all.map(\.step))
    try CheckpointStore.verify(all.first!.url)
}

@Test func badSettingsAndRunDirectoriesAreRefused() throws {
    #expect(throws: SettingsError.unknownPreset("fast", agent: "dqn", valid: ["nature", "atari100k", "maze", "maze-hard", "maze-explore"])) {
        try DQNAgent.descriptor.resolve("fast", [:])
    }
    do {
        _ = try DQNAgent.descriptor.resolve("maze", ["gama": "0.9"])
        Issue.record("unknown key accepted")
    } catch SettingsError.unknownKey(let key, let valid) {
        #expect(key == "gama" && valid.contains("gamma"))
    }
    #expect(throws: SettingsError.badValue(key: "gamma", value: "1.5", accepted: "a number in 0.0...1.0")) {
        try DQNAgent.descriptor.resolve("maze", ["gamma": "1.5"])
    }
    #expect(throws: SettingsError.badValue(key: "double", value: "yes", accepted: "true|false")) {
        try DQNAgent.descriptor.resolve("maze", ["double": "yes"])
    }
    // DrQ's shifts need images: the symbolic maze view is refused, naming the setting.
    let maze = try mazeRegistry().make("maze/empty-5", options: [:])
    do {
        _ = try DQNAgent.descriptor.make(try DQNAgent.descriptor.resolve("maze", ["augmentation": "drq"]),
                                         maze.observationSpace, maze.actionSpace, 1)
        Issue.record("augmentation=drq accepted on a symbolic view")
    } catch SettingsError.badValue(let key, let value, let accepted) {
        #expect(key == "augmentation" && value == "drq" && accepted.hasPrefix("none"))
    }
    let root = try temporaryDirectory("dirs")
    defer { try? FileManager.default.removeItem(at: root) }
    // A non-empty folder that is not a run: refused, and left alone.
    let other = root.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: other.appendingPathComponent("notes.txt"))
    #expect(throws: RunDirectoryError.exists(path: other.path, resumable: false)) {
        try RunDirectory.create(at: other, configuration: try smallRunConfiguration(steps: 10))
    }
    #expect(try String(contentsOf: other.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    #expect(throws: RunDirectoryError.self) { try RunDirectory.open(other) }
}
