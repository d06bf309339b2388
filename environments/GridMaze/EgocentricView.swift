// MiniGrid's partial observation: the view_size x view_size square ahead of the agent, rotated so
// the agent faces up from the bottom-middle cell, with MiniGrid's occlusion (Grid.process_vis:
// light spreads row by row away from the agent and stops at walls and shut doors), the carried
// object shown in the agent's cell, and unseen cells encoded (0, 0, 0). Output layout is
// MiniGrid's image array: [vx][vy][object, colour, state].

enum EgocentricView {
    /// Writes the view into `cells` (viewSize^2 x 3 bytes) and its visibility into `visible`.
    /// `grid` is MazeGrid's column-major byte layout; positions outside it read as walls.
    /// `centered` puts the agent in the middle cell instead (the `centered` observation: every
    /// cell visible, positions outside the grid unseen).
    @inline(__always)
    static func compute(grid: UnsafePointer<UInt8>, width: Int, height: Int,
                        agentX: Int, agentY: Int, heading: Int, viewSize: Int, seeThroughWalls: Bool,
                        centered: Bool = false, carrying: Cell?,
                        cells: UnsafeMutablePointer<UInt8>, visible: UnsafeMutablePointer<Bool>) {
        let v = viewSize, half = v / 2, agentRow = centered ? half : v - 1
        let dx = Heading.dx(heading), dy = Heading.dy(heading)
        let rx = -dy, ry = dx
        let outside: (UInt8, UInt8) = centered ? (0, 0) : (ObjectKind.wall.rawValue, CellColor.grey.rawValue)
        // Gather: view cell (vx, vy) lies (agentRow-vy) ahead and (vx-half) to the right of the agent.
        for vx in 0..<v {
            for vy in 0..<v {
                let ahead = agentRow - vy, right = vx - half
                let wx = agentX + dx * ahead + rx * right, wy = agentY + dy * ahead + ry * right
                let o = (vx * v + vy) * 3
                if wx >= 0 && wy >= 0 && wx < width && wy < height {
                    let g = (wx * height + wy) * 3
                    cells[o] = grid[g]; cells[o + 1] = grid[g + 1]; cells[o + 2] = grid[g + 2]
                } else {
                    cells[o] = outside.0; cells[o + 1] = outside.1; cells[o + 2] = 0
                }
            }
        }
        if seeThroughWalls || centered {
            visible.update(repeating: true, count: v * v)
        } else {
            propagateVisibility(cells: cells, viewSize: v, visible: visible)
        }
        // The agent's own cell shows what it carries.
        let a = (half * v + agentRow) * 3
        let carried = carrying ?? .empty
        cells[a] = carried.kind.rawValue; cells[a + 1] = carried.color.rawValue; cells[a + 2] = carried.state
        for i in 0..<(v * v) where !visible[i] {
            cells[3 * i] = 0; cells[3 * i + 1] = 0; cells[3 * i + 2] = 0
        }
    }

    /// MiniGrid's process_vis on the rotated view, agent at (half, v-1). Index i*v+j is (x=i, y=j).
    @inline(__always)
    private static func propagateVisibility(cells: UnsafePointer<UInt8>, viewSize v: Int,
                                            visible: UnsafeMutablePointer<Bool>) {
        visible.update(repeating: false, count: v * v)
        visible[(v / 2) * v + (v - 1)] = true
        @inline(__always) func transparent(_ i: Int, _ j: Int) -> Bool {
            let o = (i * v + j) * 3
            let kind = cells[o]
            if kind == ObjectKind.wall.rawValue { return false }
            if kind == ObjectKind.door.rawValue { return cells[o + 2] == DoorState.open.rawValue }
            return true
        }
        for j in stride(from: v - 1, through: 0, by: -1) {
            for i in 0..<(v - 1) {
                if !visible[i * v + j] || !transparent(i, j) { continue }
                visible[(i + 1) * v + j] = true
                if j > 0 { visible[(i + 1) * v + j - 1] = true; visible[i * v + j - 1] = true }
            }
            for i in stride(from: v - 1, through: 1, by: -1) {
                if !visible[i * v + j] || !transparent(i, j) { continue }
                visible[(i - 1) * v + j] = true
                if j > 0 { visible[(i - 1) * v + j - 1] = true; visible[i * v + j - 1] = true }
            }
        }
    }
}
