// `rl roms`: which Atari ROMs this machine has, where they were found, and what the emulator
// makes of each (MD5, size, bank-switching scheme, whether it runs, which ale-py game it is).
import AtariConsole
import ArgumentParser
import Foundation

struct RomsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roms",
        abstract: "List the Atari ROMs found, with MD5, size and bank-switching scheme.",
        discussion: """
            Searches, in order: each --dir, $ALE_ROMS_DIR, then the roms folder of an installed \
            ale-py (found through .tools/bin/python or python3). No ROM ships with rl.
            """)

    @Option(name: .customLong("dir"), help: "A folder of .bin ROMs to search first (repeatable).")
    var directories: [String] = []

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    struct Entry: Encodable {
        let file: String
        let game: String?
        let md5: String?
        let size: Int?
        let scheme: String?
        let supported: Bool
        let problem: String?
    }

    struct Report: Encodable {
        let searched: [String]
        let roms: [Entry]
    }

    func run() throws {
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--dir \(directory): no such folder")
            }
        }
        let standard = ROMLocator.standard()
        let locator = ROMLocator(searchDirectories: directories.map { URL(fileURLWithPath: $0, isDirectory: true) }
                                 + standard.searchDirectories)
        let entries = locator.allROMs().map(Self.describe)
        let searched = locator.searchDirectories.map(\.path)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Report(searched: searched, roms: entries)), as: UTF8.self))
            return
        }
        guard !entries.isEmpty else {
            throw CommandFailure("no ROMs found (searched: \(searched.isEmpty ? "nothing: set ALE_ROMS_DIR or install ale-py" : searched.joined(separator: ", ")))")
        }
        print("searched: \(searched.joined(separator: ", "))")
        let header = ["file", "game", "md5", "size", "scheme", "runs"]
        let rows = entries.map { entry in
            [entry.file, entry.game ?? "-", entry.md5 ?? "-", entry.size.map(String.init) ?? "-",
             entry.scheme ?? "-", entry.supported ? "yes" : "no: " + (entry.problem ?? "")]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
        let runnable = entries.filter(\.supported).count
        print("\(entries.count) ROMs, \(runnable) runnable")
    }

    /// What the emulator makes of one file; a file it cannot use is listed with the reason.
    static func describe(_ url: URL) -> Entry {
        let name = url.lastPathComponent
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            return Entry(file: name, game: nil, md5: nil, size: nil, scheme: nil, supported: false,
                         problem: "unreadable: \((error as NSError).localizedDescription)")
        }
        let md5 = ROMDigest.md5Hex(bytes)
        let scheme = Cartridge.scheme(forROM: bytes, md5: md5)
        var problem: String? = nil
        do {
            _ = try Cartridge.load(bytes: bytes, name: name)
        } catch let error as ROMError {
            if case .unsupportedScheme(_, let scheme) = error {
                problem = "\(scheme.rawValue) not supported"
            } else {
                problem = error.description
            }
        } catch {
            problem = "\(error)"
        }
        return Entry(file: name, game: ROMCatalog.gameByMD5[md5], md5: md5, size: bytes.count,
                     scheme: scheme?.rawValue, supported: problem == nil, problem: problem)
    }
}
