// F8: 8K, bank 1 at power-on (bank 0 for the two ROMs ALE lists as "F8 swapped" by MD5);
// hotspots $FF8-$FF9 (see HotspotBankedCartridge).

/// The F8 scheme (Asterix, Ms. Pac-Man, H.E.R.O....).
final class CartridgeF8: HotspotBankedCartridge {
    /// `swapped`: start in bank 0, for the ROMs ALE names "F8 swapped" by MD5.
    init(md5: String, romBytes: [UInt8], swapped: Bool = false) {
        super.init(scheme: .f8, md5: md5, romBytes: romBytes, bankCount: 2,
                   firstHotspot: 0x0FF8, superchip: false, startBank: swapped ? 0 : 1)
    }
}
