// F6: 16K, bank 0 at power-on (see HotspotBankedCartridge).

/// The F6 scheme (Road Runner, Crossbow, Solaris...).
final class CartridgeF6: HotspotBankedCartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .f6, md5: md5, romBytes: romBytes, bankCount: 4,
                   firstHotspot: 0x0FF6, superchip: false, startBank: 0)
    }
}
