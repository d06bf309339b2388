// MiniGrid's DoorKey-NxN: a room split by a wall with a locked yellow door; the yellow key lies on
// the agent's side, the goal in the far corner; max_steps 10 N^2.
import RL

/// Pick up the key, unlock the door, reach the goal.
public struct DoorKey: LevelGenerator {
    public let size: Int
    public init(size: Int) { self.size = size }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { 10 * size * size }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        grid.clear()
        grid.wallRectangle(x: 0, y: 0, width: size, height: size)
        grid[size - 2, size - 2] = .goal
        let split = generator.uniform(in: 2..<(size - 2))
        grid.verticalWall(x: split, y: 0, length: size)
        let agent = randomFreeCell(in: grid, width: split, height: size, &generator)
        let heading = generator.uniform(below: 4)
        let doorY = generator.uniform(in: 1..<(size - 2))
        grid[split, doorY] = .door(.yellow, .locked)
        let key = randomFreeCell(in: grid, width: split, height: size, avoiding: (agent.x, agent.y), &generator)
        grid[key.x, key.y] = .key(.yellow)
        return AgentStart(x: agent.x, y: agent.y, heading: heading)
    }
}
