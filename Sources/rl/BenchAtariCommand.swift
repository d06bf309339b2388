// `rl bench atari GAME`: emulated frames per second on one core, the console driven as ALE
// drives it, with a new random action every 4 frames (ale_fps.py's protocol). Minimal action
// sets need the game settings of the Atari environment, so the actions are drawn from ALE's
// 18 joystick actions, which every game accepts (ALE maps them to paddle moves for paddle
// games). Measured without and with producing the grayscale screen, as ale_fps.py measures
// act() and act() + getScreenGrayscale. With --peer it also runs ale_fps.py in the same
// command and prints both sides and the ratios.
import ArgumentParser
import AtariConsole
import Foundation

struct BenchAtariCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atari", abstract: "Emulated Atari frames per second (one core).")

    @Argument(help: "Game (ale-py ROM name) or ROM path.")
    var game: String

    @Option(help: "Frames per measurement.")
    var frames = 20_000

    @Option(help: "Measurements (the median is reported).")
    var repeats = 3

    @Option(help: "Run ale_fps.py with this Python and report its figures beside ours.")
    var peer: String?

    @Flag(help: ArgumentHelp(
        "Time both sides in CPU seconds, not wall-clock seconds.",
        discussion: "On a shared machine the wall clock measures the scheduler as much as the emulator. "
            + "Ours is timed with the measuring thread's CPU clock; ale_fps.py is run with its "
            + "time.perf_counter replaced by time.process_time (the process's CPU clock), so its own "
            + "loops are timed unchanged otherwise."))
    var cpuTime = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard frames > 0 else { throw ValidationError("--frames must be positive, got \(frames)") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive, got \(repeats)") }
    }

    func run() throws {
        let url = try ROMLocator.standard().locate(game)
        let name = url.deletingPathExtension().lastPathComponent
        // Ours and the peer take turns, once per repeat, so that both see the same load on
        // a shared machine; each figure is the median of its repeats.
        var plain = [Double](), withScreen = [Double](), peerPlain = [Double](), peerScreen = [Double]()
        for _ in 0..<repeats {
            plain.append(try measure(url: url, name: name, screen: false))
            withScreen.append(try measure(url: url, name: name, screen: true))
            if let peer {
                let (a, b) = try runPeer(python: peer, game: name)
                peerPlain.append(a)
                peerScreen.append(b)
            }
        }
        let ours = (median(plain), median(withScreen))
        let peerFigures = peer == nil ? nil : (median(peerPlain), median(peerScreen))
        if json {
            var fields = ["\"game\": \"\(name)\"", "\"frames_per_sec\": \(Int(ours.0))",
                          "\"frames_per_sec_with_screen\": \(Int(ours.1))", "\"frames\": \(frames)",
                          "\"repeats\": \(repeats)", "\"actions\": \"ALE's 18 joystick actions, new every 4 frames\"",
                          "\"screen\": \"grayscale 160x\(210)\"", "\"clock\": \"\(cpuTime ? "cpu" : "wall")\""]
            if let (a, b) = peerFigures {
                fields += ["\"ale_py_frames_per_sec\": \(Int(a))", "\"ale_py_frames_per_sec_with_screen\": \(Int(b))",
                           String(format: "\"ratio\": %.2f, \"ratio_with_screen\": %.2f", ours.0 / a, ours.1 / b)]
            }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("\(name): \(Int(ours.0)) frames/s, \(Int(ours.1)) frames/s with the grayscale screen "
                  + "(median of \(repeats) x \(frames) frames, \(cpuTime ? "CPU" : "wall-clock") seconds)")
            if let (a, b) = peerFigures {
                print(String(format: "ale-py: %d frames/s, %d with screen (median of %d runs); ratio %.2fx, %.2fx",
                             Int(a), Int(b), repeats, ours.0 / a, ours.1 / b))
            }
        }
    }

    /// Frames per second over `frames` frames after ALE's reset sequence.
    private func measure(url: URL, name: String, screen: Bool) throws -> Double {
        let driver = try ConsoleDriver.aleLoaded(romURL: url, game: name)
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 300 * 160)
        defer { output.deallocate() }
        var random = UInt64(0x2545_F491_4F6C_DD1D)
        var action = 0
        let start = now()
        for frame in 0..<frames {
            if frame % 4 == 0 {
                random ^= random << 13; random ^= random >> 7; random ^= random << 17
                action = Int(random % 18)
            }
            driver.step(action)
            if screen { Palette.convertToGrayscale(driver.console.screen, into: output) }
        }
        return Double(frames) / (now() - start)
    }

    /// Seconds on the clock this run measures with: monotonic wall clock, or this thread's
    /// CPU time with --cpu-time.
    private func now() -> Double {
        var time = timespec()
        clock_gettime(cpuTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs ale_fps.py (next to the checkout in ../shared/anchors) and reads its two figures.
    private func runPeer(python: String, game: String) throws -> (Double, Double) {
        // With --cpu-time: the peer's own script, its perf_counter swapped for the process CPU clock.
        let prefix = cpuTime ? ["-c", "import runpy, sys, time; time.perf_counter = time.process_time; "
                                + "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"] : []
        let text = try PeerScript.run(python: python, name: "ale_fps.py", arguments: [game], prefix: prefix)
        let numbers = text.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: #"[0-9]+ frames/s"#, options: .regularExpression) else { return nil }
            return Double(line[range].split(separator: " ")[0])
        }
        guard numbers.count == 2 else { throw CommandFailure("unexpected output from ale_fps.py: \(text)") }
        return (numbers[0], numbers[1])
    }
}
