// A fixed layout read from a text map: every episode starts from it.
import RL

/// A level that always returns the same layout.
public struct FixedLevel: LevelGenerator {
    public let layout: MazeLayout
    public let maxSteps: Int
    public init(layout: MazeLayout, maxSteps: Int) {
        self.layout = layout
        self.maxSteps = maxSteps
    }
    public var width: Int { layout.grid.width }
    public var height: Int { layout.grid.height }
    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        grid.copyCells(from: layout.grid)
        return AgentStart(x: layout.agentX, y: layout.agentY, heading: layout.agentHeading)
    }
}
