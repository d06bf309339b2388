// F4: 32K, bank 0 at power-on (see HotspotBankedCartridge).

/// The F4 scheme (no ROM that ale-py ships uses it).
final class CartridgeF4: HotspotBankedCartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .f4, md5: md5, romBytes: romBytes, bankCount: 8,
                   firstHotspot: 0x0FF4, superchip: false, startBank: 0)
    }
}
