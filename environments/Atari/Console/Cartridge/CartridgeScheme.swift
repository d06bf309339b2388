// The bank-switching schemes by Stella's names. Detection (ROMSchemeDetector) can name every
// scheme ALE knows, so a ROM we cannot run is reported by what it is; `isSupported` says
// which ones this console builds.

/// A cartridge bank-switching scheme, named as Stella/ALE name it.
public enum CartridgeScheme: String, CaseIterable, Sendable, Codable {
    case twoK = "2K", fourK = "4K"
    case f8 = "F8", f6 = "F6", f4 = "F4"
    case f8sc = "F8SC", f6sc = "F6SC", f4sc = "F4SC"
    case e0 = "E0", fe = "FE", dpc = "DPC"
    // Known to ALE's detector but not built here.
    case ar = "AR", cv = "CV", e7 = "E7", fasc = "FASC", mb = "MB", mc = "MC"
    case threeE = "3E", threeF = "3F", ua = "UA"

    /// Whether `Cartridge.make` can build this scheme.
    public var isSupported: Bool {
        switch self {
        case .twoK, .fourK, .f8, .f6, .f4, .f8sc, .f6sc, .f4sc, .e0, .fe, .dpc: return true
        default: return false
        }
    }
}
