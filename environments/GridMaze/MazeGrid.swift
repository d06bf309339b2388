// The grid of a level: width x height cells stored column-major as (object, colour, state)
// bytes, the memory layout of MiniGrid's `Grid.encode()` (array[x, y, channel]), so the full
// symbolic observation is one copy.

/// A width x height grid of cells; (x, y) with x to the right and y downwards, as in MiniGrid.
public struct MazeGrid: Sendable, Equatable, Hashable {
    public let width: Int
    public let height: Int
    /// 3 bytes per cell at ((x * height) + y) * 3.
    public private(set) var bytes: [UInt8]

    /// A grid of empty cells.
    public init(width: Int, height: Int) {
        precondition(width >= 3 && height >= 3, "MazeGrid: \(width)x\(height) is smaller than 3x3")
        self.width = width
        self.height = height
        bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { bytes[3 * i] = ObjectKind.empty.rawValue }
    }

    /// Makes every cell empty, keeping the storage.
    public mutating func clear() {
        bytes.withUnsafeMutableBufferPointer { cells in
            for i in 0..<(width * height) {
                cells[3 * i] = ObjectKind.empty.rawValue; cells[3 * i + 1] = 0; cells[3 * i + 2] = 0
            }
        }
    }

    /// Copies the cells of a grid of the same size into this one's storage.
    public mutating func copyCells(from other: MazeGrid) {
        precondition(other.width == width && other.height == height,
                     "MazeGrid.copyCells: \(other.width)x\(other.height) into \(width)x\(height)")
        bytes.withUnsafeMutableBufferPointer { cells in
            other.bytes.withUnsafeBufferPointer { cells.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// The cell at (x, y); outside the grid, a wall (as MiniGrid's `slice` pads views).
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard contains(x, y) else { return .wall }
            let i = (x * height + y) * 3
            return Cell(ObjectKind(rawValue: bytes[i]) ?? .empty, CellColor(rawValue: bytes[i + 1]) ?? .red,
                        state: bytes[i + 2])
        }
        set {
            precondition(contains(x, y), "MazeGrid: (\(x), \(y)) outside \(width)x\(height)")
            let i = (x * height + y) * 3
            bytes[i] = newValue.kind.rawValue
            bytes[i + 1] = newValue.color.rawValue
            bytes[i + 2] = newValue.state
        }
    }

    public mutating func horizontalWall(x: Int, y: Int, length: Int, cell: Cell = .wall) {
        for i in 0..<length { self[x + i, y] = cell }
    }

    public mutating func verticalWall(x: Int, y: Int, length: Int, cell: Cell = .wall) {
        for j in 0..<length { self[x, y + j] = cell }
    }

    /// The outline of a rectangle, as MiniGrid's `wall_rect`.
    public mutating func wallRectangle(x: Int, y: Int, width w: Int, height h: Int) {
        horizontalWall(x: x, y: y, length: w)
        horizontalWall(x: x, y: y + h - 1, length: w)
        verticalWall(x: x, y: y, length: h)
        verticalWall(x: x + w - 1, y: y, length: h)
    }

    /// Every position holding `kind`, column by column.
    public func positions(of kind: ObjectKind) -> [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        for x in 0..<width { for y in 0..<height where bytes[(x * height + y) * 3] == kind.rawValue { result.append((x, y)) } }
        return result
    }
}
