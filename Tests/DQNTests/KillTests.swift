// kill -9 in the middle of writing a checkpoint, on the built `rl` binary: the killed run
// leaves a partial checkpoint directory beside its last complete one, `rl train --resume`
// ignores the partial one, continues from the complete one, and ends with the same metrics and
// weights as a run that was never killed.
import AgentKit
import Foundation
import Testing

/// The `rl` executable built beside this test bundle.
func builtRLBinary() -> URL? {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = bundle.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("rl")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}

/// Starts `rl` with `arguments`, standard output and error to `log`.
func startRL(_ binary: URL, _ arguments: [String], log: URL, environment: [String: String] = [:]) throws -> Process {
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
}

let smallRunArguments = [
    "--env", "maze/empty-5", "--agent", "dqn", "--preset", "maze", "--steps", "1500", "--seed", "7",
    "--set", "hidden=32", "--set", "batch_size=16", "--set", "learning_starts=100", "--set", "epsilon_decay_steps=600",
    "--set", "target_update_period=100", "--set", "replay_capacity=5000", "--set", "train_frequency=2",
    "--set", "checkpoint_interval=300", "--set", "eval_episodes=5",
]

@Test func killedMidCheckpointResumesFromTheLastCompleteOne() throws {
    guard let rl = builtRLBinary() else {
        Issue.record("the rl binary is not built beside the tests (\(CommandLine.arguments[0]))")
        return
    }
    let root = try temporaryDirectory("kill")
    defer { try? FileManager.default.removeItem(at: root) }
    let straight = root.appendingPathComponent("straight"), killed = root.appendingPathComponent("killed")

    let a = try startRL(rl, ["train"] + smallRunArguments + ["--out", straight.path], log: root.appendingPathComponent("a.log"))
    a.waitUntilExit()
    #expect(a.terminationStatus == 0)

    // The hook pauses inside every checkpoint after the first, before its manifest and rename.
    let log = root.appendingPathComponent("b.log")
    let b = try startRL(rl, ["train"] + smallRunArguments + ["--out", killed.path], log: log,
                        environment: ["RL_TEST_CHECKPOINT_PAUSE": "120"])
    let deadline = Date().addingTimeInterval(300)
    while !((try? String(contentsOf: log, encoding: .utf8))?.contains("checkpoint-pause:") ?? false) {
        guard b.isRunning, Date() < deadline else {
            Issue.record("the run never reached its second checkpoint: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            if b.isRunning { kill(b.processIdentifier, SIGKILL) }
            return
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    kill(b.processIdentifier, SIGKILL)
    b.waitUntilExit()
    #expect(b.terminationReason == .uncaughtSignal)

    let store = CheckpointStore(runDirectory: killed)
    let names = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
    #expect(names.contains { $0.hasPrefix(".partial-") }, "no partial checkpoint left by the kill: \(names)")
    #expect(store.complete().count == 1)

    let c = try startRL(rl, ["train", "--resume", killed.path], log: root.appendingPathComponent("c.log"))
    c.waitUntilExit()
    #expect(c.terminationStatus == 0, "\((try? String(contentsOf: root.appendingPathComponent("c.log"), encoding: .utf8)) ?? "")")
    let resumedLog = (try? String(contentsOf: root.appendingPathComponent("c.log"), encoding: .utf8)) ?? ""
    #expect(resumedLog.contains("from step 3"))  // the first checkpoint, just past step 300

    #expect(try metricsWithoutWallTime(straight) == metricsWithoutWallTime(killed))
    #expect(try newestWeights(straight) == newestWeights(killed))
    let evalA = try Data(contentsOf: straight.appendingPathComponent("eval.json"))
    let evalB = try Data(contentsOf: killed.appendingPathComponent("eval.json"))
    #expect(evalA == evalB)
    #expect(!(try FileManager.default.contentsOfDirectory(atPath: store.directory.path)).contains { $0.hasPrefix(".partial-") })

    // Bad input on the command line: errors naming what is wrong, exit status 2.
    for (arguments, expected) in [
        (["train", "--env", "maze/nope", "--agent", "dqn"], "valid environments"),
        (["train", "--env", "maze/empty-5", "--agent", "ppo"], "valid agents: dqn"),
        (["train", "--env", "maze/empty-5", "--preset", "fast"], "valid presets: nature, atari100k, maze"),
        (["train", "--env", "maze/empty-5", "--set", "gamma=2"], "setting 'gamma'"),
        (["train", "--env", "maze/empty-5", "--set", "batchsize=2"], "valid settings"),
        (["train", "--env", "maze/empty-5", "--out", straight.path], "already holds a run"),
    ] {
        let errLog = root.appendingPathComponent("err.log")
        let p = try startRL(rl, arguments, log: errLog)
        p.waitUntilExit()
        let text = (try? String(contentsOf: errLog, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus != 0 && text.contains("error:") && text.contains(expected), "\(arguments): \(text)")
        #expect(!text.contains("Fatal error") && !text.contains("Stack dump"))
    }
}
