// F4SC: 32K with Superchip RAM, bank 0 at power-on (see HotspotBankedCartridge).

/// The F4SC scheme (no ROM that ale-py ships uses it).
final class CartridgeF4SC: HotspotBankedCartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .f4sc, md5: md5, romBytes: romBytes, bankCount: 8,
                   firstHotspot: 0x0FF4, superchip: true, startBank: 0)
    }
}
