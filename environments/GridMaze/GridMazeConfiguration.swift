// The options of a GridMaze environment as a value: what the agent observes, how far it sees,
// how layouts are drawn (Procgen-style level seeds), and the step budget.

/// How a GridMaze environment is observed and how its levels are drawn.
public struct GridMazeConfiguration: Sendable, Equatable {
    /// What the agent observes.
    public enum Observation: String, Sendable, CaseIterable {
        /// MiniGrid's egocentric view, viewSize x viewSize x 3 (object, colour, state), [x][y][c].
        case symbolic
        /// The full grid, width x height x 3 ([x][y][c], MiniGrid's FullyObsWrapper: the agent's
        /// cell is (10, 0, heading)).
        case grid
        /// RGB pixels of the egocentric view (MiniGrid's RGBImgPartialObsWrapper), height x width x 3.
        case rgb
        /// RGB pixels of the whole map with the view highlighted (MiniGrid's RGBImgObsWrapper).
        case rgbFull = "rgb-full"
        /// The whole map seen from the agent (ours; MiniGrid has no such wrapper): a square of
        /// side 2 max(width, height) - 1 centred on the agent and rotated so it faces up, every
        /// cell visible, cells beyond the map (0, 0, 0) as MiniGrid's unseen cells, the carried
        /// object in the agent's cell. Complete like `grid`, but egocentric like `symbolic`, so
        /// where the goal lies relative to the agent is where it shows in the input.
        case centered
    }

    public var observation: Observation = .symbolic
    public var viewSize = 7
    /// MiniGrid's see_through_walls (its Empty rooms use true; everything else false).
    public var seeThroughWalls = false
    public var tileSize = 8
    /// 0: a fresh layout every episode; n: layouts from level seeds startLevel..<startLevel+n.
    public var numLevels = 0
    public var startLevel = 0
    /// nil: the level family's MiniGrid max_steps.
    public var maxSteps: Int? = nil

    public init(observation: Observation = .symbolic, viewSize: Int = 7, seeThroughWalls: Bool = false,
                tileSize: Int = 8, numLevels: Int = 0, startLevel: Int = 0, maxSteps: Int? = nil) {
        self.observation = observation
        self.viewSize = viewSize
        self.seeThroughWalls = seeThroughWalls
        self.tileSize = tileSize
        self.numLevels = numLevels
        self.startLevel = startLevel
        self.maxSteps = maxSteps
    }
}
