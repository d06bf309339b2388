// Procedurally generated mazes of odd size N: cells at odd coordinates joined by the recursive
// backtracker (an iterative depth-first search: long winding corridors) or by randomised Kruskal
// (a random spanning tree: many short dead ends); both yield a perfect maze (one path between any
// two cells). `loops` then knocks out that fraction of the remaining inner walls between cells,
// adding cycles. Start top-left with a random heading, goal bottom-right; max_steps 4 N^2.
import RL

/// A maze of N x N with N odd.
public struct PerfectMaze: LevelGenerator {
    public let size: Int
    /// Fraction (0...1) of the remaining walls between two cells that are removed.
    public let loops: Double
    public let algorithm: Algorithm

    /// How the spanning tree of cells is drawn.
    public enum Algorithm: String, Sendable, CaseIterable {
        case backtracker, kruskal
    }

    public init(size: Int, loops: Double = 0, algorithm: Algorithm = .backtracker) {
        precondition(size >= 5 && size % 2 == 1, "PerfectMaze: size \(size) must be odd and at least 5")
        self.size = size
        self.loops = loops
        self.algorithm = algorithm
    }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { 4 * size * size }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        grid.clear()
        for x in 0..<size { for y in 0..<size where x % 2 == 0 || y % 2 == 0 { grid[x, y] = .wall } }
        switch algorithm {
        case .backtracker: carveByBacktracking(&grid, &generator)
        case .kruskal: carveByKruskal(&grid, &generator)
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
        return AgentStart(x: 1, y: 1, heading: generator.uniform(below: 4))
    }

    /// Randomised Kruskal: walls between cells in random order, each removed when it separates two
    /// trees of a union-find forest.
    private func carveByKruskal(_ grid: inout MazeGrid, _ generator: inout SeededGenerator) {
        let cells = (size - 1) / 2
        var parent = Array(0..<(cells * cells))
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        var walls: [(Int, Int, Int, Int)] = []  // (cell a x, y, cell b x, y)
        for cx in 0..<cells {
            for cy in 0..<cells {
                if cx + 1 < cells { walls.append((cx, cy, cx + 1, cy)) }
                if cy + 1 < cells { walls.append((cx, cy, cx, cy + 1)) }
            }
        }
        generator.shuffle(&walls)
        for (ax, ay, bx, by) in walls {
            let ra = root(ay * cells + ax), rb = root(by * cells + bx)
            if ra == rb { continue }
            parent[ra] = rb
            grid[1 + ax + bx, 1 + ay + by] = .empty
        }
    }

    /// The recursive backtracker as an explicit-stack depth-first search.
    private func carveByBacktracking(_ grid: inout MazeGrid, _ generator: inout SeededGenerator) {
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
    }
}
