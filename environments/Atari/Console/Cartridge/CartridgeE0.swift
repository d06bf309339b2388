// E0 (Parker Brothers): 8 KiB as eight 1 KiB slices; the window shows four segments. Touching
// $FE0-$FE7 maps slice n into segment 0, $FE8-$FEF into segment 1, $FF0-$FF7 into segment 2;
// segment 3 always shows slice 7. Power-on maps slices 4, 5, 6 (ALE's CartridgeE0::reset).

/// The E0 scheme (Montezuma's Revenge, James Bond 007, Tutankham).
final class CartridgeE0: Cartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .e0, md5: md5, romBytes: romBytes, imageBytes: romBytes.prefix(8192),
                   fastStart: 0, fastCount: 0x0FE0)
        resetBanks()
    }

    override func resetBanks() {
        for segment in 0..<4 { mapSlice(segment, imageOffset: (4 + segment) * 1024) }
    }

    @inline(__always)
    private func touch(_ offset: UInt16) {
        if offset >= 0x0FE0 && offset <= 0x0FF7 {
            mapSlice(Int((offset - 0x0FE0) >> 3), imageOffset: Int(offset & 0x0007) * 1024)
        }
    }

    override func readSlow(_ address: UInt16) -> UInt8 {
        touch(address & 0x0FFF)
        return super.readSlow(address)
    }

    override func write(_ address: UInt16, _ value: UInt8) {
        touch(address & 0x0FFF)
    }
}
