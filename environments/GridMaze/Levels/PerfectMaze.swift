// Procedurally generated mazes of odd size N: cells at odd coordinates carved by the recursive
// backtracker (an iterative depth-first search), which yields a perfect maze (one path between
// any two cells); `loops` then knocks out that fraction of the remaining inner walls between
// cells, adding cycles. Start top-left with a random heading, goal bottom-right; max_steps 4 N^2.
import RL

/// A maze of N x N with N odd.
public struct PerfectMaze: LevelGenerator {
    public let size: Int
    /// Fraction (0...1) of the remaining walls between two cells that are removed.
    public let loops: Double
    public init(size: Int, loops: Double = 0) {
        precondition(size >= 5 && size % 2 == 1, "PerfectMaze: size \(size) must be odd and at least 5")
        self.size = size
        self.loops = loops
    }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { 4 * size * size }

    public func generate(_ generator: inout SeededGenerator) -> MazeLayout {
        var grid = MazeGrid(width: size, height: size)
        for x in 0..<size { for y in 0..<size where x % 2 == 0 || y % 2 == 0 { grid[x, y] = .wall } }
        let cells = (size - 1) / 2
        var visited = [Bool](repeating: false, count: cells * cells)
        var stack = [(0, 0)]
        visited[0] = true
        var neighbours: [(Int, Int)] = []
        while let (cx, cy) = stack.last {
            neighbours.removeAll(keepingCapacity: true)
            for d in 0..<4 {
                let nx = cx + Heading.dx(d), ny = cy + Heading.dy(d)
                if nx >= 0 && ny >= 0 && nx < cells && ny < cells && !visited[ny * cells + nx] { neighbours.append((nx, ny)) }
            }
            if neighbours.isEmpty { stack.removeLast(); continue }
            let (nx, ny) = neighbours[generator.uniform(below: neighbours.count)]
            visited[ny * cells + nx] = true
            grid[1 + cx + nx, 1 + cy + ny] = .empty  // the wall between (2cx+1) and (2nx+1)
            stack.append((nx, ny))
        }
        if loops > 0 {
            var inner: [(Int, Int)] = []
            for x in 1..<(size - 1) {
                for y in 1..<(size - 1) where (x % 2) != (y % 2) && grid[x, y].kind == .wall { inner.append((x, y)) }
            }
            generator.shuffle(&inner)
            for (x, y) in inner.prefix(Int((Double(inner.count) * loops).rounded())) { grid[x, y] = .empty }
        }
        grid[size - 2, size - 2] = .goal
        return MazeLayout(grid: grid, agentX: 1, agentY: 1, agentHeading: generator.uniform(below: 4))
    }
}
