// MiniGrid's FourRooms: a 19x19 square cut into four rooms joined by one gap in each inner wall,
// random agent start and heading, random goal; max_steps 100.
import RL

/// Four rooms joined by four gaps.
public struct FourRooms: LevelGenerator {
    public init() {}
    public var width: Int { 19 }
    public var height: Int { 19 }
    public var maxSteps: Int { 100 }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        let w = width, h = height
        grid.clear()
        grid.wallRectangle(x: 0, y: 0, width: w, height: h)
        let roomW = w / 2, roomH = h / 2
        for j in 0..<2 {
            for i in 0..<2 {
                let xL = i * roomW, yT = j * roomH, xR = xL + roomW, yB = yT + roomH
                if i + 1 < 2 {
                    grid.verticalWall(x: xR, y: yT, length: roomH)
                    grid[xR, generator.uniform(in: (yT + 1)..<yB)] = .empty
                }
                if j + 1 < 2 {
                    grid.horizontalWall(x: xL, y: yB, length: roomW)
                    grid[generator.uniform(in: (xL + 1)..<xR), yB] = .empty
                }
            }
        }
        let agent = randomFreeCell(in: grid, &generator)
        let heading = generator.uniform(below: 4)
        let goal = randomFreeCell(in: grid, avoiding: (agent.x, agent.y), &generator)
        grid[goal.x, goal.y] = .goal
        return AgentStart(x: agent.x, y: agent.y, heading: heading)
    }
}
