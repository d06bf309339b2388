// The cartridge port: the base class every bank-switching scheme derives from, shaped for the
// console's hot path. ALE/Stella map most of the cartridge window straight into a page table
// and only call the cartridge for pages with hotspots or RAM; here `read` does the same with a
// final method: addresses in the scheme's plain-ROM range are one load from `window`, a 4 KiB
// copy of what is currently mapped (bank switches copy 1 KiB per changed slice, which is far
// rarer than reads), and the rest go to the scheme's `readSlow`.

/// A cartridge: ROM image, bank-switching state and (for the Superchip variants) RAM.
///
/// The console calls `read`/`write` for every CPU access with A12 set, passing the full
/// 16-bit CPU address (the FE scheme looks at A13). Subclasses, one per scheme, override the
/// slow paths and `reset`; the state format (`saveState`) is shared: the four slice numbers,
/// then the RAM.
public class Cartridge {
    /// The bank-switching scheme this cartridge was built as.
    public let scheme: CartridgeScheme
    /// MD5 of the ROM file, lower-case hex, as `md5sum` prints it.
    public let md5: String
    /// The ROM file's bytes, exactly as loaded.
    public let romBytes: [UInt8]
    /// Where the ROM came from (a path, or what the caller named the bytes).
    public internal(set) var sourceName = "<bytes>"

    /// The ROM image the scheme addresses (may be a prefix of `romBytes`, e.g. a 4K file whose
    /// halves are equal runs as 2K). Owned; freed in deinit.
    let image: UnsafeMutablePointer<UInt8>
    let imageSize: Int
    /// Byte offsets into `image` of the four 1 KiB slices that $x000-$xFFF currently shows.
    let slices: UnsafeMutablePointer<Int>
    /// The 4 KiB the window currently shows (the slices, copied). Owned; freed in deinit.
    let window: UnsafeMutablePointer<UInt8>
    /// Offsets (address & $FFF) in `fastStart ..< fastStart + fastCount` are plain ROM reads
    /// with no side effect; everything else goes through `readSlow`.
    var fastStart: UInt16
    var fastCount: UInt16
    /// Superchip RAM (empty for schemes without it).
    var ram: [UInt8]

    init(scheme: CartridgeScheme, md5: String, romBytes: [UInt8], imageBytes: ArraySlice<UInt8>,
         ramSize: Int = 0, fastStart: UInt16, fastCount: UInt16)
    {
        precondition(!imageBytes.isEmpty && imageBytes.count % 1024 == 0,
                     "Cartridge.init: image of \(imageBytes.count) bytes is not whole 1 KiB slices")
        self.scheme = scheme
        self.md5 = md5
        self.romBytes = romBytes
        imageSize = imageBytes.count
        image = .allocate(capacity: imageSize)
        _ = UnsafeMutableBufferPointer(start: image, count: imageSize).initialize(from: imageBytes)
        slices = .allocate(capacity: 4)
        slices.initialize(repeating: -1, count: 4)
        window = .allocate(capacity: 4096)
        window.initialize(repeating: 0, count: 4096)
        ram = [UInt8](repeating: 0, count: ramSize)
        self.fastStart = fastStart
        self.fastCount = fastCount
    }

    deinit {
        image.deallocate()
        slices.deallocate()
        window.deallocate()
    }

    // MARK: The bus side.

    /// A CPU read with A12 set. Plain ROM comes from the current slices; hotspots, RAM ports
    /// and A13-dependent schemes go to the scheme.
    @inline(__always)
    public final func read(_ address: UInt16) -> UInt8 {
        let offset = address & 0x0FFF
        if offset &- fastStart < fastCount { return window[Int(offset)] }
        return readSlow(address)
    }

    /// What the console's interpreter reads inline: the plain-ROM window and the offset
    /// range (`start ..< start + count`) it serves. Everything else goes through `read`.
    /// The pointer stays valid for the cartridge's life (bank switches copy into it).
    var interpreterWindow: (UnsafeMutablePointer<UInt8>, UInt16, UInt16) {
        (window, fastStart, fastCount)
    }

    /// Whether the interpreter's window is 8 KiB indexed by A13 as well (FE).
    var banksOnA13: Bool { false }

    /// A CPU write with A12 set: bank-switching hotspots and RAM write ports react; ROM
    /// ignores it.
    public func write(_ address: UInt16, _ value: UInt8) {}

    /// Whether the console must call `watch` for every bus access, not only those with A12 set.
    /// False for every scheme here: ALE's FE decides its bank from A13 of the cartridge
    /// access itself, so it needs nothing else.
    public var watchesEveryAccess: Bool { false }

    /// Sees a bus access outside the cartridge window (only when `watchesEveryAccess`).
    public func watch(_ address: UInt16, _ value: UInt8) {}

    /// The console's CPU cycle counter (ALE's `System::cycles`), for schemes that keep time:
    /// only DPC does (its music fetchers run off a 15.75 kHz oscillator). The console sets it
    /// once; the default reads 0, which freezes the music fetchers and changes nothing else.
    public var systemCycles: () -> Int = { 0 }

    /// ALE's `Device::systemCyclesReset`: called just before the console sets its cycle
    /// counter back to 0, while `systemCycles()` still returns the old count.
    public func systemCyclesReset() {}

    /// The scheme's read for addresses outside the fast range. The default reads the slices.
    func readSlow(_ address: UInt16) -> UInt8 {
        window[Int(address & 0x0FFF)]
    }

    // MARK: Power-on and state.

    /// Power-on/reset as ALE does it: the scheme's start-up bank; Superchip RAM filled with one
    /// draw per byte from the console's generator (`nextRandom`, ALE's `System::rng().next()`,
    /// truncated to 8 bits). ALE attaches the cartridge last, so its draws follow the RIOT's
    /// and the TIA's. Schemes without RAM draw nothing.
    public func reset(nextRandom: () -> UInt32) {
        for index in ram.indices { ram[index] = UInt8(truncatingIfNeeded: nextRandom()) }
        resetBanks()
    }

    /// The scheme's start-up slices.
    func resetBanks() { showBank(0) }

    /// Maps 4 KiB bank `bank` into the whole window.
    @inline(__always)
    final func showBank(_ bank: Int) {
        for segment in 0..<4 { mapSlice(segment, imageOffset: (bank * 4 + segment) * 1024 % imageSize) }
    }

    /// Shows the 1 KiB of `image` at `imageOffset` in window segment `segment` (0-3).
    final func mapSlice(_ segment: Int, imageOffset: Int) {
        guard slices[segment] != imageOffset else { return }
        slices[segment] = imageOffset
        (window + segment * 1024).update(from: image + imageOffset, count: 1024)
    }

    /// The slice numbers currently mapped (1 KiB units into the image), for tests and tools.
    public var currentSlices: [Int] { (0..<4).map { slices[$0] / 1024 } }

    /// The Superchip RAM (empty for other schemes).
    public var superchipRAM: [UInt8] { ram }

    /// The bank-switching state and RAM: four slice numbers, then the RAM bytes.
    public func saveState() -> [UInt8] {
        (0..<4).map { UInt8(slices[$0] / 1024) } + ram
    }

    /// Restores what `saveState` produced; throws (changing nothing) when the bytes do not fit
    /// this cartridge.
    public func restoreState(_ state: [UInt8]) throws {
        guard state.count == 4 + ram.count else {
            throw CartridgeStateError.wrongLength(scheme: scheme, expected: 4 + ram.count, got: state.count)
        }
        let sliceCount = imageSize / 1024
        for index in 0..<4 where Int(state[index]) >= sliceCount {
            throw CartridgeStateError.sliceOutOfRange(scheme: scheme, slice: Int(state[index]))
        }
        for index in 0..<4 { mapSlice(index, imageOffset: Int(state[index]) * 1024) }
        ram = Array(state[4...])
    }
}

/// A saved cartridge state that does not belong to this cartridge.
public enum CartridgeStateError: Error, CustomStringConvertible, Equatable {
    case wrongLength(scheme: CartridgeScheme, expected: Int, got: Int)
    case sliceOutOfRange(scheme: CartridgeScheme, slice: Int)

    public var description: String {
        switch self {
        case .wrongLength(let scheme, let expected, let got):
            return "cartridge state for \(scheme.rawValue) must be \(expected) bytes, got \(got)"
        case .sliceOutOfRange(let scheme, let slice):
            return "cartridge state for \(scheme.rawValue) names slice \(slice), beyond the ROM"
        }
    }
}
