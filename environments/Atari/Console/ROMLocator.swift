// Where ROMs are found, in the order DESIGN.md fixes: an explicit path, then `$ALE_ROMS_DIR`,
// then the `roms` folder of an installed ale-py (asked of Python, since that is where pip put
// it). Game names follow ale-py's file names: `pong` or `space-invaders` -> `space_invaders.bin`.
// No ROM ships with this package.
import Foundation

/// Finds ROM files by path or by game name.
public struct ROMLocator: Sendable {
    /// Folders searched for `<name>.bin`, in order.
    public let searchDirectories: [URL]

    public init(searchDirectories: [URL]) {
        self.searchDirectories = searchDirectories
    }

    /// The standard search: `$ALE_ROMS_DIR` (when set), then ale-py's `roms` folder as the
    /// Python interpreters `pythons` report it (the first that has ale-py wins). By default
    /// these are `.tools/bin/python` under the current directory, then `python3` on the PATH.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        pythons: [String]? = nil
    ) -> ROMLocator {
        var directories: [URL] = []
        if let explicit = environment["ALE_ROMS_DIR"], !explicit.isEmpty {
            directories.append(URL(fileURLWithPath: explicit, isDirectory: true))
        }
        let candidates = pythons ?? [
            FileManager.default.currentDirectoryPath + "/.tools/bin/python", "python3",
        ]
        for python in candidates {
            if let folder = aleROMFolder(python: python) {
                directories.append(folder)
                break
            }
        }
        return ROMLocator(searchDirectories: directories)
    }

    /// The file for `nameOrPath`: an existing file path as given, else `<game>.bin` in the
    /// first search folder that has it.
    public func locate(_ nameOrPath: String) throws -> URL {
        let asPath = URL(fileURLWithPath: nameOrPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: asPath.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return asPath
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".bin") {
            throw ROMError.notFound(name: nameOrPath, searched: [asPath.path])
        }
        let file = ROMLocator.fileName(forGame: nameOrPath)
        for directory in searchDirectories {
            let url = directory.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw ROMError.notFound(name: nameOrPath, searched: searchDirectories.map(\.path))
    }

    /// Every `.bin` file in the search folders, by folder order then name; a name found in an
    /// earlier folder hides later ones, as `locate` would.
    public func allROMs() -> [URL] {
        var seen = Set<String>()
        var found: [URL] = []
        for directory in searchDirectories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".bin") && !seen.contains(name) {
                seen.insert(name)
                found.append(directory.appendingPathComponent(name))
            }
        }
        return found
    }

    /// `Space-Invaders` -> `space_invaders.bin` (ale-py's snake_case file names).
    public static func fileName(forGame game: String) -> String {
        game.lowercased().replacingOccurrences(of: "-", with: "_") + ".bin"
    }

    /// ale-py's `roms` folder according to `python`, found without importing ale-py (which
    /// would load its emulator); nil when that interpreter is missing or has no ale-py.
    public static func aleROMFolder(python: String) -> URL? {
        let process = Process()
        if python.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = []
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python]
        }
        process.arguments! += ["-c",
            "import importlib.util as u; s = u.find_spec('ale_py'); "
            + "print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let folder = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !folder.isEmpty else { return nil }
        let roms = URL(fileURLWithPath: folder, isDirectory: true).appendingPathComponent("roms", isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: roms.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return roms
    }
}
