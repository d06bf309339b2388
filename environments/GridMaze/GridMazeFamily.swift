// The `maze/...` identifiers: each level family with MiniGrid's sizes, and the options every
// GridMaze environment accepts. The `rl` command calls `register(into:)` at startup.
import RL

/// Registers the GridMaze identifiers.
public enum GridMazeFamily {
    /// Options shared by every `maze/...` identifier.
    static func commonOptions(seeThroughWalls: Bool = false, maxSteps: String = "0") -> [OptionSpec] {
        [
            OptionSpec("obs", accepted: "symbolic|grid|rgb|rgb-full|centered", default: "symbolic"),
            OptionSpec("view-size", accepted: "an odd integer in 3...15", default: "7"),
            OptionSpec("see-through-walls", accepted: "true|false", default: seeThroughWalls ? "true" : "false"),
            OptionSpec("tile-size", accepted: "an integer in 1...64", default: "8"),
            OptionSpec("num-levels", accepted: "an integer in 0...1000000000 (0: a new layout every episode)", default: "0"),
            OptionSpec("start-level", accepted: "an integer in 0...1000000000", default: "0"),
            OptionSpec("max-steps", accepted: "an integer in 0...100000000 (0: the family's)", default: maxSteps),
        ]
    }

    static func configuration(_ options: EnvironmentOptions) throws -> GridMazeConfiguration {
        let viewSize = try options.int("view-size", in: 3...15)
        guard viewSize % 2 == 1 else {
            throw RegistryError.badOptionValue(option: "view-size", value: String(viewSize), accepted: "an odd integer in 3...15")
        }
        let observation = try options.choice("obs", GridMazeConfiguration.Observation.allCases.map(\.rawValue))
        let maxSteps = try options.int("max-steps", in: 0...100_000_000)
        return GridMazeConfiguration(
            observation: GridMazeConfiguration.Observation(rawValue: observation)!,
            viewSize: viewSize,
            seeThroughWalls: try options.bool("see-through-walls"),
            tileSize: try options.int("tile-size", in: 1...64),
            numLevels: try options.int("num-levels", in: 0...1_000_000_000),
            startLevel: try options.int("start-level", in: 0...1_000_000_000),
            maxSteps: maxSteps == 0 ? nil : maxSteps)
    }

    /// Adds every `maze/...` identifier to `registry`.
    public static func register(into registry: inout EnvironmentRegistry) {
        func add(_ id: String, _ summary: String, extra: [OptionSpec] = [], seeThroughWalls: Bool = false,
                 maxSteps: String = "0", level: @escaping @Sendable (EnvironmentOptions) throws -> any LevelGenerator) {
            registry.register("maze/" + id, summary: summary,
                              options: commonOptions(seeThroughWalls: seeThroughWalls, maxSteps: maxSteps) + extra) { options in
                GridMazeEnvironment(level: try level(options), configuration: try configuration(options))
            }
        }
        let randomStart = OptionSpec("random-start", accepted: "true|false", default: "false")
        for n in [5, 6, 8, 16] {
            // MiniGrid's Empty rooms see through walls (see_through_walls=True).
            add("empty-\(n)", "MiniGrid Empty-\(n)x\(n): reach the far corner", extra: [randomStart],
                seeThroughWalls: true) { EmptyRoom(size: n, randomStart: try $0.bool("random-start")) }
        }
        add("four-rooms", "MiniGrid FourRooms: four 19x19 rooms, random start and goal") { _ in FourRooms() }
        for n in [5, 6, 8, 16] {
            add("doorkey-\(n)", "MiniGrid DoorKey-\(n)x\(n): key, locked door, goal") { _ in DoorKey(size: n) }
        }
        let rooms = OptionSpec("rooms", accepted: "an integer in 1...6", default: "6")
        let roomSize = OptionSpec("room-size", accepted: "an integer in 4...10", default: "10")
        add("multi-room", "MiniGrid MultiRoom: a chain of rooms joined by closed doors", extra: [rooms, roomSize]) {
            MultiRoom(rooms: try $0.int("rooms", in: 1...6), maxRoomSize: try $0.int("room-size", in: 4...10))
        }
        add("multi-room-n2-s4", "MiniGrid MultiRoom-N2-S4") { _ in MultiRoom(rooms: 2, maxRoomSize: 4) }
        add("multi-room-n4-s5", "MiniGrid MultiRoom-N4-S5") { _ in MultiRoom(rooms: 4, maxRoomSize: 5) }
        for (s, n) in [(9, 1), (9, 2), (9, 3), (11, 5)] {
            add("lava-crossing-s\(s)n\(n)", "MiniGrid LavaCrossingS\(s)N\(n): cross lava rivers") { _ in
                LavaCrossing(size: s, crossings: n)
            }
        }
        let loops = OptionSpec("loops", accepted: "a number in 0...1 (fraction of inner walls removed)", default: "0")
        let algorithm = OptionSpec("algorithm", accepted: "backtracker|kruskal", default: "backtracker")
        for n in [5, 7, 9, 11, 15, 21, 25, 31] {
            add("random-\(n)", "a \(n)x\(n) perfect maze (recursive backtracker or Kruskal)", extra: [loops, algorithm]) {
                PerfectMaze(size: n, loops: try $0.double("loops", in: 0...1),
                            algorithm: PerfectMaze.Algorithm(rawValue: try $0.choice("algorithm", ["backtracker", "kruskal"]))!)
            }
        }
        let file = OptionSpec("file", accepted: "the path of a text map (see environments/GridMaze/README.md)", default: "")
        add("map", "a layout from a text-map file", extra: [file], maxSteps: "100") { options in
            let path = options.string("file") ?? ""
            guard !path.isEmpty else {
                throw RegistryError.badOptionValue(option: "file", value: "", accepted: file.accepted)
            }
            let layout = try TextMap.load(path: path)
            return FixedLevel(layout: layout, maxSteps: try options.int("max-steps", in: 1...100_000_000))
        }
    }
}
