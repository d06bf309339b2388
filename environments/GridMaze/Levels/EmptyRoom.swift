// MiniGrid's Empty-NxN: a walled room, the agent in the top-left corner facing right, the goal in
// the bottom-right corner; max_steps 4 N^2. `randomStart` is MiniGrid's Empty-Random variant.
import RL

/// An empty N x N room with the goal in the far corner.
public struct EmptyRoom: LevelGenerator {
    public let size: Int
    public let randomStart: Bool
    public init(size: Int, randomStart: Bool = false) {
        self.size = size
        self.randomStart = randomStart
    }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { 4 * size * size }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        grid.clear()
        grid.wallRectangle(x: 0, y: 0, width: size, height: size)
        grid[size - 2, size - 2] = .goal
        if randomStart {
            let p = randomFreeCell(in: grid, &generator)
            return AgentStart(x: p.x, y: p.y, heading: generator.uniform(below: 4))
        }
        return AgentStart(x: 1, y: 1, heading: 0)
    }
}
