// Our own reader and writer of the safetensors format (8-byte little-endian header length, a
// JSON header mapping names to dtype / shape / data_offsets plus optional __metadata__, then
// the raw little-endian data), so Python's `safetensors` reads our files and we read theirs.
// Files are input: every defect throws a SafeTensorsError naming the file and the tensor.
import Foundation

/// A defect in a safetensors file or a mismatch between a file and a model.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case truncated(file: String, reason: String)
    case corruptHeader(file: String, reason: String)
    case badTensor(file: String, tensor: String, reason: String)
    case missingTensor(file: String, tensor: String)
    case unexpectedTensor(file: String, tensor: String)
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let f, let r): return "cannot read \(f): \(r)"
        case .truncated(let f, let r): return "\(f) is truncated: \(r)"
        case .corruptHeader(let f, let r): return "\(f) has a corrupt safetensors header: \(r)"
        case .badTensor(let f, let t, let r): return "\(f): tensor \"\(t)\": \(r)"
        case .missingTensor(let f, let t): return "\(f) lacks tensor \"\(t)\" that the model needs"
        case .unexpectedTensor(let f, let t): return "\(f) holds tensor \"\(t)\" that the model does not have"
        case .shapeMismatch(let f, let t, let e, let g): return "\(f): tensor \"\(t)\" has shape \(g), the model expects \(e)"
        case .unwritable(let f, let r): return "cannot write \(f): \(r)"
        }
    }
}

/// A safetensors file read into memory: its F32 tensors and its metadata.
public struct SafeTensorsFile {
    /// The file's path, for error messages.
    public let path: String
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// Tensor names in header order.
    public let names: [String]
    private let tensors: [String: (shape: [Int], values: [Float])]

    init(path: String, metadata: [String: String], names: [String],
         tensors: [String: (shape: [Int], values: [Float])]) {
        self.path = path
        self.metadata = metadata
        self.names = names
        self.tensors = tensors
    }

    /// The shape of tensor `name`, or nil.
    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }

    /// Tensor `name` as a new FloatTensor; throws when absent.
    public func tensor(_ name: String) throws -> FloatTensor {
        guard let t = tensors[name] else { throw SafeTensorsError.missingTensor(file: path, tensor: name) }
        return FloatTensor(shape: t.shape, values: t.values)
    }

    /// Copies tensor `name` into `destination`, whose shape it must have.
    public func copy(_ name: String, into destination: FloatTensor) throws {
        guard let t = tensors[name] else { throw SafeTensorsError.missingTensor(file: path, tensor: name) }
        guard t.shape == destination.shape else {
            throw SafeTensorsError.shapeMismatch(file: path, tensor: name, expected: destination.shape, found: t.shape)
        }
        t.values.withUnsafeBufferPointer { destination.data.update(from: $0.baseAddress!, count: t.values.count) }
    }

    /// Checks that the file holds exactly `expected` (names and shapes), before anything is
    /// copied, so a mismatched file never half-loads a model.
    public func validate(matching expected: [(name: String, shape: [Int])]) throws {
        let wanted = Set(expected.map(\.name))
        for (name, shape) in expected {
            guard let found = tensors[name]?.shape else { throw SafeTensorsError.missingTensor(file: path, tensor: name) }
            guard found == shape else {
                throw SafeTensorsError.shapeMismatch(file: path, tensor: name, expected: shape, found: found)
            }
        }
        if let extra = names.first(where: { !wanted.contains($0) }) {
            throw SafeTensorsError.unexpectedTensor(file: path, tensor: extra)
        }
    }
}

/// Reading and writing safetensors files (F32 tensors only).
public enum SafeTensors {
    /// Headers larger than this are treated as corrupt rather than allocated.
    static let maximumHeaderBytes = 100 << 20

    /// Writes `tensors` (in order) and `metadata` to `url`: first to a temporary name in the same
    /// folder, then renamed, so a crash never leaves a half-written file under the final name.
    public static func write(_ tensors: [(name: String, tensor: FloatTensor)], metadata: [String: String] = [:],
                             to url: URL) throws {
        var header = "{"
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var seen = Set<String>()
        for (name, tensor) in tensors {
            precondition(name != "__metadata__" && seen.insert(name).inserted,
                         "SafeTensors.write: duplicate or reserved tensor name \"\(name)\"")
            let end = offset + tensor.count * 4
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += entries.joined(separator: ",") + "}"
        // Pad the header with spaces to a multiple of 8 so the data is aligned (as safetensors does).
        while header.utf8.count % 8 != 0 { header += " " }
        var bytes = Data(capacity: 8 + header.utf8.count + offset)
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header.utf8)
        for (_, tensor) in tensors {
            // Float32 is little-endian on every platform Swift targets here.
            bytes.append(UnsafeBufferPointer(start: tensor.data, count: tensor.count))
        }
        try writeAtomically(bytes, to: url)
    }

    /// Reads every tensor of the file at `url`. Throws a SafeTensorsError for any defect.
    public static func read(_ url: URL) throws -> SafeTensorsFile {
        let path = url.path
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw SafeTensorsError.unreadable(file: path, reason: error.localizedDescription)
        }
        return try parse(bytes, path: path)
    }

    /// Parses the bytes of a safetensors file; `path` only names it in errors.
    public static func parse(_ bytes: Data, path: String) throws -> SafeTensorsFile {
        guard bytes.count >= 8 else {
            throw SafeTensorsError.truncated(file: path, reason: "\(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw SafeTensorsError.corruptHeader(file: path, reason: "header length \(headerLength) is implausible")
        }
        guard Int(headerLength) <= bytes.count - 8 else {
            throw SafeTensorsError.truncated(file: path, reason: "header of \(headerLength) bytes but only \(bytes.count - 8) follow")
        }
        let start = bytes.startIndex
        let headerData = bytes.subdata(in: (start + 8)..<(start + 8 + Int(headerLength)))
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerData) } catch {
            throw SafeTensorsError.corruptHeader(file: path, reason: "header is not valid JSON")
        }
        guard let header = json as? [String: Any] else {
            throw SafeTensorsError.corruptHeader(file: path, reason: "header is not a JSON object")
        }
        let dataStart = start + 8 + Int(headerLength)
        let dataLength = bytes.count - 8 - Int(headerLength)
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let map = meta as? [String: String] else {
                throw SafeTensorsError.corruptHeader(file: path, reason: "__metadata__ is not a map of strings")
            }
            metadata = map
        }
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        var ranges: [(name: String, begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any],
                  offsetValues.count == 2 else {
                throw SafeTensorsError.badTensor(file: path, tensor: name, reason: "entry lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else {
                throw SafeTensorsError.badTensor(file: path, tensor: name, reason: "dtype \(dtype) is not supported (only F32)")
            }
            let shape = shapeValues.compactMap { exactInt($0) }
            let offsets = offsetValues.compactMap { exactInt($0) }
            guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }), offsets.count == 2 else {
                throw SafeTensorsError.badTensor(file: path, tensor: name, reason: "shape or data_offsets are not non-negative integers")
            }
            let (begin, end) = (offsets[0], offsets[1])
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            guard begin >= 0, begin <= end, end - begin == count * 4 else {
                throw SafeTensorsError.badTensor(file: path, tensor: name, reason: "data_offsets [\(begin), \(end)] do not hold shape \(shape) of F32")
            }
            guard end <= dataLength else {
                throw SafeTensorsError.truncated(file: path, reason: "tensor \"\(name)\" ends at byte \(end) of a \(dataLength)-byte data section")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { destination in
                _ = bytes.copyBytes(to: destination, from: (dataStart + begin)..<(dataStart + end))
            }
            tensors[name] = (shape, values)
            ranges.append((name, begin, end))
        }
        // The spec forbids overlapping tensors; a file that has them is corrupt.
        ranges.sort { $0.begin < $1.begin }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw SafeTensorsError.badTensor(file: path, tensor: b.name, reason: "data overlaps tensor \"\(a.name)\"")
        }
        return SafeTensorsFile(path: path, metadata: metadata, names: ranges.map(\.name), tensors: tensors)
    }

    private static func exactInt(_ value: Any) -> Int? {
        guard let n = value as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 9e15 else { return nil }
        return n.intValue
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func writeAtomically(_ bytes: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try bytes.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SafeTensorsError.unwritable(file: url.path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SafeTensorsError.unwritable(file: url.path, reason: reason)
        }
    }
}

extension Layer {
    /// Writes the parameters under their stable names ("0.weight", ...).
    public func saveParameters(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(namedParameters.map { ($0.name, $0.parameter.value) }, metadata: metadata, to: url)
    }

    /// Loads parameters written by `saveParameters` or by PyTorch (a state_dict saved with
    /// safetensors). Names and shapes must match exactly; nothing is changed when they do not.
    public func loadParameters(from url: URL) throws {
        let file = try SafeTensors.read(url)
        try loadParameters(from: file)
    }

    /// Loads parameters from a file already read.
    public func loadParameters(from file: SafeTensorsFile) throws {
        let named = namedParameters
        try file.validate(matching: named.map { ($0.name, $0.parameter.shape) })
        for p in named { try file.copy(p.name, into: p.parameter.value) }
    }
}

extension Optimizer {
    /// Writes the optimiser's state tensors, with the step count and learning rate as metadata.
    public func saveState(to url: URL) throws {
        try SafeTensors.write(stateTensors, metadata: ["step": String(stepCount), "lr": String(learningRate)], to: url)
    }

    /// Restores state written by `saveState`. Names and shapes must match; the step count comes
    /// from the metadata.
    public func loadState(from url: URL) throws {
        let file = try SafeTensors.read(url)
        let state = stateTensors
        try file.validate(matching: state.map { ($0.name, $0.tensor.shape) })
        guard let stepText = file.metadata["step"], let step = Int(stepText), step >= 0 else {
            throw SafeTensorsError.corruptHeader(file: file.path, reason: "__metadata__ lacks a valid \"step\"")
        }
        for s in state { try file.copy(s.name, into: s.tensor) }
        stepCount = step
    }
}
