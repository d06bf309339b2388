// The environment's contract beyond MiniGrid parity: determinism (also across threads), level
// seeds and the train/test split, observation shapes, and clear errors for bad input.
import Foundation
import GridMaze
import RL
import Testing

@Suite("GridMaze environment")
struct GridMazeEnvironmentTests {
    var registry: EnvironmentRegistry {
        var registry = EnvironmentRegistry()
        GridMazeFamily.register(into: &registry)
        return registry
    }

    func rollout(_ env: any Environment, seed: UInt64, steps: Int) throws -> [[UInt8]] {
        var frames = [env.reset(seed: seed).observation]
        var actions = SeededGenerator(seed: 1)
        for _ in 0..<steps {
            let (observation, result) = try env.step(actions.uniform(below: 7))
            frames.append(observation + [result.terminated ? 1 : 0, result.truncated ? 1 : 0])
            if result.done { frames.append(env.reset(seed: nil).observation) }
        }
        return frames
    }

    @Test(arguments: ["maze/four-rooms", "maze/doorkey-8", "maze/multi-room", "maze/lava-crossing-s9n2", "maze/random-15"])
    func sameSeedSameEpisode(_ id: String) throws {
        let a = try rollout(registry.make(id), seed: 3, steps: 400)
        let b = try rollout(registry.make(id), seed: 3, steps: 400)
        let c = try rollout(registry.make(id), seed: 4, steps: 400)
        #expect(a == b)
        #expect(a != c)
    }

    func vectorTrajectory(_ id: String, options: [String: String], threads: Int) throws -> [[UInt8]] {
        let envs = try (0..<6).map { _ in try registry.make(id, options: options) }
        let vector = VectorEnvironment(envs, threads: threads)
        vector.reset(seed: 21)
        var actions = SeededGenerator(seed: 2)
        var frames = [Array(vector.observations)]
        for _ in 0..<300 {
            try vector.step((0..<6).map { _ in actions.uniform(below: 7) })
            frames.append(Array(vector.observations) + vector.rewards.map { UInt8(min(255, $0 * 255)) }
                          + vector.terminated.map { $0 ? 1 : 0 } + vector.truncated.map { $0 ? 1 : 0 })
        }
        return frames
    }

    @Test(arguments: [("maze/four-rooms", "symbolic"), ("maze/doorkey-6", "rgb"), ("maze/random-9", "grid")])
    func vectorIsDeterministicWithOneAndTwoThreads(_ item: (String, String)) throws {
        let one = try vectorTrajectory(item.0, options: ["obs": item.1], threads: 1)
        let two = try vectorTrajectory(item.0, options: ["obs": item.1], threads: 2)
        #expect(one == two)
    }

    @Test func levelSeedsSplitTrainFromTest() throws {
        func seeds(_ options: [String: String]) throws -> Set<UInt64> {
            let env = try #require(try registry.make("maze/random-11", options: options) as? GridMazeEnvironment)
            _ = env.reset(seed: 0)
            var seen: Set<UInt64> = [env.levelSeed]
            for _ in 0..<200 { _ = env.reset(seed: nil); seen.insert(env.levelSeed) }
            return seen
        }
        let train = try seeds(["num-levels": "10", "start-level": "0"])
        let test = try seeds(["num-levels": "10", "start-level": "10"])
        #expect(train.count == 10 && test.count == 10)
        #expect(train.isDisjoint(with: test))
        #expect(try seeds(["num-levels": "1"]).count == 1)
        #expect(try seeds([:]).count == 201)
        // A level seed fixes the layout.
        let a = try #require(try registry.make("maze/four-rooms", options: ["num-levels": "1", "start-level": "7"]) as? GridMazeEnvironment)
        _ = a.reset(seed: 1); let first = a.state
        _ = a.reset(seed: 2)
        #expect(a.state.grid == first.grid)
    }

    @Test func observationSpacesFollowTheOptions() throws {
        #expect(try registry.make("maze/four-rooms").observationSpace == .image(height: 7, width: 7, channels: 3))
        #expect(try registry.make("maze/four-rooms", options: ["obs": "rgb"]).observationSpace == .image(height: 56, width: 56, channels: 3))
        #expect(try registry.make("maze/empty-8", options: ["obs": "rgb-full"]).observationSpace == .image(height: 64, width: 64, channels: 3))
        #expect(try registry.make("maze/doorkey-8", options: ["obs": "grid"]).observationSpace == .image(height: 8, width: 8, channels: 3))
        #expect(try registry.make("maze/four-rooms", options: ["view-size": "5"]).observationSpace == .image(height: 5, width: 5, channels: 3))
        let env = try #require(try registry.make("maze/doorkey-5") as? GridMazeEnvironment)
        #expect(env.actionNames == ["left", "right", "forward", "pickup", "drop", "toggle", "done"])
        #expect(env.maxSteps == 250)
        #expect((try registry.make("maze/four-rooms") as? GridMazeEnvironment)?.maxSteps == 100)
        #expect((try registry.make("maze/empty-16") as? GridMazeEnvironment)?.maxSteps == 1024)
        #expect((try registry.make("maze/multi-room") as? GridMazeEnvironment)?.maxSteps == 120)
    }

    @Test func fullGridMarksTheAgent() throws {
        let env = try registry.make("maze/empty-5", options: ["obs": "grid"])
        let observation = env.reset(seed: 0).observation
        // (x, y) = (1, 1) is at ((1 * 5) + 1) * 3: agent, red, heading right.
        #expect(Array(observation[18..<21]) == [10, 0, 0])
        #expect(Array(observation[((3 * 5) + 3) * 3 ..< ((3 * 5) + 3) * 3 + 3]) == [8, 1, 0])
    }

    /// The `centered` view against the two observations already checked against MiniGrid, in
    /// lockstep on the same seed: every cell is the full grid's cell at the position MiniGrid's
    /// heading vectors give (DIR_TO_VEC, right = (-dy, dx)), (0, 0, 0) beyond the map; the agent's
    /// cell is what the MiniGrid view shows there (the carried object); and every visible cell of
    /// the 7x7 view is the same cell here. Turns rotate the view by a quarter.
    @Test(arguments: ["maze/four-rooms", "maze/doorkey-6", "maze/lava-crossing-s9n2"])
    func centeredViewIsTheWholeGridAroundTheAgent(_ id: String) throws {
        let grid = try registry.make(id, options: ["obs": "grid"])
        let centered = try registry.make(id, options: ["obs": "centered"])
        let partial = try registry.make(id)
        guard case .box(let gridShape, _, _, _) = grid.observationSpace else { Issue.record("grid space"); return }
        let width = gridShape[0], height = gridShape[1]
        let side = 2 * max(width, height) - 1, c = side / 2
        #expect(centered.observationSpace == .image(height: side, width: side, channels: 3))
        let directions = [(1, 0), (0, 1), (-1, 0), (0, -1)]
        var g = grid.reset(seed: 5).observation, v = centered.reset(seed: 5).observation
        var p = partial.reset(seed: 5).observation
        var actions = SeededGenerator(seed: 9)
        var previous: (view: [UInt8], action: Int)? = nil
        var checked = 0, turnsChecked = 0
        for _ in 0..<400 {
            func cell(_ o: [UInt8], _ i: Int) -> [UInt8] { Array(o[3 * i ..< 3 * i + 3]) }
            let agent = try #require((0..<(width * height)).first { g[3 * $0] == 10 })
            let ax = agent / height, ay = agent % height, heading = Int(g[3 * agent + 2])
            let (dx, dy) = directions[heading], (rx, ry) = (-dy, dx)
            for vx in 0..<side {
                for vy in 0..<side where !(vx == c && vy == c) {
                    let ahead = c - vy, right = vx - c
                    let wx = ax + ahead * dx + right * rx, wy = ay + ahead * dy + right * ry
                    let inside = wx >= 0 && wy >= 0 && wx < width && wy < height
                    let expected = inside ? cell(g, wx * height + wy) : [0, 0, 0]
                    if cell(v, vx * side + vy) != expected {
                        Issue.record("\(id): view cell (\(vx), \(vy)) is \(cell(v, vx * side + vy)), the grid has \(expected)")
                        return
                    }
                }
            }
            #expect(cell(v, c * side + c) == cell(p, 3 * 7 + 6))
            for px in 0..<7 {
                for py in 0..<7 where cell(p, px * 7 + py) != [0, 0, 0] {
                    let ahead = 6 - py, right = px - 3
                    let wx = ax + ahead * dx + right * rx, wy = ay + ahead * dy + right * ry
                    guard wx >= 0 && wy >= 0 && wx < width && wy < height else { continue }
                    #expect(cell(v, (c + right) * side + (c - ahead)) == cell(p, px * 7 + py))
                }
            }
            if let (old, action) = previous, action == MazeAction.left.rawValue {
                // What was on the left is now ahead: old (vx, vy) is new (2c - vy, vx).
                for vx in 0..<side {
                    for vy in 0..<side where cell(old, vx * side + vy) != cell(v, (2 * c - vy) * side + vx) {
                        Issue.record("\(id): turning left moved (\(vx), \(vy)) elsewhere"); return
                    }
                }
                turnsChecked += 1
            }
            checked += 1
            let action = actions.uniform(below: 6)
            let a = try grid.step(action), b = try centered.step(action), d = try partial.step(action)
            #expect(a.result.done == b.result.done && a.result.reward == b.result.reward && b.result.done == d.result.done)
            previous = (v, action)
            (g, v, p) = (a.observation, b.observation, d.observation)
            if a.result.done {
                (g, v, p) = (grid.reset(seed: nil).observation, centered.reset(seed: nil).observation, partial.reset(seed: nil).observation)
                previous = nil
            }
        }
        #expect(checked == 400 && turnsChecked > 20)
    }

    @Test func badActionsAndStepsAreTypedErrors() throws {
        let env = try registry.make("maze/empty-5")
        #expect(throws: EnvironmentError.stepBeforeReset) { try env.step(0) }
        _ = env.reset(seed: 0)
        #expect(throws: EnvironmentError.invalidAction(7, space: .discrete(7))) { try env.step(7) }
        #expect(throws: EnvironmentError.invalidAction(-1, space: .discrete(7))) { try env.step(-1) }
        // Reach the goal: right, forward, forward... in empty-5 the goal is at (3, 3).
        for action in [2, 2, 1, 2] { _ = try env.step(action) }
        let last = try env.step(2).result
        #expect(last.terminated && last.reward > 0)
        #expect(throws: EnvironmentError.stepAfterEpisodeEnd) { try env.step(0) }
        var small = [UInt8](repeating: 0, count: 3)
        _ = env.reset(seed: 0)
        #expect(throws: EnvironmentError.observationBufferTooSmall(needed: 147, got: 3)) {
            try small.withUnsafeMutableBytes { try env.step(0, observation: $0) }
        }
    }

    @Test func unknownLevelsAndOptionsAreTypedErrors() throws {
        #expect {
            try registry.make("maze/five-rooms")
        } throws: { error in
            guard case RegistryError.unknownEnvironment("maze/five-rooms", let known) = error else { return false }
            return known.contains("maze/four-rooms")
        }
        #expect(throws: RegistryError.unknownOption("colour", environment: "maze/empty-8",
                                                    accepted: ["obs", "view-size", "see-through-walls", "tile-size",
                                                               "num-levels", "start-level", "max-steps", "random-start"])) {
            try registry.make("maze/empty-8", options: ["colour": "red"])
        }
        #expect(throws: RegistryError.badOptionValue(option: "obs", value: "pixels", accepted: "symbolic|grid|rgb|rgb-full|centered")) {
            try registry.make("maze/empty-8", options: ["obs": "pixels"])
        }
        #expect(throws: RegistryError.badOptionValue(option: "view-size", value: "4", accepted: "an odd integer in 3...15")) {
            try registry.make("maze/empty-8", options: ["view-size": "4"])
        }
        #expect(throws: RegistryError.self) { try registry.make("maze/random-9", options: ["loops": "2"]) }
        #expect(throws: RegistryError.self) { try registry.make("maze/map") }
    }

    @Test func mapFilesLoadThroughTheRegistry() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gridmaze-\(getpid()).txt")
        try "; corridor\n# # # # #\n# > . G #\n# # # # #\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let env = try registry.make("maze/map", options: ["file": url.path, "max-steps": "10"])
        _ = env.reset(seed: 0)
        _ = try env.step(2)
        let result = try env.step(2).result
        #expect(result.terminated && abs(result.reward - Float(1 - 0.9 * 0.2)) < 1e-6)
        #expect {
            try registry.make("maze/map", options: ["file": "/nonexistent/map.txt"])
        } throws: { ($0 as? TextMapError)?.message == "cannot read the file" }
    }

    @Test func lavaTerminatesWithoutReward() throws {
        let layout = try TextMap.parse("# # # #\n# > ~ #\n# # G #\n# # # #")
        let env = GridMazeEnvironment(level: FixedLevel(layout: layout, maxSteps: 10))
        _ = env.reset(seed: 0)
        let result = try env.step(2).result
        #expect(result.terminated && result.reward == 0 && result.info.success == false)
    }

    @Test func truncationAtMaxSteps() throws {
        let layout = try TextMap.parse("# # # #\n# > . #\n# . G #\n# # # #")
        let env = GridMazeEnvironment(level: FixedLevel(layout: layout, maxSteps: 3))
        _ = env.reset(seed: 0)
        #expect(try !env.step(0).result.done)
        #expect(try !env.step(0).result.done)
        let last = try env.step(0).result
        #expect(last.truncated && !last.terminated && last.reward == 0)
    }
}
