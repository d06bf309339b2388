// Turning a file or a byte array into a running cartridge: read, identify (MD5), choose the
// scheme (ALE's MD5 override, else detection) and build it. Everything that can be wrong with
// a file is a typed `ROMError` that names the file; nothing here traps on bad input.
import Foundation

/// Why a file could not be used as a 2600 ROM.
public enum ROMError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read (missing, a directory, no permission...).
    case unreadable(file: String, reason: String)
    /// The file has no bytes.
    case empty(file: String)
    /// No 2600 scheme has a ROM of this size (ALE reads at most 512 KiB).
    case wrongSize(file: String, size: Int)
    /// The size and contents name a scheme this console does not build.
    case unsupportedScheme(file: String, scheme: CartridgeScheme)
    /// A game name or path that no search location holds.
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read ROM \(file): \(reason)"
        case .empty(let file):
            return "ROM \(file) is empty"
        case .wrongSize(let file, let size):
            return "\(file) is not an Atari 2600 ROM: no bank-switching scheme has \(size) bytes"
        case .unsupportedScheme(let file, let scheme):
            return "ROM \(file) uses the \(scheme.rawValue) bank-switching scheme, which this emulator does not support"
        case .notFound(let name, let searched):
            return "no ROM named \(name); looked in: \(searched.isEmpty ? "(no ROM folder found)" : searched.joined(separator: ", "))"
        }
    }
}

extension Cartridge {
    /// ALE reads at most this many bytes of a ROM file.
    public static let maximumROMSize = 512 * 1024

    /// Loads the ROM file at `url` and builds its cartridge.
    public static func load(contentsOf url: URL) throws -> Cartridge {
        let bytes: [UInt8]
        do {
            let values = try url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey, .fileSizeKey])
            if values.isDirectory == true {
                throw ROMError.unreadable(file: url.path, reason: "it is a directory")
            }
            // A device or pipe could be endless (/dev/zero): only regular files are read.
            if values.isRegularFile != true {
                throw ROMError.unreadable(file: url.path, reason: "it is not a regular file")
            }
            if let size = values.fileSize, size > maximumROMSize {
                throw ROMError.wrongSize(file: url.path, size: size)
            }
            bytes = [UInt8](try Data(contentsOf: url))
        } catch let error as ROMError {
            throw error
        } catch {
            throw ROMError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try load(bytes: bytes, name: url.path)
    }

    /// Builds the cartridge for ROM `bytes`; `name` is what errors and warnings call it.
    public static func load(bytes: [UInt8], name: String = "<bytes>") throws -> Cartridge {
        guard !bytes.isEmpty else { throw ROMError.empty(file: name) }
        guard bytes.count <= maximumROMSize else { throw ROMError.wrongSize(file: name, size: bytes.count) }
        let md5 = ROMDigest.md5Hex(bytes)
        guard let scheme = scheme(forROM: bytes, md5: md5) else {
            throw ROMError.wrongSize(file: name, size: bytes.count)
        }
        let cartridge = try make(scheme: scheme, md5: md5, bytes: bytes, name: name)
        cartridge.sourceName = name
        return cartridge
    }

    /// The scheme ALE runs `bytes` as: its MD5 override, else what detection says; nil for a
    /// size no scheme has.
    public static func scheme(forROM bytes: [UInt8], md5: String? = nil) -> CartridgeScheme? {
        ROMCatalog.schemeOverrides[md5 ?? ROMDigest.md5Hex(bytes)] ?? ROMSchemeDetector.detect(bytes)
    }

    /// Builds a cartridge of a given scheme (detection bypassed, as ALE's `type` setting does).
    public static func make(scheme: CartridgeScheme, md5: String, bytes: [UInt8], name: String) throws -> Cartridge {
        let needed: Int
        switch scheme {
        case .twoK: needed = 2048
        case .fourK: needed = 4096
        case .f8, .f8sc, .e0, .fe: needed = 8192
        case .f6, .f6sc: needed = 16384
        case .f4, .f4sc: needed = 32768
        case .dpc: needed = 10240
        default: throw ROMError.unsupportedScheme(file: name, scheme: scheme)
        }
        // ALE copies the scheme's size from its buffer; a shorter file would leave the rest
        // undefined, so it is refused.
        guard bytes.count >= needed else { throw ROMError.wrongSize(file: name, size: bytes.count) }
        switch scheme {
        case .twoK: return Cartridge2K(md5: md5, romBytes: bytes)
        case .fourK: return Cartridge4K(md5: md5, romBytes: bytes)
        case .f8: return CartridgeF8(md5: md5, romBytes: bytes, swapped: ROMCatalog.swappedF8.contains(md5))
        case .f8sc: return CartridgeF8SC(md5: md5, romBytes: bytes)
        case .f6: return CartridgeF6(md5: md5, romBytes: bytes)
        case .f6sc: return CartridgeF6SC(md5: md5, romBytes: bytes)
        case .f4: return CartridgeF4(md5: md5, romBytes: bytes)
        case .f4sc: return CartridgeF4SC(md5: md5, romBytes: bytes)
        case .e0: return CartridgeE0(md5: md5, romBytes: bytes)
        case .fe: return CartridgeFE(md5: md5, romBytes: bytes)
        case .dpc: return CartridgeDPC(md5: md5, romBytes: bytes)
        default: throw ROMError.unsupportedScheme(file: name, scheme: scheme)
        }
    }

    /// The ale-py game this ROM is (by MD5), or nil for a ROM ale-py does not list.
    public var game: String? { ROMCatalog.gameByMD5[md5] }

    /// A warning for the caller to print, or nil: set when the MD5 is not one ale-py supports,
    /// so the ROM runs with detected settings only.
    public var warning: String? {
        guard game == nil else { return nil }
        return "warning: ROM \(sourceName) (MD5 \(md5)) is not one ale-py supports; running it as \(scheme.rawValue) with default settings"
    }
}
