// ROM loading from outside input: MD5 against known digests and `md5sum`, each typed error
// (empty, wrong size, unsupported scheme, unreadable), a seeded fuzz of random and truncated
// files (nothing traps, every refusal is a ROMError, every accepted ROM runs), and the lookup
// order (explicit path, $ALE_ROMS_DIR, ale-py's folder).
import AtariConsole
import Foundation
import Testing
import TestSupport

/// SplitMix64: a small seeded generator so the fuzz inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A bus with 128 bytes of RAM mirrored below $1000 and the cartridge above, enough to run
/// arbitrary ROM code for a while.
final class CartridgeOnlyBus: CPUBus {
    let cartridge: Cartridge
    var ram = [UInt8](repeating: 0, count: 128)
    init(_ cartridge: Cartridge) { self.cartridge = cartridge }
    func read(_ address: UInt16) -> UInt8 {
        address & 0x1000 != 0 ? cartridge.read(address) : ram[Int(address & 0x7F)]
    }
    func write(_ address: UInt16, _ value: UInt8) {
        if address & 0x1000 != 0 { cartridge.write(address, value) } else { ram[Int(address & 0x7F)] = value }
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rl-rom-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct ROMTests {
    @Test func md5OfKnownStrings() {
        #expect(ROMDigest.md5Hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(ROMDigest.md5Hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(ROMDigest.md5Hex(Array("The quick brown fox jumps over the lazy dog".utf8))
                == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(ROMDigest.md5Hex(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
                == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func md5MatchesMd5sumAcrossPaddingBoundaries() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SplitMix64(state: 7)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4096] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let url = directory.appendingPathComponent("\(length).bin")
            try Data(bytes).write(to: url)
            #expect(ROMDigest.md5Hex(bytes) == (try md5sum(url)), "length \(length)")
        }
    }

    @Test func emptyFileIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("empty.bin")
        try Data().write(to: url)
        #expect(throws: ROMError.empty(file: url.path)) { try Cartridge.load(contentsOf: url) }
    }

    @Test func oddSizesAreRefusedAsWrongSize() {
        for size in [1, 100, 2047, 2049, 3000, 5000, 8191, 20000] {
            #expect(throws: ROMError.wrongSize(file: "x.bin", size: size)) {
                try Cartridge.load(bytes: [UInt8](repeating: 0xEA, count: size), name: "x.bin")
            }
        }
        #expect(throws: ROMError.wrongSize(file: "big.bin", size: 512 * 1024 + 1)) {
            try Cartridge.load(bytes: [UInt8](repeating: 0, count: 512 * 1024 + 1), name: "big.bin")
        }
    }

    @Test func schemesWeDoNotBuildAreNamed() {
        #expect(throws: ROMError.unsupportedScheme(file: "ar.bin", scheme: .ar)) {
            try Cartridge.load(bytes: [UInt8](repeating: 1, count: 8448), name: "ar.bin")
        }
        #expect(throws: ROMError.unsupportedScheme(file: "fasc.bin", scheme: .fasc)) {
            try Cartridge.load(bytes: [UInt8](repeating: 1, count: 12288), name: "fasc.bin")
        }
        var threeF = taggedImage(kilobytes: 8)
        // Two STA $3F apart: Stella's scan skips the byte after a hit, so adjacent ones count once.
        threeF[100...101] = [0x85, 0x3F]
        threeF[200...201] = [0x85, 0x3F]
        threeF[4096] = 9
        #expect(throws: ROMError.unsupportedScheme(file: "3f.bin", scheme: .threeF)) {
            try Cartridge.load(bytes: threeF, name: "3f.bin")
        }
    }

    @Test func unreadableFilesAreNamed() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.bin")
        #expect {
            try Cartridge.load(contentsOf: missing)
        } throws: { error in
            guard case ROMError.unreadable(let file, _) = error else { return false }
            return file == missing.path
        }
        #expect {
            try Cartridge.load(contentsOf: directory)
        } throws: { error in
            guard case ROMError.unreadable(let file, let reason) = error else { return false }
            return file == directory.path && reason.contains("directory")
        }
        // An endless device must be refused, not read until memory runs out.
        #expect {
            try Cartridge.load(contentsOf: URL(fileURLWithPath: "/dev/zero"))
        } throws: { error in
            guard case ROMError.unreadable(_, let reason) = error else { return false }
            return reason.contains("regular file")
        }
    }

    @Test func fuzzedAndTruncatedFilesNeverTrapAndAcceptedOnesRun() throws {
        var random = SplitMix64(state: 2600)
        var inputs: [[UInt8]] = []
        let sizes = [0, 1, 2048, 4096, 8192, 8448, 10240, 10495, 12288, 16384, 32768, 65536, 131072]
        for _ in 0..<3000 {
            let size = Bool.random(using: &random) ? sizes.randomElement(using: &random)! : Int.random(in: 0...40000, using: &random)
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Plant the signatures and patterns detection looks for, so every branch is taken.
            if size >= 8192 && Bool.random(using: &random) {
                let signatures: [[UInt8]] = [[0x8D, 0xE0, 0x1F], [0x20, 0x00, 0xD0, 0xC6, 0xC5], [0x85, 0x3E, 0xA9, 0x00],
                                             [0x85, 0x3F, 0x85, 0x3F], [0x8D, 0x40, 0x02], [0x9D, 0xFF, 0xF3]]
                let signature = signatures.randomElement(using: &random)!
                let at = Int.random(in: 0..<(size - 8), using: &random)
                bytes.replaceSubrange(at..<(at + signature.count), with: signature)
            }
            if size >= 4096 && size % 4096 == 0 && Bool.random(using: &random) {
                for bank in 0..<(size / 4096) { for offset in 0..<256 { bytes[bank * 4096 + offset] = 0xFF } }
            }
            inputs.append(bytes)
        }
        if let folder = aleROMFolder() {
            for url in ROMLocator(searchDirectories: [folder]).allROMs() {
                let bytes = [UInt8](try Data(contentsOf: url))
                for _ in 0..<6 { inputs.append(Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))) }
            }
        }
        #expect(inputs.count >= 3000)
        var loaded = 0
        for bytes in inputs {
            do {
                let cartridge = try Cartridge.load(bytes: bytes, name: "fuzz")
                loaded += 1
                cartridge.reset(nextRandom: { UInt32.random(in: 0...UInt32.max, using: &random) })
                let bus = CartridgeOnlyBus(cartridge)
                var cpu = CPU6502()
                cpu.reset(bus: bus)
                for _ in 0..<2000 where !cpu.halted { _ = cpu.step(bus: bus) }
                try cartridge.restoreState(cartridge.saveState())
            } catch is ROMError {
                continue
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
        #expect(loaded > 100, "the fuzz must also exercise accepted ROMs")
    }

    @Test func lookupPrefersAnExplicitPathThenTheFoldersInOrder() throws {
        let first = try temporaryDirectory(), second = try temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try Data([1]).write(to: second.appendingPathComponent("space_invaders.bin"))
        try Data([2]).write(to: second.appendingPathComponent("pong.bin"))
        try Data([3]).write(to: first.appendingPathComponent("pong.bin"))
        let locator = ROMLocator(searchDirectories: [first, second])
        #expect(try locator.locate("pong") == first.appendingPathComponent("pong.bin"))
        #expect(try locator.locate("Space-Invaders") == second.appendingPathComponent("space_invaders.bin"))
        let explicit = second.appendingPathComponent("pong.bin")
        #expect(try locator.locate(explicit.path) == explicit)
        #expect(locator.allROMs().map(\.lastPathComponent) == ["pong.bin", "space_invaders.bin"])
        #expect(locator.allROMs().first == first.appendingPathComponent("pong.bin"))
        #expect(throws: ROMError.notFound(name: "zork", searched: [first.path, second.path])) {
            try locator.locate("zork")
        }
        #expect(throws: ROMError.self) { try locator.locate("/no/such/rom.bin") }
    }

    @Test func aleRomsDirComesBeforeAlePy() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let locator = ROMLocator.standard(environment: ["ALE_ROMS_DIR": folder.path],
                                          pythons: TestEnvironment.toolsPython.map { [$0.path] } ?? [])
        #expect(locator.searchDirectories.first?.path == folder.path)
        if TestEnvironment.toolsPython != nil {
            #expect(locator.searchDirectories.count == 2)
            #expect(locator.searchDirectories.last?.path.hasSuffix("ale_py/roms") == true)
        }
    }
}
