// MiniGrid's MultiRoom: a chain of rooms placed at random, each joined to the next by a closed
// door of a colour different from the previous door; start in the first room, goal in the last;
// max_steps 20 per room. Room placement follows MiniGrid's recursive rejection scheme.
import RL

/// A chain of `rooms` rooms of side 4...`maxRoomSize` in a `size` x `size` grid.
public struct MultiRoom: LevelGenerator {
    public let rooms: Int
    public let maxRoomSize: Int
    public let size: Int
    public init(rooms: Int, maxRoomSize: Int = 10, size: Int = 25) {
        self.rooms = rooms
        self.maxRoomSize = maxRoomSize
        self.size = size
    }
    public var width: Int { size }
    public var height: Int { size }
    public var maxSteps: Int { rooms * 20 }

    private struct Room {
        var x, y, w, h: Int
        var entry: (x: Int, y: Int)
    }

    public func generate(into grid: inout MazeGrid, _ generator: inout SeededGenerator) -> AgentStart {
        var best: [Room] = []
        // Keep the longest chain; retry until it has every room (as MiniGrid does).
        var attempts = 0
        while best.count < rooms {
            attempts += 1
            precondition(attempts < 100_000, "MultiRoom: cannot place \(rooms) rooms in \(size)x\(size)")
            var chain: [Room] = []
            let entry = (generator.uniform(in: 0..<(size - 2)), generator.uniform(in: 0..<(size - 2)))
            _ = placeRoom(rooms, &chain, entryWall: 2, entry: entry, &generator)
            if chain.count > best.count { best = chain }
        }
        grid.clear()
        var previousColor: CellColor? = nil
        for (index, room) in best.enumerated() {
            grid.wallRectangle(x: room.x, y: room.y, width: room.w, height: room.h)
            if index > 0 {
                let colors = CellColor.allCases.filter { $0 != previousColor }
                let color = colors[generator.uniform(below: colors.count)]
                grid[room.entry.x, room.entry.y] = .door(color, .closed)
                previousColor = color
            }
        }
        let first = best[0], last = best[best.count - 1]
        let agent = randomFreeCell(in: grid, x: first.x, y: first.y, width: first.w, height: first.h, &generator)
        let heading = generator.uniform(below: 4)
        let goal = randomFreeCell(in: grid, x: last.x, y: last.y, width: last.w, height: last.h,
                                  avoiding: (agent.x, agent.y), &generator)
        grid[goal.x, goal.y] = .goal
        return AgentStart(x: agent.x, y: agent.y, heading: heading)
    }

    /// Places a room entered through `entry` on wall `entryWall` (0 right, 1 bottom, 2 left,
    /// 3 top), then tries up to eight exits for the next room.
    private func placeRoom(_ left: Int, _ chain: inout [Room], entryWall: Int, entry: (Int, Int),
                           _ generator: inout SeededGenerator) -> Bool {
        let w = generator.uniform(in: 4..<(maxRoomSize + 1)), h = generator.uniform(in: 4..<(maxRoomSize + 1))
        var x = 0, y = 0
        if chain.isEmpty {
            (x, y) = entry
        } else {
            switch entryWall {
            case 0: x = entry.0 - w + 1; y = generator.uniform(in: (entry.1 - h + 2)..<entry.1)
            case 1: x = generator.uniform(in: (entry.0 - w + 2)..<entry.0); y = entry.1 - h + 1
            case 2: x = entry.0; y = generator.uniform(in: (entry.1 - h + 2)..<entry.1)
            default: x = generator.uniform(in: (entry.0 - w + 2)..<entry.0); y = entry.1
            }
        }
        if x < 0 || y < 0 || x + w > size || y + h >= size { return false }
        for room in chain.dropLast() {
            let apart = x + w < room.x || room.x + room.w <= x || y + h < room.y || room.y + room.h <= y
            if !apart { return false }
        }
        chain.append(Room(x: x, y: y, w: w, h: h, entry: entry))
        if left == 1 { return true }
        for _ in 0..<8 {
            let walls = [0, 1, 2, 3].filter { $0 != entryWall }
            let exitWall = walls[generator.uniform(below: walls.count)]
            let exit: (Int, Int)
            switch exitWall {
            case 0: exit = (x + w - 1, y + generator.uniform(in: 1..<(h - 1)))
            case 1: exit = (x + generator.uniform(in: 1..<(w - 1)), y + h - 1)
            case 2: exit = (x, y + generator.uniform(in: 1..<(h - 1)))
            default: exit = (x + generator.uniform(in: 1..<(w - 1)), y)
            }
            if placeRoom(left - 1, &chain, entryWall: (exitWall + 2) % 4, entry: exit, &generator) { break }
        }
        return true
    }
}
