// Breadth-first search over (position, heading, carried object, keys still on the floor, door
// states): the fewest steps to the goal from any state, the action sequence that achieves it (a
// scripted expert), and success-weighted path length. Lava and the time limit are outside the
// search; dropping is never planned (with one key per door colour it is never needed).

/// Optimal plans in a GridMaze state.
public enum ShortestPathOracle {
    /// Errors for states the oracle's compact encoding cannot hold.
    public enum OracleError: Error, Equatable, CustomStringConvertible {
        case tooManyDoors(Int), tooManyKeys(Int), gridTooLarge(Int, Int)
        public var description: String {
            switch self {
            case .tooManyDoors(let n): return "the oracle handles at most 16 doors; the grid has \(n)"
            case .tooManyKeys(let n): return "the oracle handles at most 8 keys; the grid has \(n)"
            case .gridTooLarge(let w, let h): return "the oracle handles grids up to 64x64; this one is \(w)x\(h)"
            }
        }
    }

    /// The shortest action sequence that reaches the goal from `state`; nil if unreachable.
    public static func shortestPath(from state: MazeState) throws -> [MazeAction]? {
        let search = try Search(state)
        return search.run()
    }

    /// The fewest steps to the goal from `state`; nil if unreachable.
    public static func optimalSteps(from state: MazeState) throws -> Int? {
        try shortestPath(from: state)?.count
    }

    /// The first action of a shortest path (the scripted expert); nil if the goal is unreachable.
    public static func expertAction(in state: MazeState) throws -> MazeAction? {
        try shortestPath(from: state)?.first
    }

    /// Success-weighted path length (Anderson et al., 2018): the mean over episodes of
    /// success * shortest / max(shortest, taken).
    public static func successWeightedPathLength(_ episodes: [(success: Bool, shortest: Int, taken: Int)]) -> Double {
        guard !episodes.isEmpty else { return 0 }
        let total = episodes.reduce(0.0) { sum, e in
            e.success ? sum + Double(e.shortest) / Double(max(e.shortest, e.taken, 1)) : sum
        }
        return total / Double(episodes.count)
    }

    /// The search, with the static grid split from the packed dynamic state:
    /// bits 0-11 position, 12-13 heading, 14-16 carried (0 none, 1+colour for a key, 7 other),
    /// 17-24 keys on the floor, 25-56 two bits per door.
    private struct Search {
        let grid: MazeGrid
        let doors: [(x: Int, y: Int)]
        let doorColor: [CellColor]
        let keys: [(x: Int, y: Int, color: CellColor)]
        let doorIndex: [Int: Int]
        let keyIndex: [Int: Int]
        let start: UInt64

        init(_ state: MazeState) throws {
            let g = state.grid
            guard g.width <= 64 && g.height <= 64 else { throw OracleError.gridTooLarge(g.width, g.height) }
            doors = g.positions(of: .door)
            doorColor = doors.map { g[$0.x, $0.y].color }
            keys = g.positions(of: .key).map { ($0.x, $0.y, g[$0.x, $0.y].color) }
            guard doors.count <= 16 else { throw OracleError.tooManyDoors(doors.count) }
            guard keys.count <= 8 else { throw OracleError.tooManyKeys(keys.count) }
            var clean = g
            for d in doors { clean[d.x, d.y] = .empty }
            for k in keys { clean[k.x, k.y] = .empty }
            grid = clean
            doorIndex = Dictionary(uniqueKeysWithValues: doors.enumerated().map { ($0.element.y * 64 + $0.element.x, $0.offset) })
            keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element.y * 64 + $0.element.x, $0.offset) })
            var packed = UInt64(state.agentY * 64 + state.agentX) | UInt64(state.heading) << 12
            if let carried = state.carrying {
                packed |= UInt64(carried.kind == .key ? 1 + Int(carried.color.rawValue) : 7) << 14
            }
            for i in 0..<keys.count { packed |= 1 << (17 + UInt64(i)) }
            for (i, d) in doors.enumerated() { packed |= UInt64(g[d.x, d.y].state & 3) << (25 + 2 * UInt64(i)) }
            start = packed
        }

        func run() -> [MazeAction]? {
            var parent: [UInt64: (UInt64, MazeAction)] = [start: (start, .done)]
            var frontier = [start], next: [UInt64] = []
            while !frontier.isEmpty {
                for s in frontier {
                    for action in [MazeAction.left, .right, .forward, .pickup, .toggle] {
                        let (successor, reached) = transition(s, action)
                        if reached {
                            var path = [action]
                            var cursor = s
                            while cursor != start, let (previous, a) = parent[cursor] { path.append(a); cursor = previous }
                            return path.reversed()
                        }
                        guard let successor, parent[successor] == nil else { continue }
                        parent[successor] = (s, action)
                        next.append(successor)
                    }
                }
                swap(&frontier, &next)
                next.removeAll(keepingCapacity: true)
            }
            return nil
        }

        /// The successor of `s` under `action` (nil when nothing changes or the agent dies) and
        /// whether the action reaches the goal.
        private func transition(_ s: UInt64, _ action: MazeAction) -> (UInt64?, Bool) {
            let pos = Int(s & 0xFFF), x = pos % 64, y = pos / 64
            let heading = Int((s >> 12) & 3)
            let carried = Int((s >> 14) & 7)
            switch action {
            case .left: return ((s & ~(3 << 12)) | UInt64((heading + 3) & 3) << 12, false)
            case .right: return ((s & ~(3 << 12)) | UInt64((heading + 1) & 3) << 12, false)
            default: break
            }
            let fx = x + Heading.dx(heading), fy = y + Heading.dy(heading)
            let front = cell(s, fx, fy)
            switch action {
            case .forward:
                if front.kind == .goal { return (nil, true) }
                if front.kind == .lava || !front.isPassable { return (nil, false) }
                return ((s & ~0xFFF) | UInt64(fy * 64 + fx), false)
            case .pickup:
                guard carried == 0, front.kind == .key, let k = keyIndex[fy * 64 + fx] else { return (nil, false) }
                return ((s & ~(1 << (17 + UInt64(k))) & ~(7 << 14)) | UInt64(1 + Int(front.color.rawValue)) << 14, false)
            case .toggle:
                guard front.kind == .door, let d = doorIndex[fy * 64 + fx] else { return (nil, false) }
                let shift = 25 + 2 * UInt64(d)
                var newState = front.state
                if front.state == DoorState.locked.rawValue {
                    guard carried == 1 + Int(front.color.rawValue) else { return (nil, false) }
                    newState = DoorState.open.rawValue
                } else {
                    newState = front.state == DoorState.open.rawValue ? DoorState.closed.rawValue : DoorState.open.rawValue
                }
                return ((s & ~(3 << shift)) | UInt64(newState) << shift, false)
            default:
                return (nil, false)
            }
        }

        private func cell(_ s: UInt64, _ x: Int, _ y: Int) -> Cell {
            guard grid.contains(x, y) else { return .wall }
            if let d = doorIndex[y * 64 + x] {
                return Cell(.door, doorColor[d], state: UInt8((s >> (25 + 2 * UInt64(d))) & 3))
            }
            if let k = keyIndex[y * 64 + x] {
                return (s >> (17 + UInt64(k))) & 1 == 1 ? .key(keys[k].color) : .empty
            }
            return grid[x, y]
        }
    }
}
