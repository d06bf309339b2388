// The viewer and live play for real, in windows on an Xvfb X server that each test starts. The
// viewer opens a recorded episode, steps through it with key presses posted through SDL's event
// queue, and a screenshot read back from the window shows the stored frame scaled up pixel for
// pixel and the panel with its text and bars. A person's keys and a policy play the fixture and
// their episodes are recorded. Skipped with a note where Xvfb is not installed (a failure under
// `make test`, which installs it). Also: `rl watch` without a display fails in one line.
import Foundation
import Replay
import ReplayFixtures
import RL
import TestSupport
import Testing
import Viewer

@Suite(.serialized) struct ViewerXvfbTests {
    static func findProgram(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"])
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rl-viewer-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Records two fixture episodes with Q-values; returns the store and the render frames played.
    static func recordEpisodes(in directory: URL) throws -> (TrajectoryStore, [[[UInt8]]]) {
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture(height: 12, width: 16, maxSteps: 20)
        let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                           agent: "scripted", policy: .all, outputKind: .qValues, outputWidth: 5)
        var episodes: [[[UInt8]]] = []
        for seed in UInt64(3)...4 {
            var frames: [[UInt8]] = []
            var observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
            var render = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
            func keepRender() {
                render.withUnsafeMutableBytes { environment.render(into: $0) }
                frames.append(render)
            }
            observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
            keepRender()
            observation.withUnsafeBytes { _ = recorder.beginEpisode(.evaluation, seed: seed, observation: $0) }
            var step = 0, done = false
            while !done {
                let action = ScriptedFixtureAgent.action(step: step, seed: seed)
                let q = ScriptedFixtureAgent.qValues(step: step, seed: seed)
                let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
                keepRender()
                _ = try q.withUnsafeBufferPointer { q in
                    try observation.withUnsafeBytes { try recorder.recordStep(action: action, outputs: q, result: result, observation: $0) }
                }
                done = result.done
                step += 1
            }
            episodes.append(frames)
        }
        return (store, episodes)
    }

    /// Starts Xvfb on a free display number and returns it with the display name.
    static func startXvfb(_ program: URL) throws -> (Process, String)? {
        for number in 90..<120 where !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)")
            && !FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock") {
            let process = Process()
            process.executableURL = program
            process.arguments = [":\(number)", "-screen", "0", "1024x768x24", "-nolisten", "tcp"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 {
                if FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") { return (process, ":\(number)") }
                if !process.isRunning { break }
                usleep(50_000)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        }
        return nil
    }

    /// A running Xvfb server that DISPLAY names.
    final class XvfbServer {
        let process: Process
        let display: String
        init(process: Process, display: String) {
            self.process = process
            self.display = display
        }

        /// SIGKILL: Xvfb started from a test process may ignore SIGTERM. SIGKILL skips Xvfb's
        /// own clean-up, so its lock file and socket are removed here.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let number = display.dropFirst()
            try? FileManager.default.removeItem(atPath: "/tmp/.X\(number)-lock")
            try? FileManager.default.removeItem(atPath: "/tmp/.X11-unix/X\(number)")
        }
    }

    /// Starts a fresh Xvfb and points DISPLAY at it; nil (with a note) where Xvfb is not
    /// installed, a failure instead when `make test` asked for every oracle.
    static func startDisplay() throws -> XvfbServer? {
        guard let xvfbProgram = Self.findProgram("Xvfb") else {
            #expect(!TestEnvironment.oraclesRequired, "Xvfb is not installed (make test installs xvfb)")
            TestEnvironment.note("Xvfb is not installed: skipping the window test")
            return nil
        }
        let (process, display) = try #require(try Self.startXvfb(xvfbProgram), "Xvfb did not start")
        // SDL's X11 driver opens the display named by DISPLAY.
        setenv("DISPLAY", display, 1)
        return XvfbServer(process: process, display: display)
    }

    @Test func playsStepsAndScreenshotsUnderXvfb() throws {
        guard let server = try Self.startDisplay() else { return }
        defer { server.stop() }
        do {
            let directory = Self.temporaryDirectory("xvfb")
            defer { try? FileManager.default.removeItem(at: directory) }
            let (store, episodes) = try Self.recordEpisodes(in: directory)
            let ids = try store.episodeIDs()
            let scale = 4
            let viewer = try EpisodeViewer(store: store, episodeIDs: ids, scale: scale, startPaused: true,
                                           screenshotDirectory: directory)
            #expect(viewer.step == 0 && viewer.isPaused)

            // Three steps forward, one back: step 2.
            for key in [ViewerKey.stepForward, .stepForward, .stepForward, .stepBack] { viewer.post(key) }
            try viewer.handlePendingEvents()
            #expect(viewer.step == 2)
            try viewer.draw()
            viewer.post(.screenshot)
            try viewer.handlePendingEvents()
            let shot = try #require(viewer.lastScreenshot)
            let image = try PNGImage.read(from: shot)

            // The frame: the stored render frame of step 2, each pixel a 4x4 block.
            let frame = episodes[0][2]
            let frameWidth = 32, frameHeight = 24
            #expect(image.width == frameWidth * scale + EpisodeViewer.panelWidth)
            var mismatches = 0
            for y in 0..<(frameHeight * scale) {
                for x in 0..<(frameWidth * scale) {
                    let s = 3 * ((y / scale) * frameWidth + x / scale), d = 3 * (y * image.width + x)
                    if image.pixels[d..<d + 3] != frame[s..<s + 3] { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "\(mismatches) frame pixels differ from the stored frame scaled by \(scale)")

            // The panel: its background, white text, and the bars (the chosen action in amber).
            var colors: [String: Int] = [:]
            for y in 0..<image.height {
                for x in (frameWidth * scale)..<image.width {
                    let d = 3 * (y * image.width + x)
                    let key = "\(image.pixels[d]),\(image.pixels[d + 1]),\(image.pixels[d + 2])"
                    colors[key, default: 0] += 1
                }
            }
            #expect(colors["30,30,38", default: 0] > 1000, "panel background")
            #expect(colors["232,232,232", default: 0] > 200, "panel text")
            #expect(colors["255,196,60", default: 0] > 10, "the chosen action's bar")
            #expect(colors["80,150,235", default: 0] > 10, "the other actions' bars")
            // What the window shows is what the viewer drew.
            #expect(image.pixels == viewer.canvas.pixels)

            // Speed, pause, the next episode, and quitting through the event loop.
            let speed = viewer.framesPerSecond
            viewer.post(.faster)
            viewer.post(.pause)
            viewer.post(.nextEpisode)
            try viewer.handlePendingEvents()
            #expect(viewer.framesPerSecond > speed)
            #expect(!viewer.isPaused)
            #expect(viewer.episodeIndex == 1 && viewer.step == 0)
            viewer.post(.previousEpisode)
            viewer.post(.quit)
            try viewer.run()
            #expect(viewer.quitRequested && viewer.episodeIndex == 0)
        }
    }

    @Test func humanPlayRecordsDemonstrations() throws {
        guard let server = try Self.startDisplay() else { return }
        defer { server.stop() }
        do {
            let directory = Self.temporaryDirectory("play")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try TrajectoryStore.create(runDirectory: directory)
            let environment = MovingSquareFixture(height: 12, width: 16, maxSteps: 200)
            let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                               agent: "human", policy: .evaluationOnly)
            let session = try PlaySession(environment: environment, environmentID: "fixture/moving-square",
                                          driver: .keyboard(realTime: false), recorder: recorder, seed: 7, scale: 4)
            // Down and right as far as the grid goes: the square reaches the goal corner.
            for _ in 0..<11 { session.post(.down) }
            for _ in 0..<15 { session.post(.right) }
            try session.handlePendingEvents()
            #expect(session.recordedEpisodes.count == 1)
            let id = try #require(session.recordedEpisodes.first)
            let reader = try EpisodeReader(store: store, episode: id)
            #expect(reader.record.kind == .human && reader.record.terminated && reader.record.seed == 7)
            #expect(reader.actions.dropLast().allSatisfy { $0 == 2 || $0 == 4 })
            // The demonstration replays: the same actions from the same seed give the stored observations.
            let replay = MovingSquareFixture(height: 12, width: 16, maxSteps: 200)
            #expect(try reader.withObservation(at: 0) { [UInt8]($0) } == replay.reset(seed: 7).observation)
            for t in 0..<(reader.stepCount - 1) {
                let (observation, _) = try replay.step(Int(reader.actions[t]))
                #expect(try reader.withObservation(at: t + 1) { [UInt8]($0) } == observation, "step \(t + 1)")
            }
            // The window shows the new episode's frame, scaled; quitting drops the episode in progress.
            try session.draw()
            let image = try session.windowImage()
            var frame = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
            frame.withUnsafeMutableBytes { environment.render(into: $0) }
            let width = 32, scale = 4
            var mismatches = 0
            for y in 0..<(24 * scale) {
                for x in 0..<(width * scale) {
                    let s = 3 * ((y / scale) * width + x / scale), d = 3 * (y * image.width + x)
                    if image.pixels[d..<d + 3] != frame[s..<s + 3] { mismatches += 1 }
                }
            }
            #expect(mismatches == 0)
            session.post(.quit)
            try session.run()
            #expect(session.quitRequested)
            #expect(try store.episodes().count == 1)
        }
    }

    @Test func livePolicyPlaysRecordsAndDrawsItsOutputs() throws {
        guard let server = try Self.startDisplay() else { return }
        defer { server.stop() }
        let directory = Self.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture(height: 12, width: 16, maxSteps: 30)
        let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                           agent: "scripted", outputKind: .qValues, outputWidth: 5)
        // The scripted agent as a policy; its counter numbers the steps of the first episode.
        final class Counter: @unchecked Sendable { var step = 0 }  // used on the test's thread only
        let counter = Counter()
        let session = try PlaySession(
            environment: environment, environmentID: "fixture/moving-square",
            driver: .policy(outputKind: .qValues, outputWidth: 5) { _, outputs in
                let q = ScriptedFixtureAgent.qValues(step: counter.step, seed: 11)
                for i in 0..<5 { outputs[i] = q[i] }
                defer { counter.step += 1 }
                return (ScriptedFixtureAgent.action(step: counter.step, seed: 11), ScriptedFixtureAgent.value(step: counter.step, seed: 11))
            },
            recorder: recorder, seed: 11, scale: 4)
        while session.recordedEpisodes.isEmpty { try session.tick() }
        try session.draw()
        let reader = try EpisodeReader(store: store, episode: session.recordedEpisodes[0])
        #expect(reader.record.kind == .evaluation && reader.record.seed == 11)
        for t in 0..<(reader.stepCount - 1) {
            #expect(Int(reader.actions[t]) == ScriptedFixtureAgent.action(step: t, seed: 11))
            #expect(Array(reader.outputs(at: t)) == ScriptedFixtureAgent.qValues(step: t, seed: 11))
            #expect(reader.values[t] == ScriptedFixtureAgent.value(step: t, seed: 11))
        }
        // One more step in the next episode, then the panel shows the bars.
        try session.tick()
        try session.draw()
        let image = try session.windowImage()
        var amber = 0, blue = 0
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let pixel = (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
            if pixel == (255, 196, 60) { amber += 1 }
            if pixel == (80, 150, 235) { blue += 1 }
        }
        #expect(amber > 10 && blue > 10, "bars: amber \(amber), blue \(blue)")
    }

    @Test func watchWithoutADisplaySaysSoInOneLine() throws {
        let rl = TestEnvironment.packageRoot.appendingPathComponent(".build/release/rl")
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("rl"), rl]
        guard let program = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            Issue.record("the rl executable was not built beside the tests")
            return
        }
        let directory = Self.temporaryDirectory("nodisplay")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.recordEpisodes(in: directory)
        let process = Process()
        process.executableURL = program
        process.arguments = ["watch", directory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = nil
        environment["WAYLAND_DISPLAY"] = nil
        environment["SDL_VIDEODRIVER"] = nil
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(text)")
        #expect(text.hasPrefix("error: no display") && text.contains("rl export"), "stderr: \(text)")
    }
}
