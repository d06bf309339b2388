// 4K: a 4 KiB ROM filling the window; no bank switching.

/// The 4K scheme (Space Invaders, Seaquest, Q*bert...).
final class Cartridge4K: Cartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .fourK, md5: md5, romBytes: romBytes, imageBytes: romBytes.prefix(4096),
                   fastStart: 0, fastCount: 0x1000)
        showBank(0)
    }
}
