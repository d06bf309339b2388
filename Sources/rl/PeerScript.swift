// A peer's benchmark script from ../shared/anchors, run with the peers' Python so its figures
// can stand beside ours in the same run. The bench commands share this; each parses its own
// script's output.
import Foundation

enum PeerScript {
    /// Runs `python [prefix...] ../shared/anchors/NAME arguments...` (the anchors folder next to
    /// the checkout, the working directory being the checkout's top) and returns its standard
    /// output. `prefix` goes before the script path (e.g. `-c CODE` that runs the script itself).
    static func run(python: String, name: String, arguments: [String], prefix: [String] = []) throws -> String {
        let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .deletingLastPathComponent().appendingPathComponent("shared/anchors/\(name)").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw CommandFailure("the peer script \(script) is missing (run from the checkout's top)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = prefix + [script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw CommandFailure("cannot run the peer \(name) with \(python): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
