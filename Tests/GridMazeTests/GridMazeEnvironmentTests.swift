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
        #expect(throws: RegistryError.badOptionValue(option: "obs", value: "pixels", accepted: "symbolic|grid|rgb|rgb-full")) {
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
