// A level as generated or read from a text map: the grid and where the agent starts.

/// A level's grid with the agent's start: what a generator or a text map produces.
public struct MazeLayout: Sendable, Equatable {
    public var grid: MazeGrid
    public var agentX: Int
    public var agentY: Int
    public var agentHeading: Int

    public init(grid: MazeGrid, agentX: Int, agentY: Int, agentHeading: Int) {
        self.grid = grid
        self.agentX = agentX
        self.agentY = agentY
        self.agentHeading = agentHeading
    }
}
