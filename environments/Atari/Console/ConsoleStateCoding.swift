// The byte format of a saved console: a flat little-endian stream written and read field by
// field in one fixed order (CPU, RIOT, TIA, cartridge, generator, console timing). It is
// private to one build of the emulator: states are for cloning and restoring within a run,
// as ALE's cloneState/restoreState are, not an interchange format.

/// Why a saved state could not be restored.
public enum ConsoleStateError: Error, CustomStringConvertible, Equatable {
    case truncated
    case wrongFormat
    case wrongCartridge(expected: String, found: String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .truncated: return "console state: the data ends early"
        case .wrongFormat: return "console state: not a state of this emulator version"
        case .wrongCartridge(let expected, let found):
            return "console state: saved for cartridge \(found), this console runs \(expected)"
        case .corrupt(let what): return "console state: invalid \(what)"
        }
    }
}

/// Appends fields to a byte buffer.
struct StateWriter {
    var data: [UInt8] = []
    mutating func u8(_ value: UInt8) { data.append(value) }
    mutating func bool(_ value: Bool) { data.append(value ? 1 : 0) }
    mutating func u32(_ value: UInt32) {
        data.append(UInt8(truncatingIfNeeded: value)); data.append(UInt8(truncatingIfNeeded: value >> 8))
        data.append(UInt8(truncatingIfNeeded: value >> 16)); data.append(UInt8(truncatingIfNeeded: value >> 24))
    }
    mutating func i64(_ value: Int) {
        let bits = UInt64(bitPattern: Int64(value))
        u32(UInt32(truncatingIfNeeded: bits)); u32(UInt32(truncatingIfNeeded: bits >> 32))
    }
    mutating func bytes(_ values: [UInt8]) { data.append(contentsOf: values) }
    /// A length-prefixed block.
    mutating func block(_ values: [UInt8]) { u32(UInt32(values.count)); data.append(contentsOf: values) }
}

/// Reads fields back in the order they were written; throws at the end of the data.
struct StateReader {
    let data: [UInt8]
    var offset = 0
    init(_ data: [UInt8]) { self.data = data }

    mutating func u8() throws -> UInt8 {
        guard offset < data.count else { throw ConsoleStateError.truncated }
        defer { offset += 1 }
        return data[offset]
    }
    mutating func bool() throws -> Bool {
        let value = try u8()
        guard value <= 1 else { throw ConsoleStateError.corrupt("flag \(value)") }
        return value == 1
    }
    mutating func u32() throws -> UInt32 {
        guard offset + 4 <= data.count else { throw ConsoleStateError.truncated }
        defer { offset += 4 }
        return UInt32(data[offset]) | UInt32(data[offset + 1]) << 8
            | UInt32(data[offset + 2]) << 16 | UInt32(data[offset + 3]) << 24
    }
    mutating func i64() throws -> Int {
        let low = UInt64(try u32()), high = UInt64(try u32())
        return Int(Int64(bitPattern: low | high << 32))
    }
    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, offset + count <= data.count else { throw ConsoleStateError.truncated }
        defer { offset += count }
        return Array(data[offset..<offset + count])
    }
    mutating func block() throws -> [UInt8] {
        let count = Int(try u32())
        return try bytes(count)
    }
}
