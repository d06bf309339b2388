// Which bank-switching scheme a ROM uses, decided as ALE's Stella 3.x core decides it
// (`Cartridge::autodetectType`): first by size, then by signatures (Superchip RAM areas full of
// one byte, the bank-switching instructions each scheme's games are known to contain). The
// result must agree with ALE's even where the heuristic is wrong, since ALE runs the ROM the
// way it detects it.

/// Stella's scheme detection, by size and signature.
public enum ROMSchemeDetector {
    /// The scheme ALE would auto-detect for `image`, or nil for a size it does not recognise.
    public static func detect(_ image: [UInt8]) -> CartridgeScheme? {
        let size = image.count
        if size != 0 && size % 8448 == 0 { return .ar }
        if size == 2048 || (size == 4096 && image[0..<2048] == image[2048..<4096]) {
            return isProbablyCV(image) ? .cv : .twoK
        }
        switch size {
        case 4096:
            return isProbablyCV(image) ? .cv : .fourK
        case 8192:
            if isProbablySuperchip(image) { return .f8sc }
            if image[0..<4096] == image[4096..<8192] { return .fourK }
            if isProbablyE0(image) { return .e0 }
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            if isProbablyUA(image) { return .ua }
            if isProbablyFE(image) { return .fe }
            return .f8
        case 10240, 10495, 10496:
            return .dpc
        case 12288:
            return .fasc
        case 16384:
            if isProbablySuperchip(image) { return .f6sc }
            if isProbablyE7(image) { return .e7 }
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            return .f6
        case 32768:
            if isProbablySuperchip(image) { return .f4sc }
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            return .f4
        case 65536:
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            return .mb
        case 131072:
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            return .mc
        default:
            if isProbably3E(image) { return .threeE }
            if isProbably3F(image) { return .threeF }
            return nil
        }
    }

    /// Stella's `searchForBytes`, quirks included: the last possible position is not tried,
    /// and after a hit the scan skips the signature plus one byte.
    static func containsSignature(_ image: [UInt8], _ signature: [UInt8], minimumHits: Int) -> Bool {
        guard signature.count <= image.count else { return false }
        var hits = 0
        var index = 0
        while index < image.count - signature.count {
            var matches = 0
            while matches < signature.count && image[index + matches] == signature[matches] { matches += 1 }
            if matches == signature.count {
                hits += 1
                index += signature.count
            }
            if hits >= minimumHits { break }
            index += 1
        }
        return hits >= minimumHits
    }

    /// Superchip carts: the first 256 bytes of every 4 KiB bank (where the RAM is mapped)
    /// hold one repeated byte.
    static func isProbablySuperchip(_ image: [UInt8]) -> Bool {
        for bank in 0..<(image.count / 4096) {
            let first = image[bank * 4096]
            for offset in 0..<256 where image[bank * 4096 + offset] != first { return false }
        }
        return true
    }

    static func isProbably3F(_ image: [UInt8]) -> Bool {
        containsSignature(image, [0x85, 0x3F], minimumHits: 2)            // STA $3F
    }

    static func isProbably3E(_ image: [UInt8]) -> Bool {
        containsSignature(image, [0x85, 0x3E, 0xA9, 0x00], minimumHits: 1) // STA $3E; LDA #0
    }

    static func isProbablyE0(_ image: [UInt8]) -> Bool {
        let signatures: [[UInt8]] = [
            [0x8D, 0xE0, 0x1F], [0x8D, 0xE0, 0x5F], [0x8D, 0xE9, 0xFF],  // STA $1FE0/$5FE0/$FFE9
            [0xAD, 0xE9, 0xFF], [0xAD, 0xED, 0xFF], [0xAD, 0xF3, 0xBF],  // LDA $FFE9/$FFED/$BFF3
        ]
        return signatures.contains { containsSignature(image, $0, minimumHits: 1) }
    }

    /// E7: the RAM area at $3800-$39FF holds one byte, and the 32 bytes on either side do not.
    static func isProbablyE7(_ image: [UInt8]) -> Bool {
        guard image.count >= 0x3A20 else { return false }
        let first = image[0x3800]
        for index in 0x3800..<0x3A00 where image[index] != first { return false }
        let before = image[(0x3800 - 32)..<0x3800].contains { $0 != first }
        let after = image[0x3A00..<(0x3A00 + 32)].contains { $0 != first }
        return before || after
    }

    static func isProbablyUA(_ image: [UInt8]) -> Bool {
        containsSignature(image, [0x8D, 0x40, 0x02], minimumHits: 1)       // STA $240
    }

    static func isProbablyCV(_ image: [UInt8]) -> Bool {
        containsSignature(image, [0x9D, 0xFF, 0xF3], minimumHits: 1)       // STA $F3FF,X
            || containsSignature(image, [0x99, 0x00, 0xF4], minimumHits: 1) // STA $F400,Y
    }

    static func isProbablyFE(_ image: [UInt8]) -> Bool {
        let signatures: [[UInt8]] = [
            [0x20, 0x00, 0xD0, 0xC6, 0xC5],  // JSR $D000; DEC $C5
            [0x20, 0xC3, 0xF8, 0xA5, 0x82],  // JSR $F8C3; LDA $82
            [0xD0, 0xFB, 0x20, 0x73, 0xFE],  // BNE *-3; JSR $FE73
            [0x20, 0x00, 0xF0, 0x84, 0xD6],  // JSR $F000; STY $D6
        ]
        return signatures.contains { containsSignature(image, $0, minimumHits: 1) }
    }
}
