// Atari's standard bank switching, shared by F8, F6, F4 and their Superchip variants: touching
// (reading or writing) offset $FF8/$FF6/$FF4 + n of the window maps 4 KiB bank n. The
// Superchip adds 128 bytes of RAM: written through $1000-$107F, read through $1080-$10FF.
// Reading the write port returns the ROM beneath (ALE maps no RAM there for reads) and
// writing the read port does nothing.

/// A cartridge with 4 KiB banks selected by hotspot accesses near the top of the window.
class HotspotBankedCartridge: Cartridge {
    /// Window offset of the hotspot selecting bank 0.
    let firstHotspot: UInt16
    let bankCount: UInt16
    let startBank: Int
    let hasSuperchip: Bool

    init(scheme: CartridgeScheme, md5: String, romBytes: [UInt8], bankCount: Int,
         firstHotspot: UInt16, superchip: Bool, startBank: Int)
    {
        self.bankCount = UInt16(bankCount)
        self.firstHotspot = firstHotspot
        self.startBank = startBank
        hasSuperchip = superchip
        let fastStart: UInt16 = superchip ? 0x100 : 0
        super.init(scheme: scheme, md5: md5, romBytes: romBytes,
                   imageBytes: romBytes.prefix(bankCount * 4096), ramSize: superchip ? 128 : 0,
                   fastStart: fastStart, fastCount: firstHotspot - fastStart)
        showBank(startBank)
    }

    override func resetBanks() { showBank(startBank) }

    override func readSlow(_ address: UInt16) -> UInt8 {
        let offset = address & 0x0FFF
        if hasSuperchip && offset & 0xF80 == 0x080 { return ram[Int(offset & 0x7F)] }
        let bank = offset &- firstHotspot
        if bank < bankCount { showBank(Int(bank)) }
        return super.readSlow(address)
    }

    override func write(_ address: UInt16, _ value: UInt8) {
        let offset = address & 0x0FFF
        if hasSuperchip && offset < 0x080 {
            ram[Int(offset)] = value
            return
        }
        let bank = offset &- firstHotspot
        if bank < bankCount { showBank(Int(bank)) }
    }
}
