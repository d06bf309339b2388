// Exports checked by readers nobody here wrote: numpy.load reads the npz (through the tool
// environment) and gives back every array exactly; libpng and OpenCV decode the PNG frames
// to the stored render frames.
import Foundation
import Replay
import ReplayFixtures
import RL
import TestSupport
import Testing

@Suite struct ExportTests {
    /// A store with one fixture episode with Q-values; returns its reader and what was played.
    static func recordOne(_ name: String) throws -> (URL, EpisodeReader, ExpectedEpisode) {
        let directory = FixtureEpisodes.temporaryDirectory(name)
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture(height: 12, width: 16, maxSteps: 25)
        let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                           agent: "scripted", policy: .all, outputKind: .qValues, outputWidth: 5,
                                           chunkBytes: 24 << 10)
        let (expected, id) = try FixtureEpisodes.play(environment, seed: 5, recorder: recorder)
        return (directory, try EpisodeReader(store: store, episode: try #require(id)), expected)
    }

    static let numpyAvailable = TestEnvironment.hasPythonModule("numpy")

    @Test func npzReadsBackInNumpy() throws {
        guard Self.numpyAvailable else {
            #expect(!TestEnvironment.oraclesRequired, "numpy is missing from the tool environment")
            TestEnvironment.note("numpy is not available: skipping the npz check")
            return
        }
        let (directory, reader, expected) = try Self.recordOne("npz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let npz = directory.appendingPathComponent("episode.npz")
        try EpisodeExporter.writeNPZ(reader, to: npz)
        let script = """
            import json, sys, numpy as np
            with np.load(sys.argv[1]) as f:
                out = {k: {"dtype": f[k].dtype.str, "shape": list(f[k].shape),
                           "values": [None if v != v else v for v in f[k].reshape(-1).tolist()]} for k in f.files}
            print(json.dumps(out))
            """
        let text = try TestEnvironment.python(["-c", script, npz.path])
        let arrays = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: Any]])
        let steps = expected.observations.count
        #expect(Set(arrays.keys) == ["observation", "render", "action", "reward", "is_first", "is_last",
                                      "is_terminal", "q_values", "value"])
        func check(_ name: String, dtype: String, shape: [Int], _ values: [Double?]) {
            guard let array = arrays[name] else { Issue.record("\(name) missing"); return }
            #expect(array["dtype"] as? String == dtype, "\(name) dtype")
            #expect(array["shape"] as? [Int] == shape, "\(name) shape")
            // Compared as Float: the arrays are float32 or smaller, and Foundation's JSON parser
            // may be off by an ulp of a Double.
            let got = (array["values"] as? [Any] ?? []).map { ($0 as? NSNumber).map { Float($0.doubleValue) } }
            #expect(got == values.map { $0.map(Float.init) }, "\(name) values")
        }
        check("observation", dtype: "|u1", shape: [steps, 12, 16, 3], expected.observations.joined().map { Double($0) })
        check("render", dtype: "|u1", shape: [steps, 24, 32, 3], expected.renders.joined().map { Double($0) })
        check("action", dtype: "<i4", shape: [steps], expected.actions.map { Double($0) })
        check("reward", dtype: "<f4", shape: [steps], expected.rewards.map { Double($0) })
        check("is_first", dtype: "|b1", shape: [steps], expected.flags.map { $0.contains(.first) ? 1 : 0 })
        check("is_last", dtype: "|b1", shape: [steps], expected.flags.map { $0.contains(.last) ? 1 : 0 })
        check("is_terminal", dtype: "|b1", shape: [steps], expected.flags.map { $0.contains(.terminal) ? 1 : 0 })
        check("q_values", dtype: "<f4", shape: [steps, 5], expected.qValues.joined().map { $0.isNaN ? nil : Double($0) })
        check("value", dtype: "<f4", shape: [steps], expected.values.map { $0.isNaN ? nil : Double($0) })
        // Nothing partial is left beside the output.
        #expect(!FileManager.default.fileExists(atPath: npz.path + ".partial"))
    }

    @Test func npyHeaderFollowsTheFormat() {
        let header = EpisodeExporter.npyHeader(descr: "<f4", shape: [3])
        #expect(header.count % 64 == 0)
        #expect(Array(header.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        #expect(header.last == 0x0A)
        #expect(String(decoding: header[10...], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"))
    }

    @Test func pngFramesDecodeToTheRenderFrames() throws {
        let (directory, reader, expected) = try Self.recordOne("png")
        defer { try? FileManager.default.removeItem(at: directory) }
        let frames = directory.appendingPathComponent("frames")
        let urls = try EpisodeExporter.writePNGs(reader, to: frames)
        #expect(urls.count == expected.renders.count)
        for (t, url) in urls.enumerated() {
            let image = try PNGImage.read(from: url)
            #expect(image.width == 32 && image.height == 24)
            #expect(image.pixels == expected.renders[t], "frame \(t)")
        }
        // An independent decoder: OpenCV (BGR order) through the tool environment.
        if TestEnvironment.hasPythonModule("cv2") {
            let script = "import cv2, sys, json; print(json.dumps(cv2.imread(sys.argv[1])[:, :, ::-1].reshape(-1).tolist()))"
            let text = try TestEnvironment.python(["-c", script, urls[3].path])
            let pixels = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Int])
            #expect(pixels.map { UInt8($0) } == expected.renders[3])
        } else {
            #expect(!TestEnvironment.oraclesRequired, "opencv is missing from the tool environment")
        }
    }

    @Test func unreadablePNGIsATypedError() throws {
        let directory = FixtureEpisodes.temporaryDirectory("badpng")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.png")
        try Data("not a png".utf8).write(to: url)
        #expect(throws: ExportError.self) { try PNGImage.read(from: url) }
    }

    @Test func mp4NeedsFFmpegAndSaysSo() throws {
        let (directory, reader, _) = try Self.recordOne("mp4")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("episode.mp4")
        #expect(throws: ExportError.ffmpegMissing) { try EpisodeExporter.writeMP4(reader, to: url, ffmpeg: nil) }
        guard let ffmpeg = EpisodeExporter.findFFmpeg() else {
            TestEnvironment.note("ffmpeg is not installed: mp4 encoding itself not exercised")
            return
        }
        try EpisodeExporter.writeMP4(reader, to: url, scale: 2, ffmpeg: ffmpeg)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        #expect(size > 0)
        // ffmpeg decodes it back: one frame per step at the scaled size.
        if TestEnvironment.hasPythonModule("cv2") {
            let script = """
                import cv2, sys
                c = cv2.VideoCapture(sys.argv[1]); n = 0; shape = None
                while True:
                    ok, f = c.read()
                    if not ok: break
                    n += 1; shape = f.shape
                print(n, shape[0], shape[1])
                """
            let fields = try TestEnvironment.python(["-c", script, url.path]).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            #expect(fields == [reader.stepCount, 48, 64])
        }
    }

    @Test func unknownFormatNamesTheFormats() {
        #expect(throws: ExportError.unknownFormat("gif")) { try ExportFormat(parsing: "gif") }
        #expect(ExportError.unknownFormat("gif").description.contains("npz, png, mp4"))
    }
}
