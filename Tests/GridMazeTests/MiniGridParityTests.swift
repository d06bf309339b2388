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

/// Where two byte arrays first differ and how many bytes differ (nil when equal), so a failure
/// reports a position rather than two long arrays.
func firstDifference(_ ours: [UInt8], _ theirs: [UInt8]) -> String? {
    guard ours.count == theirs.count else { return "sizes differ: \(ours.count) vs \(theirs.count)" }
    guard let first = ours.indices.first(where: { ours[$0] != theirs[$0] }) else { return nil }
    let count = ours.indices.filter { ours[$0] != theirs[$0] }.count
    return "\(count) bytes differ; first at \(first): ours \(ours[first]), MiniGrid \(theirs[first])"
}

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
    var agent_view_size: Int
    var see_through_walls: Bool
    var initial: [UInt8]
    var initial_frames: Frames?
    var steps: [Step]
}

enum MiniGridOracle {
    /// Runs the oracle script, or returns nil (with a note) where the tool environment is absent.
    static func record(_ env: String, seed: Int, actions: [Int], seeThroughWalls: Bool? = nil,
                       rgb: Bool = false, viewSize: Int? = nil) throws -> MiniGridRecord? {
        guard TestEnvironment.hasPythonModule("minigrid") else {
            if TestEnvironment.oraclesRequired { throw TestEnvironment.ToolError.missingPython }
            TestEnvironment.note("MiniGrid is not installed in .tools: skipping the MiniGrid parity test")
            return nil
        }
        var arguments = ["scripts/minigrid_parity.py", env, String(seed),
                         "--actions", actions.map(String.init).joined(separator: ",")]
        if let seeThroughWalls { arguments += ["--see-through-walls", seeThroughWalls ? "true" : "false"] }
        if rgb { arguments.append("--rgb") }
        if let viewSize { arguments += ["--agent-view-size", String(viewSize)] }
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
    /// The episode must end by the time limit (so truncation is compared at least once).
    var mustTruncate = false
    var viewSize: Int? = nil
    var description: String {
        "\(env) seed \(seed) \(plan)" + (seeThroughWalls.map { " see-through=\($0)" } ?? "")
            + (viewSize.map { " view \($0)" } ?? "")
    }
}

@Suite("MiniGrid parity")
struct MiniGridParityTests {
    static let cases: [ParityCase] = [
        ParityCase(env: "MiniGrid-Empty-5x5-v0", seed: 0, plan: .expert),
        ParityCase(env: "MiniGrid-Empty-8x8-v0", seed: 1, plan: .random(count: 300)),
        ParityCase(env: "MiniGrid-Empty-8x8-v0", seed: 2, plan: .random(count: 300), seeThroughWalls: false),
        ParityCase(env: "MiniGrid-Empty-16x16-v0", seed: 3, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 0, plan: .random(count: 120), mustTruncate: true),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 1, plan: .random(count: 120), rgb: true),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 2, plan: .random(count: 120)),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 3, plan: .expert),
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 4, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-5x5-v0", seed: 0, plan: .random(count: 300), mustTruncate: true),
        ParityCase(env: "MiniGrid-DoorKey-5x5-v0", seed: 1, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 2, plan: .expert),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 3, plan: .expertThenRandom(prefix: 6, count: 700)),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 4, plan: .expertThenRandom(prefix: 12, count: 200), rgb: true),
        ParityCase(env: "MiniGrid-DoorKey-16x16-v0", seed: 5, plan: .expert),
        // Other view sizes (MiniGrid's agent_view_size).
        ParityCase(env: "MiniGrid-FourRooms-v0", seed: 5, plan: .random(count: 60), rgb: true, viewSize: 5),
        ParityCase(env: "MiniGrid-DoorKey-8x8-v0", seed: 6, plan: .expertThenRandom(prefix: 8, count: 60), rgb: true, viewSize: 9),
        // Beyond the three required families: lava and closed doors.
        ParityCase(env: "MiniGrid-LavaCrossingS9N2-v0", seed: 0, plan: .random(count: 400)),
        ParityCase(env: "MiniGrid-LavaCrossingS9N2-v0", seed: 1, plan: .expert, rgb: true),
        ParityCase(env: "MiniGrid-MultiRoom-N2-S4-v0", seed: 0, plan: .expertThenRandom(prefix: 4, count: 60), rgb: true),
        ParityCase(env: "MiniGrid-MultiRoom-N4-S5-v0", seed: 1, plan: .expert),
    ]

    @Test(arguments: cases)
    func replayMatchesMiniGrid(_ parity: ParityCase) throws {
        // First the layout alone, then the replay with actions planned on our side.
        guard let layoutRecord = try MiniGridOracle.record(parity.env, seed: parity.seed, actions: [],
                                                           seeThroughWalls: parity.seeThroughWalls,
                                                           viewSize: parity.viewSize) else { return }
        let layout = try TextMap.parse(layoutRecord.map, source: parity.env)
        let actions = try plan(parity, layout: layout)
        let record = try #require(try MiniGridOracle.record(parity.env, seed: parity.seed, actions: actions,
                                                            seeThroughWalls: parity.seeThroughWalls, rgb: parity.rgb,
                                                            viewSize: parity.viewSize))
        #expect(record.map == layoutRecord.map)

        func environment(_ observation: GridMazeConfiguration.Observation) -> GridMazeEnvironment {
            GridMazeEnvironment(level: FixedLevel(layout: layout, maxSteps: record.max_steps),
                                configuration: GridMazeConfiguration(observation: observation,
                                                                     viewSize: record.agent_view_size,
                                                                     seeThroughWalls: record.see_through_walls))
        }
        let symbolic = environment(.symbolic)
        let rgb = environment(.rgb)
        #expect(firstDifference(symbolic.reset(seed: 0).observation, record.initial) == nil, "initial observation")
        let rgbInitial = rgb.reset(seed: 0).observation
        if let frames = record.initial_frames {
            #expect(firstDifference(rgbInitial, [UInt8](Data(base64Encoded: frames.rgb)!)) == nil, "initial RGB view")
            #expect(firstDifference(renderMap(rgb), [UInt8](Data(base64Encoded: frames.rgb_full)!)) == nil, "initial RGB map")
        }
        #expect(!record.steps.isEmpty)
        for (index, expected) in record.steps.enumerated() {
            let (observation, result) = try symbolic.step(expected.action)
            let (rgbObservation, _) = try rgb.step(expected.action)
            #expect(firstDifference(observation, expected.image) == nil, "step \(index) action \(expected.action): observation")
            #expect(abs(Double(result.reward) - expected.reward) < 1e-6, "step \(index): reward")
            #expect(result.terminated == expected.terminated, "step \(index): terminated")
            #expect(result.truncated == expected.truncated, "step \(index): truncated")
            if let pixels = expected.rgb, let full = expected.rgb_full {
                #expect(firstDifference(rgbObservation, [UInt8](Data(base64Encoded: pixels)!)) == nil, "step \(index): RGB view")
                #expect(firstDifference(renderMap(rgb), [UInt8](Data(base64Encoded: full)!)) == nil, "step \(index): RGB map")
            }
        }
        // MiniGrid stopped where the episode ended; so must we.
        if let last = record.steps.last, record.steps.count < actions.count {
            #expect(last.terminated || last.truncated)
            #expect(throws: EnvironmentError.stepAfterEpisodeEnd) { try symbolic.step(0) }
        }
        if parity.mustTruncate {
            #expect(record.steps.count == record.max_steps && record.steps.last?.truncated == true,
                    "the episode runs into the time limit")
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
