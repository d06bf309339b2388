// Cartridges: scheme detection and MD5 on the ROMs ale-py ships (checked against `md5sum` and
// the schemes those games are documented to use), and each scheme's bank switching, Superchip
// RAM ports and state round trip on synthetic images whose every slice is tagged.
import AtariConsole
import Foundation
import Testing
import TestSupport

/// ale-py's ROM folder from the tool environment, or nil (with a note; a failure under
/// `make test`, which requires the oracles).
func aleROMFolder() -> URL? {
    if let python = TestEnvironment.toolsPython, let folder = ROMLocator.aleROMFolder(python: python.path) {
        return folder
    }
    if TestEnvironment.oraclesRequired {
        Issue.record("ale-py's ROM folder is missing from the tool environment")
    } else {
        TestEnvironment.note("ale-py's ROM folder not found: skipping the tests on real ROMs")
    }
    return nil
}

/// `md5sum`'s digest of a file.
func md5sum(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["md5sum", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(32))
}

/// An image of `kilobytes` 1 KiB slices, each filled with its own slice number.
func taggedImage(kilobytes: Int) -> [UInt8] {
    (0..<kilobytes).flatMap { [UInt8](repeating: UInt8($0), count: 1024) }
}

@Suite struct CartridgeTests {
    @Test(arguments: [
        ("pong", "2K"), ("breakout", "2K"), ("freeway", "2K"), ("boxing", "2K"),
        ("space_invaders", "4K"), ("seaquest", "4K"), ("qbert", "4K"),
        ("ms_pacman", "F8"), ("asterix", "F8"), ("hero", "F8"),
        ("montezuma_revenge", "E0"), ("tutankham", "E0"), ("jamesbond", "E0"),
        ("road_runner", "F6"), ("solaris", "F6"), ("robotank", "FE"),
        ("elevator_action", "F8SC"), ("darkchambers", "F6SC"), ("klax", "F6SC"),
    ])
    func detectsTheSchemeOfRealROMs(game: String, scheme: String) throws {
        guard let folder = aleROMFolder() else { return }
        let url = folder.appendingPathComponent(game + ".bin")
        let cartridge = try Cartridge.load(contentsOf: url)
        #expect(cartridge.scheme.rawValue == scheme)
        #expect(cartridge.md5 == (try md5sum(url)))
        #expect(cartridge.game == game)
        #expect(cartridge.warning == nil)
    }

    @Test func everyShippedROMHasMd5sumsDigestAndIsInTheCatalog() throws {
        guard let folder = aleROMFolder() else { return }
        let roms = ROMLocator(searchDirectories: [folder]).allROMs()
        #expect(roms.count > 90)
        for url in roms {
            let bytes = [UInt8](try Data(contentsOf: url))
            let digest = ROMDigest.md5Hex(bytes)
            #expect(digest == (try md5sum(url)), "\(url.lastPathComponent)")
            #expect(ROMCatalog.gameByMD5[digest] == url.deletingPathExtension().lastPathComponent)
            // Every shipped ROM either loads or is refused for an unsupported scheme.
            do {
                _ = try Cartridge.load(bytes: bytes, name: url.lastPathComponent)
            } catch let error as ROMError {
                guard case .unsupportedScheme = error else {
                    Issue.record("\(url.lastPathComponent): \(error)")
                    continue
                }
            }
        }
    }

    @Test func pitfallTwoLoadsAsDPCInBank1() throws {
        guard let folder = aleROMFolder() else { return }
        let cartridge = try Cartridge.load(contentsOf: folder.appendingPathComponent("pitfall2.bin"))
        #expect(cartridge.scheme == .dpc)
        #expect(cartridge.currentSlices == [4, 5, 6, 7])
    }

    @Test func f8StartsInBank1AndSwitchesOnReadsAndWritesOfTheHotspots() throws {
        let cart = try Cartridge.make(scheme: .f8, md5: "x", bytes: taggedImage(kilobytes: 8), name: "t")
        cart.reset(nextRandom: { Issue.record("F8 draws nothing"); return 0 })
        #expect(cart.read(0xF000) == 4)
        #expect(cart.read(0xFFF8) == 3, "reading the hotspot returns the byte of the new bank (0, slice 3)")
        #expect(cart.read(0xF400) == 1)
        cart.write(0x1FF9, 0)
        #expect(cart.read(0x1C00) == 7)
        #expect(cart.currentSlices == [4, 5, 6, 7])
    }

    @Test func f6AndF4HaveTheirHotspotRanges() throws {
        let f6 = try Cartridge.make(scheme: .f6, md5: "x", bytes: taggedImage(kilobytes: 16), name: "t")
        #expect(f6.read(0xF000) == 0)
        for bank in 0..<4 {
            _ = f6.read(UInt16(0xFFF6 + bank))
            #expect(f6.read(0xF800) == UInt8(bank * 4 + 2))
        }
        _ = f6.read(0xFFF5)
        #expect(f6.read(0xF800) == 14, "$FF5 is not an F6 hotspot")
        let f4 = try Cartridge.make(scheme: .f4, md5: "x", bytes: taggedImage(kilobytes: 32), name: "t")
        for bank in 0..<8 {
            f4.write(UInt16(0x1FF4 + bank), 0)
            #expect(f4.read(0x1000) == UInt8(bank * 4))
        }
    }

    @Test func superchipRAMHasAWritePortAndAReadPort() throws {
        let cart = try Cartridge.make(scheme: .f8sc, md5: "x", bytes: taggedImage(kilobytes: 8), name: "t")
        var draws = 0
        cart.reset(nextRandom: { draws += 1; return UInt32(0xABCD_EF00 + draws) })
        #expect(draws == 128)
        #expect(cart.superchipRAM[0] == 0x01 && cart.superchipRAM[127] == 0x80)
        #expect(cart.currentSlices == [4, 5, 6, 7], "F8SC starts in bank 1")
        cart.write(0x1005, 0x42)
        #expect(cart.read(0x1085) == 0x42)
        #expect(cart.read(0x1005) == 4, "reading the write port gives the ROM beneath")
        cart.write(0x1085, 0x99)
        #expect(cart.read(0x1085) == 0x42, "writing the read port does nothing")
        let f6sc = try Cartridge.make(scheme: .f6sc, md5: "x", bytes: taggedImage(kilobytes: 16), name: "t")
        f6sc.reset(nextRandom: { 0 })
        #expect(f6sc.currentSlices == [0, 1, 2, 3])
        let f4sc = try Cartridge.make(scheme: .f4sc, md5: "x", bytes: taggedImage(kilobytes: 32), name: "t")
        f4sc.reset(nextRandom: { 0 })
        f4sc.write(0x107F, 7)
        #expect(f4sc.read(0x10FF) == 7)
    }

    @Test func e0MapsSlicesIntoThreeSegmentsAndFixesTheLast() throws {
        let cart = try Cartridge.make(scheme: .e0, md5: "x", bytes: taggedImage(kilobytes: 8), name: "t")
        cart.reset(nextRandom: { 0 })
        #expect(cart.currentSlices == [4, 5, 6, 7])
        _ = cart.read(0x1FE2)
        #expect(cart.read(0x1000) == 2)
        cart.write(0x1FEB, 0)
        #expect(cart.read(0x1400) == 3)
        _ = cart.read(0x1FF1)
        #expect(cart.read(0x1BFF) == 1)
        #expect(cart.read(0x1FF8) == 7, "$FF8 is past the hotspots; segment 3 stays on slice 7")
        #expect(cart.currentSlices == [2, 3, 1, 7])
    }

    @Test func feChoosesTheBankFromA13() throws {
        var image = [UInt8](repeating: 0xAA, count: 4096) + [UInt8](repeating: 0xBB, count: 4096)
        image[0x0123] = 1
        image[0x1123] = 2
        let cart = try Cartridge.make(scheme: .fe, md5: "x", bytes: image, name: "t")
        #expect(cart.read(0xF123) == 1, "A13 set: the first 4 KiB")
        #expect(cart.read(0xD123) == 2, "A13 clear: the second 4 KiB")
        #expect(cart.read(0x1123) == 2)
        #expect(cart.read(0x3123) == 1)
        #expect(!cart.watchesEveryAccess)
    }

    @Test func twoKMirrorsItsImage() throws {
        let cart = try Cartridge.make(scheme: .twoK, md5: "x", bytes: taggedImage(kilobytes: 2), name: "t")
        #expect(cart.read(0xF000) == 0 && cart.read(0xF400) == 1 && cart.read(0xF800) == 0 && cart.read(0xFFFF) == 1)
    }

    @Test func stateRoundTripsAndRejectsForeignState() throws {
        let cart = try Cartridge.make(scheme: .f6sc, md5: "x", bytes: taggedImage(kilobytes: 16), name: "t")
        cart.reset(nextRandom: { 3 })
        _ = cart.read(0x1FF8)
        cart.write(0x1010, 0x77)
        let saved = cart.saveState()
        _ = cart.read(0x1FF6)
        cart.write(0x1010, 0x00)
        try cart.restoreState(saved)
        #expect(cart.currentSlices == [8, 9, 10, 11])
        #expect(cart.read(0x1090) == 0x77)
        #expect(cart.saveState() == saved)
        #expect(throws: CartridgeStateError.self) { try cart.restoreState([0, 1, 2, 3]) }
        #expect(throws: CartridgeStateError.self) { try cart.restoreState([99, 1, 2, 3] + [UInt8](repeating: 0, count: 128)) }
        #expect(cart.saveState() == saved, "a rejected state changes nothing")
    }

    @Test func anUnknownROMRunsWithAWarning() throws {
        let cart = try Cartridge.load(bytes: taggedImage(kilobytes: 4), name: "homebrew.bin")
        #expect(cart.scheme == .fourK)
        #expect(cart.game == nil)
        #expect(cart.warning?.contains("homebrew.bin") == true)
    }
}
