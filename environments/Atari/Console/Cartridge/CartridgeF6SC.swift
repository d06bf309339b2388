// F6SC: 16K with Superchip RAM, bank 0 at power-on (see HotspotBankedCartridge).

/// The F6SC scheme (Dark Chambers, Klax).
final class CartridgeF6SC: HotspotBankedCartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .f6sc, md5: md5, romBytes: romBytes, bankCount: 4,
                   firstHotspot: 0x0FF6, superchip: true, startBank: 0)
    }
}
