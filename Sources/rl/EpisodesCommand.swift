// `rl episodes DIR...`: lists the recorded episodes of one or more runs with their figures,
// filtered and ordered in SQLite (several runs are queried together by attaching their stores).
import ArgumentParser
import Foundation
import Replay

struct EpisodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episodes",
        abstract: "List the recorded episodes of runs, with filters.",
        discussion: "Examples: rl episodes runs/pong --best --limit 5 · rl episodes runs/a runs/b --env maze/empty-8 --json")

    enum Order: String, EnumerableFlag {
        case best, worst, longest, shortest
        static func help(for value: Order) -> ArgumentHelp? {
            switch value {
            case .best: return "Highest return first."
            case .worst: return "Lowest return first."
            case .longest: return "Most steps first."
            case .shortest: return "Fewest steps first."
            }
        }
    }

    @Argument(help: "Run directories (each holds episodes.sqlite).")
    var directories: [String]

    @Flag(help: "Print one JSON object: {\"episodes\": [{\"id\", \"env\", \"agent\", \"return\", \"length\", ...}]}.")
    var json = false

    @Option(help: "Only episodes of this environment (e.g. maze/empty-8).")
    var env: String?

    @Option(help: "Only episodes of this agent (e.g. dqn).")
    var agent: String?

    @Option(help: "Only episodes of this kind: training, evaluation or human.")
    var kind: String?

    @Option(name: .customLong("min-return"), help: "Only episodes whose return is at least this.")
    var minReturn: Double?

    @Option(name: .customLong("max-return"), help: "Only episodes whose return is at most this.")
    var maxReturn: Double?

    @Flag(help: "Order (default: as recorded).")
    var order: Order?

    @Option(help: "At most this many episodes.")
    var limit: Int?

    func validate() throws {
        if directories.isEmpty { throw ValidationError("name at least one run directory") }
        if let kind, EpisodeKind(rawValue: kind) == nil {
            throw ValidationError("unknown episode kind '\(kind)': the kinds are "
                + EpisodeKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, got \(limit)") }
    }

    func run() throws {
        let filter = EpisodeFilter(
            environmentID: env, agent: agent, kind: kind.flatMap(EpisodeKind.init(rawValue:)),
            minimumReturn: minReturn, maximumReturn: maxReturn,
            order: order.map { EpisodeOrder(rawValue: $0.rawValue)! } ?? .recorded, limit: limit)
        // A run named twice is listed once.
        var seen = Set<String>()
        let urls = directories.map { URL(fileURLWithPath: $0).standardizedFileURL }.filter { seen.insert($0.path).inserted }
        let found: [TrajectoryStore.RunEpisode]
        if urls.count == 1 {
            let store = try TrajectoryStore(runDirectory: urls[0])
            found = try store.episodes(matching: filter).map { .init(runDirectory: urls[0], episode: $0) }
        } else {
            found = try TrajectoryStore.episodes(inRuns: urls, matching: filter)
        }
        if json {
            let objects: [[String: Any]] = found.map { item in
                let e = item.episode
                var object: [String: Any] = [
                    "id": e.id, "env": e.environmentID, "agent": e.agent, "return": e.episodeReturn,
                    "length": e.length, "kind": e.kind.rawValue, "terminated": e.terminated,
                    "truncated": e.truncated, "start_time": e.startTime.timeIntervalSince1970,
                    "end_time": e.endTime.timeIntervalSince1970, "stored_bytes": e.storedBytes,
                    "run": item.runDirectory.path,
                ]
                if let seed = e.seed { object["seed"] = seed }
                if let checkpoint = e.checkpoint { object["checkpoint"] = checkpoint }
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: ["episodes": objects], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if found.isEmpty {
            print("no episodes" + (filter == EpisodeFilter() ? "" : " match the filters"))
            return
        }
        let showRun = urls.count > 1
        print((showRun ? "run".padding(toLength: 16, withPad: " ", startingAt: 0) + " " : "")
            + "   id  env                    agent     kind          return   length  stored")
        for item in found {
            let e = item.episode
            let run = showRun ? String(item.runDirectory.lastPathComponent.prefix(16)).padding(toLength: 16, withPad: " ", startingAt: 0) + " " : ""
            print(run + String(format: "%5lld  %@ %@ %@ %10.3f %8d  %@", e.id,
                               e.environmentID.padding(toLength: 22, withPad: " ", startingAt: 0),
                               e.agent.padding(toLength: 9, withPad: " ", startingAt: 0),
                               e.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
                               e.episodeReturn, e.length, Self.bytes(e.storedBytes)))
        }
    }

    static func bytes(_ count: Int) -> String {
        count >= 1 << 20 ? String(format: "%.1f MiB", Double(count) / Double(1 << 20))
            : String(format: "%.1f KiB", Double(count) / 1024)
    }
}
