// The dynamic state of an episode (grid, agent, carried object) and MiniGrid's transition rules
// for the seven actions, in one value type: the environment steps it, the oracle's exhaustive
// check copies it, and nothing else decides what an action does.

/// Everything that changes during an episode.
public struct MazeState: Sendable, Equatable, Hashable {
    public var grid: MazeGrid
    public var agentX: Int
    public var agentY: Int
    public var heading: Int
    /// The carried object, if any.
    public var carrying: Cell?

    public init(layout: MazeLayout) {
        grid = layout.grid
        agentX = layout.agentX
        agentY = layout.agentY
        heading = layout.agentHeading
        carrying = nil
    }

    /// What an action led to.
    public enum Outcome: Sendable, Equatable { case moved, reachedGoal, enteredLava }

    public var frontX: Int { agentX + Heading.dx(heading) }
    public var frontY: Int { agentY + Heading.dy(heading) }

    /// Applies one action with MiniGrid 3.2's rules (MiniGridEnv.step): forward moves onto
    /// passable cells and ends the episode on goal or lava; pickup takes a portable object when
    /// the hands are empty; drop puts the carried object on an empty cell in front; toggle opens
    /// or closes a door, and unlocks a locked door with a key of its colour (which opens it).
    @inline(__always)
    public mutating func apply(_ action: MazeAction) -> Outcome {
        switch action {
        case .left:
            heading = (heading + 3) & 3
        case .right:
            heading = (heading + 1) & 3
        case .forward:
            let fx = frontX, fy = frontY
            let front = grid[fx, fy]
            if front.isPassable { agentX = fx; agentY = fy }
            if front.kind == .goal { return .reachedGoal }
            if front.kind == .lava { return .enteredLava }
        case .pickup:
            let fx = frontX, fy = frontY
            let front = grid[fx, fy]
            if front.isPortable && carrying == nil {
                carrying = front
                grid[fx, fy] = .empty
            }
        case .drop:
            let fx = frontX, fy = frontY
            if let carried = carrying, grid.contains(fx, fy), grid[fx, fy].kind == .empty {
                grid[fx, fy] = carried
                carrying = nil
            }
        case .toggle:
            let fx = frontX, fy = frontY
            var front = grid[fx, fy]
            guard front.kind == .door else { break }
            if front.state == DoorState.locked.rawValue {
                if let carried = carrying, carried.kind == .key, carried.color == front.color {
                    front.state = DoorState.open.rawValue
                }
            } else {
                front.state = front.state == DoorState.open.rawValue ? DoorState.closed.rawValue : DoorState.open.rawValue
            }
            grid[fx, fy] = front
        case .done:
            break
        }
        return .moved
    }
}
