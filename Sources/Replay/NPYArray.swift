// Reading numpy's .npy files (format 1.x/2.x, C order): the frames made by the Python scripts
// for `rl bench store` and the tests, as bytes with their shape and dtype.
import Foundation

/// An array read from a .npy file.
public struct NPYArray: Sendable {
    /// numpy's dtype string, e.g. `|u1`, `<f4`.
    public var descr: String
    public var shape: [Int]
    /// The array's data, C order.
    public var bytes: [UInt8]

    /// Reads `url`; an `NPYError` names the file and what is wrong.
    public static func read(from url: URL) throws -> NPYArray {
        guard let data = try? Data(contentsOf: url) else { throw NPYError(path: url.path, detail: "cannot read the file") }
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw NPYError(path: url.path, detail: "not an .npy file")
        }
        let major = bytes[6]
        let headerStart = major == 1 ? 10 : 12
        guard bytes.count >= headerStart else { throw NPYError(path: url.path, detail: "truncated header") }
        let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard bytes.count >= headerStart + headerLength else { throw NPYError(path: url.path, detail: "truncated header") }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        guard header.contains("'fortran_order': False"),
              let descrStart = header.range(of: "'descr': '"),
              let descrEnd = header[descrStart.upperBound...].firstIndex(of: "'"),
              let open = header.range(of: "'shape': ("),
              let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw NPYError(path: url.path, detail: "expected a C-order array, header \(header)")
        }
        let descr = String(header[descrStart.upperBound..<descrEnd])
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let itemSize = Int(descr.dropFirst(2)) ?? 0
        let start = headerStart + headerLength
        var count = itemSize
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, dimension >= 0 else { throw NPYError(path: url.path, detail: "implausible shape \(shape)") }
            count = product
        }
        guard itemSize > 0, bytes.count - start == count else {
            throw NPYError(path: url.path, detail: "shape \(shape) of \(descr) does not match \(bytes.count - start) data bytes")
        }
        return NPYArray(descr: descr, shape: shape, bytes: Array(bytes[start...]))
    }
}

/// A .npy file that could not be read.
public struct NPYError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "cannot read \(path) as .npy: \(detail)" }
}
