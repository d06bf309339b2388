// Rendered tiles, indexed by (object, colour, state, agent heading, highlight), so an RGB
// observation is a handful of row copies per cell. A tile is drawn the first time it is needed
// and kept; in steady state rendering allocates nothing.

/// A cache of rendered tiles of one size.
final class TileAtlas {
    let tileSize: Int
    let tileBytes: Int
    private let renderer: TileRenderer
    /// Offset of each tile in `pixels`, or -1 when not yet drawn.
    private var offsets: [Int]
    private(set) var pixels: [UInt8] = []

    init(tileSize: Int) {
        self.tileSize = tileSize
        tileBytes = tileSize * tileSize * 3
        renderer = TileRenderer(tileSize: tileSize)
        offsets = [Int](repeating: -1, count: 11 * 6 * 3 * 5 * 2)
        pixels.reserveCapacity(tileBytes * 64)
    }

    /// The key of a tile: `heading` 4 means no agent on it.
    @inline(__always)
    static func key(kind: UInt8, color: UInt8, state: UInt8, heading: Int, highlight: Bool) -> Int {
        ((((Int(kind) * 6 + Int(color)) * 3 + Int(min(state, 2))) * 5 + heading) * 2) + (highlight ? 1 : 0)
    }

    /// The offset of a tile in `pixels`, drawing it on first use.
    @inline(__always)
    func offset(kind: UInt8, color: UInt8, state: UInt8, heading: Int, highlight: Bool) -> Int {
        let k = TileAtlas.key(kind: kind, color: color, state: state, heading: heading, highlight: highlight)
        let cached = offsets[k]
        if cached >= 0 { return cached }
        return draw(k, kind: kind, color: color, state: state, heading: heading, highlight: highlight)
    }

    private func draw(_ key: Int, kind: UInt8, color: UInt8, state: UInt8, heading: Int, highlight: Bool) -> Int {
        let objectKind = ObjectKind(rawValue: kind) ?? .empty
        let cell: Cell? = objectKind == .empty || objectKind == .unseen
            ? nil : Cell(objectKind, CellColor(rawValue: color) ?? .red, state: state)
        let tile = renderer.render(cell, agentHeading: heading < 4 ? heading : nil, highlight: highlight)
        let offset = pixels.count
        pixels.append(contentsOf: tile)
        offsets[key] = offset
        return offset
    }
}
