// Observation and action spaces, in Gymnasium's vocabulary. A space describes the bytes an
// environment writes into a caller-owned buffer, so agents, wrappers, replay and the viewer can
// size their buffers once and never allocate while stepping.

/// The element type of a box space.
public enum ElementType: String, Sendable, Equatable {
    case uint8
    case float32

    /// Bytes per element.
    public var byteCount: Int { self == .uint8 ? 1 : 4 }
}

/// A space of observations or actions.
public indirect enum Space: Sendable, Equatable, CustomStringConvertible {
    /// Integers `0..<n`.
    case discrete(Int)
    /// A dense array of `shape` (row-major; images are height, width, channels as the
    /// environment produces them) whose elements lie in `low...high`.
    case box(shape: [Int], element: ElementType, low: Float, high: Float)
    /// Several named spaces; an observation is their buffers laid end to end in this order.
    case dictionary([NamedSpace])

    /// A uint8 image of `height` x `width` x `channels`, elements 0...255.
    public static func image(height: Int, width: Int, channels: Int) -> Space {
        .box(shape: [height, width, channels], element: .uint8, low: 0, high: 255)
    }

    /// Number of elements of one value of this space (1 for discrete).
    public var elementCount: Int {
        switch self {
        case .discrete: return 1
        case .box(let shape, _, _, _): return shape.reduce(1, *)
        case .dictionary(let parts): return parts.reduce(0) { $0 + $1.space.elementCount }
        }
    }

    /// Bytes of one value of this space in a buffer (discrete values are stored as Int32).
    public var byteCount: Int {
        switch self {
        case .discrete: return 4
        case .box(let shape, let element, _, _): return shape.reduce(1, *) * element.byteCount
        case .dictionary(let parts): return parts.reduce(0) { $0 + $1.space.byteCount }
        }
    }

    /// The number of actions of a discrete space; nil otherwise.
    public var discreteCount: Int? {
        if case .discrete(let n) = self { return n }
        return nil
    }

    public var description: String {
        switch self {
        case .discrete(let n): return "Discrete(\(n))"
        case .box(let shape, let element, let low, let high):
            let dims = shape.map(String.init).joined(separator: "x")
            return "Box(\(dims), \(element.rawValue), \(formatBound(low))..\(formatBound(high)))"
        case .dictionary(let parts):
            return "Dict(" + parts.map { "\($0.name): \($0.space)" }.joined(separator: ", ") + ")"
        }
    }
}

/// One entry of a dictionary space.
public struct NamedSpace: Sendable, Equatable {
    public var name: String
    public var space: Space
    public init(_ name: String, _ space: Space) {
        self.name = name
        self.space = space
    }
}

private func formatBound(_ value: Float) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
}
