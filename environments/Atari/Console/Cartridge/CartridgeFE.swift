// FE (Activision's 8K): two 4 KiB banks chosen by address line A13 of each cartridge access,
// as ALE's CartridgeFE does it: $Fxxx (A13 set) shows the first 4 KiB of the image, $Dxxx
// (A13 clear) the second. The real cartridge latches the bank from the stack traffic of
// JSR/RTS; code that jumps between $D000 and $F000 sees the same thing either way, and
// matching ALE is the goal, so the bank is a pure function of the address and there is no
// state to save.

/// The FE scheme (Robot Tank among the ROMs ale-py ships).
final class CartridgeFE: Cartridge {
    init(md5: String, romBytes: [UInt8]) {
        // No fast range: every read depends on A13.
        super.init(scheme: .fe, md5: md5, romBytes: romBytes, imageBytes: romBytes.prefix(8192),
                   fastStart: 0, fastCount: 0)
        showBank(0)
    }

    override func resetBanks() { showBank(0) }

    /// Every read is plain ROM from the half A13 selects: the interpreter reads it inline
    /// (A13 set: the image's first 4 KiB; clear: the second).
    override var interpreterWindow: (UnsafeMutablePointer<UInt8>, UInt16, UInt16) {
        (image, 0, 0x1000)
    }

    override var banksOnA13: Bool { true }

    override func readSlow(_ address: UInt16) -> UInt8 {
        image[Int(address & 0x0FFF) + (address & 0x2000 == 0 ? 4096 : 0)]
    }
}
