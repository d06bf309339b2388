// What a level family is: a size, MiniGrid's step budget, and a function from a layout
// generator to a layout. Generators draw only from the generator they are handed, so a level
// seed fixes a layout everywhere (the basis of the train/test split by level seed).
import RL

/// A family of layouts.
public protocol LevelGenerator: Sendable {
    var width: Int { get }
    var height: Int { get }
    /// MiniGrid's max_steps for the family: the episode is truncated after this many steps.
    var maxSteps: Int { get }
    /// Draws a layout with `generator` into `grid` (width x height; its old cells are replaced,
    /// its storage reused, so an environment's reset allocates nothing) and returns the agent's
    /// start.
    func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart
}

/// Where and facing which way the agent starts.
public struct AgentStart: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var heading: Int
    public init(x: Int, y: Int, heading: Int) {
        self.x = x
        self.y = y
        self.heading = heading
    }
}

extension LevelGenerator {
    /// A layout drawn with `generator`, in a new grid.
    public func generate(_ generator: inout SeededGenerator) -> MazeLayout {
        var grid = MazeGrid(width: width, height: height)
        let start = generate(into: &grid, &generator)
        return MazeLayout(grid: grid, agentX: start.x, agentY: start.y, agentHeading: start.heading)
    }
}

/// Rejection sampling of a free cell in a rectangle (MiniGrid's place_obj): an empty cell that is
/// not the agent's. The rectangle is clipped to the grid.
func randomFreeCell(in grid: MazeGrid, x: Int = 0, y: Int = 0, width: Int? = nil, height: Int? = nil,
                    avoiding agent: (Int, Int)? = nil, _ generator: inout SeededGenerator) -> (x: Int, y: Int) {
    let x0 = max(x, 0), y0 = max(y, 0)
    let x1 = min(x0 + (width ?? grid.width), grid.width), y1 = min(y0 + (height ?? grid.height), grid.height)
    precondition(x0 < x1 && y0 < y1, "randomFreeCell: empty rectangle")
    var tries = 0
    while true {
        tries += 1
        precondition(tries < 1_000_000, "randomFreeCell: no free cell in (\(x0), \(y0))..<(\(x1), \(y1))")
        let px = generator.uniform(in: x0..<x1), py = generator.uniform(in: y0..<y1)
        if grid[px, py].kind != .empty { continue }
        if let agent, agent.0 == px && agent.1 == py { continue }
        return (px, py)
    }
}
