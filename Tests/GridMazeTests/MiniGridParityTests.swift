// Parity with MiniGrid 3.2 itself: scripts/minigrid_parity.py builds MiniGrid's environment for a
// seed and dumps its layout as a text map; we load that map, replay the same actions, and compare
// MiniGrid's symbolic observation, reward, terminated and truncated at every step (and, for some
// cases, its RGB partial view and full map). Actions come from our generator (random, long
// enough to hit the time limit) or from our oracle (so the goal is reached).
import Foundation
import RL
import Testing
import TestSupport
import GridMaze

struct MiniGridRecord: Decodable {
    struct Frames: Decodable {
        var rgb: String
        var rgb_full: String
    }
    struct Step: Decodable {
        var action: Int
        var image: [UInt8]
        var reward: Double
        var terminated: Bool
        var truncated: Bool
        var rgb: String?
        var rgb_full: String?
    }
    var map: String
    var max_steps: Int
    var see_through_walls: Bool
    var initial: [UInt8]
    var initial_frames: Frames?
    var steps: [Step]
}

enum MiniGridOracle {
    /// Runs the oracle script, or returns nil (with a note) where the tool environment is absent.
    static func record(_ env: String, seed: Int, actions: [Int], seeThroughWalls: Bool? = nil,
                       rgb: Bool = false) throws -> MiniGridRecord? {
        guard TestEnvironment.hasPythonModule("minigrid") else {
            if TestEnvironment.oraclesRequired { throw TestEnvironment.ToolError.missingPython }
            TestEnvironment.note("MiniGrid is not installed in .tools: skipping the MiniGrid parity test")
            return nil
        }
        var arguments = ["scripts/minigrid_parity.py", env, String(seed),
                         "--actions", actions.map(String.init).joined(separator: ",")]
        if let seeThroughWalls { arguments += ["--see-through-walls", seeThroughWalls ? "true" : "false"] }
        if rgb { arguments.append("--rgb") }
        let output = try TestEnvironment.python(arguments)
        return try JSONDecoder().decode(MiniGridRecord.self, from: Data(output.utf8))
    }
}

/// How the actions of a case are chosen.
enum ActionPlan: Sendable, CustomStringConvertible {
    case random(count: Int)
    /// The oracle's shortest path to the goal.
    case expert
    /// `prefix` expert steps, then random ones.
    case expertThenRandom(prefix: Int, count: Int)

    var description: String {
        switch self {
        case .random(let n): return "random(\(n))"
        case .expert: return "expert"
        case .expertThenRandom(let p, let n): return "expert(\(p))+random(\(n))"
        }
    }
}

struct ParityCase: Sendable, CustomStringConvertible {
    var env: String
    var seed: Int
    var plan: ActionPlan
    var seeThroughWalls: Bool? = nil
    var rgb = false
    var description: String { "\(env) seed \(seed) \(plan)" + (seeThroughWalls.map { " see-through=\($0)" } ?? "") }
}

@Suite("MiniGrid parity")
struct MiniGridParityTests {
    static let cases: [ParityCase] = [
        ParityCase(env: "MiniGrid-Empty-5x5-v0", seed: 0, plan: .expert),
        ParityCase(env: "MiniGrid-Empty-8x8-v0", seed: 1, plan: .random(count: 300)),
        ParityCase(env: "MiniGrid-Empty-8x8-v0", seed: 2, plan: .random(count: 300), seeThroughWalls: false),
        ParityCase(env: "MiniGrid-Empty-16x16-v0", seed: 3, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 0, plan: .random(count: 120)),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 1, plan: .random(count: 120), rgb: true),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 2, plan: .random(count: 120)),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 3, plan: .expert),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 4, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-5x5-v0", seed: 0, plan: .random(count: 300)),
        ParityCase(env: "MiniGrid-DoorKey-5x5-v0", seed: 1, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 2, plan: .expert),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 3, plan: .expertThenRandom(prefix: 6, count: 700)),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 4, plan: .expertThenRandom(prefix: 12, count: 200), rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-16x16-v0", seed: 5, plan: .expert),
    ]

    @Test(arguments: cases)
    func replayMatchesMiniGrid(_ parity: ParityCase) throws {
        // First the layout alone, then the replay with actions planned on our side.
        guard let layoutRecord = try MiniGridOracle.record(parity.env, seed: parity.seed, actions: [],
                                                           seeThroughWalls: parity.seeThroughWalls) else { return }
        let layout = try TextMap.parse(layoutRecord.map, source: parity.env)
        let actions = try plan(parity, layout: layout)
        let record = try #require(try MiniGridOracle.record(parity.env, seed: parity.seed, actions: actions,
                                                            seeThroughWalls: parity.seeThroughWalls, rgb: parity.rgb))
        #expect(record.map == layoutRecord.map)

        func environment(_ observation: GridMazeConfiguration.Observation) -> GridMazeEnvironment {
            GridMazeEnvironment(level: FixedLevel(layout: layout, maxSteps: record.max_steps),
                                configuration: GridMazeConfiguration(observation: observation,
                                                                     seeThroughWalls: record.see_through_walls))
        }
        let symbolic = environment(.symbolic)
        let rgb = environment(.rgb)
        #expect(symbolic.reset(seed: 0).observation == record.initial)
        let rgbInitial = rgb.reset(seed: 0).observation
        if let frames = record.initial_frames {
            #expect(rgbInitial == [UInt8](Data(base64Encoded: frames.rgb)!), "initial RGB view")
            #expect(renderMap(rgb) == [UInt8](Data(base64Encoded: frames.rgb_full)!), "initial RGB map")
        }
        #expect(!record.steps.isEmpty)
        for (index, expected) in record.steps.enumerated() {
            let (observation, result) = try symbolic.step(expected.action)
            let (rgbObservation, _) = try rgb.step(expected.action)
            #expect(observation == expected.image, "step \(index) action \(expected.action): observation")
            #expect(abs(Double(result.reward) - expected.reward) < 1e-6, "step \(index): reward")
            #expect(result.terminated == expected.terminated, "step \(index): terminated")
            #expect(result.truncated == expected.truncated, "step \(index): truncated")
            if let pixels = expected.rgb, let full = expected.rgb_full {
                #expect(rgbObservation == [UInt8](Data(base64Encoded: pixels)!), "step \(index): RGB view")
                #expect(renderMap(rgb) == [UInt8](Data(base64Encoded: full)!), "step \(index): RGB map")
            }
        }
        // MiniGrid stopped where the episode ended; so must we.
        if let last = record.steps.last, record.steps.count < actions.count {
            #expect(last.terminated || last.truncated)
            #expect(throws: EnvironmentError.stepAfterEpisodeEnd) { try symbolic.step(0) }
        }
        switch parity.plan {
        case .expert:
            #expect(record.steps.last?.terminated == true && (record.steps.last?.reward ?? 0) > 0,
                    "the expert reaches the goal")
        case .random(let n), .expertThenRandom(_, let n):
            if n > record.max_steps { #expect(record.steps.last?.truncated == true || record.steps.last?.terminated == true) }
        }
    }

    private func renderMap(_ env: GridMazeEnvironment) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: env.renderSpace.byteCount)
        pixels.withUnsafeMutableBytes { env.render(into: $0) }
        return pixels
    }

    private func plan(_ parity: ParityCase, layout: MazeLayout) throws -> [Int] {
        var generator = SeededGenerator(seed: UInt64(parity.seed) &* 7919 &+ 17)
        let expert = try #require(try ShortestPathOracle.shortestPath(from: MazeState(layout: layout)))
        switch parity.plan {
        case .random(let n):
            return (0..<n).map { _ in generator.uniform(below: 7) }
        case .expert:
            return expert.map(\.rawValue)
        case .expertThenRandom(let prefix, let n):
            return expert.prefix(prefix).map(\.rawValue) + (0..<n).map { _ in generator.uniform(below: 7) }
        }
    }
}
