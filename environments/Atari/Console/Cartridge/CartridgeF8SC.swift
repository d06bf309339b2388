// F8SC: 8K with Superchip RAM, bank 1 at power-on (see HotspotBankedCartridge).

/// The F8SC scheme (Elevator Action).
final class CartridgeF8SC: HotspotBankedCartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .f8sc, md5: md5, romBytes: romBytes, bankCount: 2,
                   firstHotspot: 0x0FF8, superchip: true, startBank: 1)
    }
}
