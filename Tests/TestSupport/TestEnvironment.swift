// Where tests find what lives outside the package: the shared test data (../shared/data) and
// the Python tool environment with the oracles (numpy, safetensors, MiniGrid, ale-py) that
// `make test` creates under .tools/. Tests that need either are skipped, with a note, when it
// is absent (a user's clone without ../shared), except under `make test`, which sets
// RL_TOOLS_PYTHON and so turns a missing oracle into a failure rather than a silent skip.
import Foundation

public enum TestEnvironment {
    /// The package's root folder, found from this file's path at compile time.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data` beside the checkout, or `$RL_SHARED_DATA`; nil where absent.
    public static var sharedData: URL? {
        if let explicit = ProcessInfo.processInfo.environment["RL_SHARED_DATA"] {
            return URL(fileURLWithPath: explicit)
        }
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A file under the shared test data, or nil (with a note on standard error) where the
    /// shared folder is not beside this checkout.
    public static func sharedFile(_ relativePath: String) -> URL? {
        guard let data = sharedData else {
            note("../shared/data is absent: skipping the test that needs \(relativePath)")
            return nil
        }
        let url = data.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// True where `make test` asked for the oracles: then their absence is a failure.
    public static var oraclesRequired: Bool {
        ProcessInfo.processInfo.environment["RL_TOOLS_PYTHON"] != nil
    }

    /// The tool environment's Python interpreter: `$RL_TOOLS_PYTHON`, else `.tools/bin/python`
    /// under the package; nil where neither exists.
    public static var toolsPython: URL? {
        if let explicit = ProcessInfo.processInfo.environment["RL_TOOLS_PYTHON"] {
            return URL(fileURLWithPath: explicit)
        }
        let url = packageRoot.appendingPathComponent(".tools/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Whether the oracle tests can run: the interpreter exists and imports `module`.
    public static func hasPythonModule(_ module: String) -> Bool {
        guard let python = toolsPython else { return false }
        return (try? runPython(python, ["-c", "import \(module)"]))?.status == 0
    }

    /// Runs a Python script of the tool environment and returns its standard output.
    /// Throws when the interpreter is missing or the script fails (with its standard error).
    @discardableResult
    public static func python(_ arguments: [String], input: Data? = nil) throws -> String {
        guard let python = toolsPython else { throw ToolError.missingPython }
        let result = try runPython(python, arguments, input: input)
        guard result.status == 0 else {
            throw ToolError.scriptFailed(arguments.joined(separator: " "), result.stderr)
        }
        return result.stdout
    }

    public enum ToolError: Error, CustomStringConvertible {
        case missingPython
        case scriptFailed(String, String)
        public var description: String {
            switch self {
            case .missingPython: return "the Python tool environment is missing: run `make tools`"
            case .scriptFailed(let args, let err): return "python \(args) failed:\n\(err)"
            }
        }
    }

    public static func note(_ message: String) {
        FileHandle.standardError.write(Data("note: \(message)\n".utf8))
    }

    private static func runPython(_ python: URL, _ arguments: [String], input: Data? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(input) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty script cannot fill a pipe and stall.
        var outData = Data()
        let errBox = PipeDataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                String(decoding: errData, as: UTF8.self))
    }
}

/// Standard error's bytes, handed from the reading thread to the waiting one. Safe to share:
/// written once before `group.leave()`, read only after `group.wait()`.
private final class PipeDataBox: @unchecked Sendable {
    var data = Data()
}
