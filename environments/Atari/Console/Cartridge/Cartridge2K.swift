// 2K: a 2 KiB ROM mirrored twice in the 4 KiB window; no bank switching.

/// The 2K scheme (Pong, Breakout, Freeway, Boxing...).
final class Cartridge2K: Cartridge {
    init(md5: String, romBytes: [UInt8]) {
        super.init(scheme: .twoK, md5: md5, romBytes: romBytes, imageBytes: romBytes.prefix(2048),
                   fastStart: 0, fastCount: 0x1000)
        showBank(0)
    }
}
