// Round trip on real frames from the reference environments, made through the tool environment
// by scripts/store_bench_frames.py: MiniGrid FourRooms 56x56x3 maze observations and ale-py
// Breakout 210x160x3 screens are recorded as episodes and read back equal step by step; the npz
// export of the Atari episode gives numpy the very frames ale-py produced.
import Foundation
import Replay
import RL
import TestSupport
import Testing

@Suite struct TrajectoryStoreReferenceFramesTests {
    static let available = TestEnvironment.hasPythonModule("ale_py") && TestEnvironment.hasPythonModule("minigrid")

    @Test func mazeAndAtariFramesRoundTrip() throws {
        guard Self.available else {
            #expect(!TestEnvironment.oraclesRequired, "ale-py or minigrid is missing from the tool environment")
            TestEnvironment.note("ale-py/minigrid not available: skipping the reference-frame round trip")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rl-store-ref-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/store_bench_frames.py").path
        try TestEnvironment.python([script, directory.path, "--steps", "80", "--episode-steps", "80"])
        for (name, actions) in [("maze_56x56", 7), ("atari_210x160", 4)] {
            let frames = try NPYArray.read(from: directory.appendingPathComponent(name + ".npy"))
            #expect(frames.descr == "|u1")
            let shape = Array(frames.shape.dropFirst())
            let frameBytes = shape.reduce(1, *)
            // Episodes of 30 steps: the 80 frames make two whole episodes and one cut short.
            let environment = FrameSequenceEnvironment(shape: shape, frames: frames.bytes, actions: actions, episodeSteps: 30)
            let run = directory.appendingPathComponent("run-" + name)
            let store = try TrajectoryStore.create(runDirectory: run)
            let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "reference/\(name)",
                                               agent: "scripted", policy: .all, chunkBytes: 256 << 10)
            var observation = [UInt8](repeating: 0, count: frameBytes)
            var recorded: [(Int64, [[UInt8]], [Int32])] = []
            var played: [[UInt8]] = [], actionsTaken: [Int32] = []
            var step = 0
            observation.withUnsafeMutableBytes { _ = environment.reset(seed: 0, observation: $0) }
            observation.withUnsafeBytes { _ = recorder.beginEpisode(.evaluation, observation: $0) }
            played.append(observation)
            while step < frames.shape[0] - 1 {
                let action = (step * 5 + 1) % actions
                let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
                played.append(observation)
                actionsTaken.append(Int32(action))
                let id = try observation.withUnsafeBytes { try recorder.recordStep(action: action, result: result, observation: $0) }
                step += 1
                if let id {
                    recorded.append((id, played, actionsTaken + [0]))
                    played = []
                    actionsTaken = []
                    observation.withUnsafeMutableBytes { _ = environment.reset(seed: 0, observation: $0) }
                    observation.withUnsafeBytes { _ = recorder.beginEpisode(.evaluation, observation: $0) }
                    played.append(observation)
                }
            }
            #expect(recorded.count == 2, "\(name)")
            for (id, expectedFrames, expectedActions) in recorded {
                let reader = try EpisodeReader(store: store, episode: id)
                #expect(reader.stepCount == expectedFrames.count)
                #expect(reader.actions == expectedActions)
                for t in 0..<reader.stepCount {
                    #expect(try reader.withObservation(at: t) { [UInt8]($0) } == expectedFrames[t], "\(name) episode \(id) step \(t)")
                }
            }
            // The frames are the reference's: the first recorded step is the file's first frame.
            #expect(Array(frames.bytes[0..<frameBytes]) == recorded[0].1[0])
            if name == "atari_210x160" {
                let npz = directory.appendingPathComponent("atari.npz")
                try EpisodeExporter.writeNPZ(try EpisodeReader(store: store, episode: recorded[1].0), to: npz)
                let check = """
                    import sys, numpy as np
                    frames = np.load(sys.argv[1]); e = np.load(sys.argv[2])
                    # Episode 2 starts at frame 30 of the file (episodes of 30 steps, frames continue).
                    assert e['observation'].shape == (31, 210, 160, 3), e['observation'].shape
                    assert (e['observation'] == frames[30:61]).all()
                    assert e['is_first'][0] and e['is_last'][-1] and not e['is_terminal'][-1]
                    print('ok')
                    """
                let output = try TestEnvironment.python(["-c", check, directory.appendingPathComponent(name + ".npy").path, npz.path])
                #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
            }
        }
    }
}
