// Generated mazes are perfect: the open passages between cells form a spanning tree (every cell
// reachable, exactly cells - 1 passages), and `loops` adds cycles on top.
import GridMaze
import RL
import Testing

@Suite("Perfect mazes")
struct PerfectMazeTests {
    /// Passages between neighbouring cells (odd coordinates) and the cells reachable from (1, 1).
    func cellGraph(_ grid: MazeGrid) -> (passages: Int, reachable: Int, cells: Int) {
        let n = (grid.width - 1) / 2
        var passages = 0
        for x in 1..<(grid.width - 1) {
            for y in 1..<(grid.height - 1) where (x % 2) != (y % 2) && grid[x, y].kind != .wall { passages += 1 }
        }
        var seen: Set<Int> = [0], frontier = [(0, 0)]
        while let (cx, cy) = frontier.popLast() {
            for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let nx = cx + dx, ny = cy + dy
                guard nx >= 0, ny >= 0, nx < n, ny < n, grid[1 + cx + nx, 1 + cy + ny].kind != .wall,
                      seen.insert(ny * n + nx).inserted else { continue }
                frontier.append((nx, ny))
            }
        }
        return (passages, seen.count, n * n)
    }

    @Test(arguments: PerfectMaze.Algorithm.allCases)
    func mazesAreSpanningTrees(_ algorithm: PerfectMaze.Algorithm) {
        for size in stride(from: 5, through: 31, by: 2) {
            for seed in 0..<4 {
                var generator = SeededGenerator(seed: UInt64(seed))
                let layout = PerfectMaze(size: size, algorithm: algorithm).generate(&generator)
                let graph = cellGraph(layout.grid)
                #expect(graph.reachable == graph.cells, "\(algorithm) \(size) seed \(seed): every cell reachable")
                #expect(graph.passages == graph.cells - 1, "\(algorithm) \(size) seed \(seed): a tree")
                #expect(layout.grid[size - 2, size - 2] == .goal)
            }
        }
    }

    @Test func loopsAddCycles() {
        var generator = SeededGenerator(seed: 3)
        let graph = cellGraph(PerfectMaze(size: 21, loops: 0.25).generate(&generator).grid)
        // 100 cells: a tree has 99 passages and leaves 81 inner walls; a quarter of them go.
        #expect(graph.passages == 99 + 20)
    }

    @Test func algorithmsDiffer() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1)
        #expect(PerfectMaze(size: 15).generate(&a).grid != PerfectMaze(size: 15, algorithm: .kruskal).generate(&b).grid)
    }
}
