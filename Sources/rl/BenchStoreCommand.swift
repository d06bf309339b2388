// `rl bench store --frames FILE.npy`: what recording costs. Replays a sequence of real frames
// (made by scripts/store_bench_frames.py from MiniGrid and ale-py) as an environment's
// observations into a trajectory store, and reports the bytes stored per step and the time
// recording adds per step (recording loop minus the same loop with recording off), medians of
// repeated runs. The peer (numpy.savez_compressed of the same frames) is printed by the script.
import ArgumentParser
import Foundation
import Replay
import RL

struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Bytes per step and time per step of recording episodes into a trajectory store.")

    @Option(help: "A uint8 .npy of frames (N, H, W, C) from scripts/store_bench_frames.py.")
    var frames: String

    @Option(name: .customLong("episode-steps"), help: "Steps per recorded episode.")
    var episodeSteps: Int = 500

    @Option(help: "Actions (Q-values recorded per step).")
    var actions: Int = 18

    @Flag(name: .customLong("with-render"), help: "Record each frame also as the render frame (an Atari environment whose observation is its screen).")
    var withRender = false

    @Option(help: "Repetitions (the median is reported).")
    var repeats: Int = 5

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if episodeSteps < 1 || actions < 1 || repeats < 1 {
            throw ValidationError("--episode-steps, --actions and --repeats must be at least 1")
        }
    }

    func run() throws {
        let array = try NPYArray.read(from: URL(fileURLWithPath: frames))
        guard array.descr == "|u1", array.shape.count >= 2 else {
            throw CommandFailure("\(frames) holds \(array.descr) \(array.shape); expected uint8 frames (N, H, W, C)")
        }
        let (shape, pixels) = (array.shape, array.bytes)
        let frameShape = Array(shape.dropFirst())
        if withRender && (frameShape.count != 3 || frameShape[2] != 3) {
            throw ValidationError("--with-render needs RGB frames (N, H, W, 3); \(frames) holds \(shape)")
        }
        let playback = FrameSequenceEnvironment(shape: frameShape, frames: pixels, actions: actions, episodeSteps: episodeSteps)
        let rendering = withRender
            ? RenderingFrameSequenceEnvironment(shape: frameShape, frames: pixels, actions: actions, episodeSteps: episodeSteps) : nil
        let environment: any Environment = rendering ?? playback
        let rewind = { rendering?.rewind() ?? playback.rewind() }
        let steps = shape[0]
        guard episodeSteps < steps else {
            throw ValidationError("--episode-steps (\(episodeSteps)) must be below the \(steps) frames, so that episodes end and are stored")
        }
        var recordSeconds: [Double] = [], baselineSeconds: [Double] = []
        var blobBytes = 0, fileBytes = 0, storedSteps = 0
        for repeat_ in 0..<repeats {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rl-bench-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try TrajectoryStore.create(runDirectory: directory)
            for policy in [RecorderPolicy.none, .all] {
                let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "bench/frames",
                                                   agent: "bench", policy: policy, outputKind: .qValues, outputWidth: actions)
                let start = Date()
                try Self.play(environment, rewind: rewind, steps: steps, recorder: recorder)
                let seconds = Date().timeIntervalSince(start)
                if policy == .none { baselineSeconds.append(seconds) } else { recordSeconds.append(seconds) }
            }
            if repeat_ == 0 {
                let episodes = try store.episodes()
                blobBytes = episodes.reduce(0) { $0 + $1.storedBytes }
                storedSteps = episodes.reduce(0) { $0 + $1.stepCount }
                fileBytes = Self.storeFileBytes(directory)
            }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let overheadMicroseconds = (median(recordSeconds) - median(baselineSeconds)) * 1e6 / Double(steps)
        let result: [String: Any] = [
            "frames": frames, "shape": Array(shape.dropFirst()), "steps": steps,
            "raw_bytes_per_step": environment.observationSpace.byteCount * (withRender ? 2 : 1) + 13 + 4 * actions,
            "with_render": withRender,
            "stored_bytes_per_step": Double(blobBytes) / Double(storedSteps),
            "file_bytes_per_step": Double(fileBytes) / Double(storedSteps),
            "record_us_per_step": overheadMicroseconds, "repeats": repeats,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@: %d steps of %@; stored %.0f bytes/step (file %.0f; raw %d); recording adds %.1f us/step",
                         frames, steps, shape.dropFirst().map(String.init).joined(separator: "x"),
                         Double(blobBytes) / Double(storedSteps), Double(fileBytes) / Double(storedSteps),
                         environment.observationSpace.byteCount, overheadMicroseconds))
        }
    }

    /// The loop of an evaluation: reset, step with a fixed action, feed the recorder.
    static func play(_ environment: any Environment, rewind: () -> Void, steps: Int, recorder: EpisodeRecorder) throws {
        var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
        let actionCount = environment.actionSpace.discreteCount ?? 1
        var q = [Float](repeating: 0, count: actionCount)
        rewind()
        var done = true
        for step in 0..<steps {
            if done {
                observation.withUnsafeMutableBytes { _ = environment.reset(seed: UInt64(step), observation: $0) }
                observation.withUnsafeBytes { _ = recorder.beginEpisode(.evaluation, seed: UInt64(step), observation: $0) }
            }
            q[step % q.count] += 0.01
            let result = try observation.withUnsafeMutableBytes { try environment.step(step % actionCount, observation: $0) }
            _ = try q.withUnsafeBufferPointer { q in
                try observation.withUnsafeBytes {
                    try recorder.recordStep(action: step % q.count, outputs: q, value: 0.5, result: result, observation: $0)
                }
            }
            done = result.done
        }
        recorder.discardEpisode()
    }

    static func storeFileBytes(_ directory: URL) -> Int {
        let names = [TrajectoryStore.fileName, TrajectoryStore.fileName + "-wal"]
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
    }
}
