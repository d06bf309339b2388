// Errors that reach the user, as DESIGN.md's command-line contract puts it: one line
// `error: ...` on standard error with a hint, exit status 2 for usage and 1 for failures,
// never a Swift stack trace.
import ArgumentParser
import Foundation

/// A failure outside the user's command line (a file, a ROM, a run directory).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Standard error as a TextOutputStream, for `print(..., to:)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

extension RLTool {
    /// Parses and runs a subcommand with the exit statuses of DESIGN.md: 0 for success and
    /// help, 2 for usage errors (ArgumentParser's and `ValidationError`), 1 for anything else
    /// thrown while running.
    static func main() {
        var standardError = StandardError()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch is CleanExit {
            Foundation.exit(0)
        } catch let error as ValidationError {
            print("error: \(error.message)", to: &standardError)
            print("hint: see `rl help` or the subcommand's --help", to: &standardError)
            Foundation.exit(2)
        } catch where exitCode(for: error) == .success {
            // A command group run without a subcommand asks for its help.
            print(fullMessage(for: error))
            Foundation.exit(0)
        } catch {
            print("error: \(error)", to: &standardError)
            Foundation.exit(1)
        }
    }

    private static func exitForParseError(_ error: Error) -> Never {
        if exitCode(for: error) == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        var standardError = StandardError()
        print("error: \(message(for: error))", to: &standardError)
        print("hint: see `rl help` or the subcommand's --help", to: &standardError)
        Foundation.exit(2)
    }
}
