// The NTSC palette ALE uses to turn the TIA's palette indices into colours, and the grayscale
// table ALE derives from it (luminance 0.2989 R + 0.5870 G + 0.1140 B, rounded). Screens are
// kept as palette indices (what ALE's getScreen returns); conversion happens on demand.

/// ALE's NTSC palette and grayscale table.
public enum Palette {
    /// RGB (0xRRGGBB) of the 128 NTSC colours; palette index `i` (even) is entry `i / 2`.
    public static let ntscRGB: [UInt32] = [
        0x000000, 0x4A4A4A, 0x6F6F6F, 0x8E8E8E, 0xAAAAAA, 0xC0C0C0, 0xD6D6D6, 0xECECEC,
        0x484800, 0x69690F, 0x86861D, 0xA2A22A, 0xBBBB35, 0xD2D240, 0xE8E84A, 0xFCFC54,
        0x7C2C00, 0x904811, 0xA26221, 0xB47A30, 0xC3903D, 0xD2A44A, 0xDFB755, 0xECC860,
        0x901C00, 0xA33915, 0xB55328, 0xC66C3A, 0xD5824A, 0xE39759, 0xF0AA67, 0xFCBC74,
        0x940000, 0xA71A1A, 0xB83232, 0xC84848, 0xD65C5C, 0xE46F6F, 0xF08080, 0xFC9090,
        0x840064, 0x97197A, 0xA8308F, 0xB846A2, 0xC659B3, 0xD46CC3, 0xE07CD2, 0xEC8CE0,
        0x500084, 0x68199A, 0x7D30AD, 0x9246C0, 0xA459D0, 0xB56CE0, 0xC57CEE, 0xD48CFC,
        0x140090, 0x331AA3, 0x4E32B5, 0x6848C6, 0x7F5CD5, 0x956FE3, 0xA980F0, 0xBC90FC,
        0x000094, 0x181AA7, 0x2D32B8, 0x4248C8, 0x545CD6, 0x656FE4, 0x7580F0, 0x8490FC,
        0x001C88, 0x183B9D, 0x2D57B0, 0x4272C2, 0x548AD2, 0x65A0E1, 0x75B5EF, 0x84C8FC,
        0x003064, 0x185080, 0x2D6D98, 0x4288B0, 0x54A0C5, 0x65B7D9, 0x75CCEB, 0x84E0FC,
        0x004030, 0x18624E, 0x2D8169, 0x429E82, 0x54B899, 0x65D1AE, 0x75E7C2, 0x84FCD4,
        0x004400, 0x1A661A, 0x328432, 0x48A048, 0x5CBA5C, 0x6FD26F, 0x80E880, 0x90FC90,
        0x143C00, 0x355F18, 0x527E2D, 0x6E9C42, 0x87B754, 0x9ED065, 0xB4E775, 0xC8FC84,
        0x303800, 0x505916, 0x6D762B, 0x88923E, 0xA0AB4F, 0xB7C25F, 0xCCD86E, 0xE0EC7C,
        0x482C00, 0x694D14, 0x866A26, 0xA28638, 0xBB9F47, 0xD2B656, 0xE8CC63, 0xFCE070,
    ]

    /// Grayscale level of each of the 256 palette indices (odd indices as their even
    /// neighbour), as ALE's getScreenGrayscale computes it.
    public static let grayscale: [UInt8] = (0..<256).map { index in
        let rgb = ntscRGB[index >> 1]
        let r = Double((rgb >> 16) & 0xFF), g = Double((rgb >> 8) & 0xFF), b = Double(rgb & 0xFF)
        return UInt8((r * 0.2989 + g * 0.5870 + b * 0.1140).rounded())
    }

    /// Grayscale levels of two pixels at once: entry `first | second << 8` holds
    /// `grayscale[first] | grayscale[second] << 8` (128 KiB; a screen touches a few lines of
    /// it, one per pair of neighbouring colours it shows).
    nonisolated(unsafe) static let grayscalePairs: UnsafeMutablePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 65_536)
        for pair in 0..<65_536 {
            table[pair] = UInt16(grayscale[pair & 0xFF]) | UInt16(grayscale[pair >> 8]) << 8
        }
        return table
    }()

    /// Writes the grayscale image of `screen` (palette indices) to `output`, same length.
    public static func convertToGrayscale(_ screen: UnsafeBufferPointer<UInt8>,
                                          into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= screen.count,
                     "Palette.convertToGrayscale: output holds \(output.count) bytes, screen has \(screen.count)")
        guard let source = screen.baseAddress, let target = output.baseAddress else { return }
        let pairs = grayscalePairs
        let words = screen.count / 8
        convertWords(UnsafeRawPointer(source), into: UnsafeMutableRawPointer(target), words: words, pairs: pairs)
        grayscale.withUnsafeBufferPointer { table in
            for index in (words * 8)..<screen.count { target[index] = table[Int(source[index])] }
        }
    }

    /// Eight pixels per step: one 8-byte load, four lookups of two pixels, one 8-byte store
    /// (the byte-by-byte loop spent its time on one load and one store per pixel).
    @inline(__always)
    private static func convertWords(_ source: UnsafeRawPointer, into target: UnsafeMutableRawPointer,
                                     words: Int, pairs: UnsafeMutablePointer<UInt16>) {
        for word in 0..<words {
            let indices = source.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self)
            @inline(__always) func grey(_ shift: UInt64) -> UInt64 {
                UInt64(pairs[Int(truncatingIfNeeded: (indices >> shift) & 0xFFFF)]) << shift
            }
            target.storeBytes(of: grey(0) | grey(16) | grey(32) | grey(48), toByteOffset: word &* 8, as: UInt64.self)
        }
    }

    /// Writes the RGB image of `screen` (3 bytes per pixel) to `output`.
    public static func convertToRGB(_ screen: UnsafeBufferPointer<UInt8>,
                                    into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= screen.count * 3,
                     "Palette.convertToRGB: output holds \(output.count) bytes, screen needs \(screen.count * 3)")
        ntscRGB.withUnsafeBufferPointer { table in
            for index in 0..<screen.count {
                let rgb = table[Int(screen[index] >> 1)]
                output[3 * index] = UInt8(truncatingIfNeeded: rgb >> 16)
                output[3 * index + 1] = UInt8(truncatingIfNeeded: rgb >> 8)
                output[3 * index + 2] = UInt8(truncatingIfNeeded: rgb)
            }
        }
    }
}
