// MiniGrid's LavaCrossing: rivers of lava across an odd-sized room with one gap per river on a
// path to the goal; the agent starts top-left facing right; max_steps 4 N^2.
import RL

/// Cross `crossings` lava rivers to the goal in the far corner.
public struct LavaCrossing: LevelGenerator {
    public let size: Int
    public let crossings: Int
    public init(size: Int, crossings: Int) {
        self.size = size
        self.crossings = crossings
    }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { 4 * size * size }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        let w = size, h = size
        grid.clear()
        grid.wallRectangle(x: 0, y: 0, width: w, height: h)
        grid[w - 2, h - 2] = .goal
        // Candidate rivers: vertical ones at even x, horizontal ones at even y.
        var rivers: [(vertical: Bool, at: Int)] = stride(from: 2, to: h - 2, by: 2).map { (true, $0) }
        rivers += stride(from: 2, to: w - 2, by: 2).map { (false, $0) }
        generator.shuffle(&rivers)
        let chosen = rivers.prefix(crossings)
        let riversV = chosen.filter(\.vertical).map(\.at).sorted()
        let riversH = chosen.filter { !$0.vertical }.map(\.at).sorted()
        for j in riversH { for i in 1..<(w - 1) { grid[i, j] = .lava } }
        for i in riversV { for j in 1..<(h - 1) { grid[i, j] = .lava } }
        // A monotone path of room-to-room moves decides where each river gets its gap.
        var path = [Bool](repeating: true, count: riversV.count) + [Bool](repeating: false, count: riversH.count)
        generator.shuffle(&path)
        let limitsV = [0] + riversV + [h - 1], limitsH = [0] + riversH + [w - 1]
        var roomI = 0, roomJ = 0
        for crossesVertical in path {
            if crossesVertical {
                let i = limitsV[roomI + 1]
                let j = generator.uniform(in: (limitsH[roomJ] + 1)..<limitsH[roomJ + 1])
                grid[i, j] = .empty
                roomI += 1
            } else {
                let i = generator.uniform(in: (limitsV[roomI] + 1)..<limitsV[roomI + 1])
                let j = limitsH[roomJ + 1]
                grid[i, j] = .empty
                roomJ += 1
            }
        }
        return AgentStart(x: 1, y: 1, heading: 0)
    }
}
