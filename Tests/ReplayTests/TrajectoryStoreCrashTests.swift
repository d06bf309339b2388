// Crash safety: a process recording into a store is killed with SIGKILL, mid-episode or at a
// random moment between and during commits; afterwards the store opens cleanly, passes
// SQLite's integrity check, and every episode it lists reads back whole and equal to what the
// scripted agent played.
import Foundation
import Replay
import ReplayFixtures
import RL
import TestSupport
import Testing

@Suite struct TrajectoryStoreCrashTests {
    /// The helper executable, built beside the test binary.
    static var helper: URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("store-crash-helper"))
        }
        for configuration in ["release", "debug"] {
            candidates.append(TestEnvironment.packageRoot.appendingPathComponent(".build/\(configuration)/store-crash-helper"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Starts the helper and returns it with a reader of its standard output lines.
    static func start(_ arguments: [String]) throws -> (Process, FileHandle) {
        let helper = try #require(Self.helper, "store-crash-helper was not built beside the tests")
        let process = Process()
        process.executableURL = helper
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output.fileHandleForReading)
    }

    /// Reads lines until one satisfies `stop` (or the stream ends) and returns them all.
    static func readLines(_ handle: FileHandle, until stop: (String) -> Bool) -> [String] {
        var lines: [String] = [], pending = Data()
        while true {
            let data = handle.availableData
            if data.isEmpty { return lines }
            pending.append(data)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                lines.append(line)
                if stop(line) { return lines }
            }
        }
    }

    @Test func killedMidEpisodeLeavesCompletedEpisodesReadable() throws {
        let directory = FixtureEpisodes.temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, output) = try Self.start([directory.path, "complete", "4"])
        let lines = Self.readLines(output) { $0 == "mid-episode" }
        #expect(lines.last == "mid-episode", "helper output: \(lines)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try TrajectoryStore(runDirectory: directory)
        try store.verifyIntegrity()
        let episodes = try store.episodes()
        #expect(episodes.count == 4, "the four completed episodes, not the one in progress")
        let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: 1_000_000)
        for record in episodes {
            let seed = try #require(record.seed)
            let want = try FixtureEpisodes.play(environment, seed: seed, recorder: nil).0
            let reader = try EpisodeReader(store: store, episode: record.id)
            #expect(try FixtureEpisodes.difference(reader, want) == nil)
        }
    }

    @Test(arguments: [150, 400, 900])
    func killedAtAnyMomentLeavesAConsistentStore(afterMilliseconds delay: Int) throws {
        let directory = FixtureEpisodes.temporaryDirectory("crash-any")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, output) = try Self.start([directory.path, "continuous"])
        // Wait for the first commit so that the store exists, then kill at an arbitrary moment.
        let first = Self.readLines(output) { $0.hasPrefix("episode") }
        #expect(first.last?.hasPrefix("episode") == true)
        usleep(useconds_t(delay * 1000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let store = try TrajectoryStore(runDirectory: directory)
        try store.verifyIntegrity()
        let episodes = try store.episodes()
        #expect(!episodes.isEmpty)
        let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: 60)
        for record in episodes {
            let want = try FixtureEpisodes.play(environment, seed: try #require(record.seed), recorder: nil).0
            let reader = try EpisodeReader(store: store, episode: record.id)
            #expect(try FixtureEpisodes.difference(reader, want) == nil, "episode \(record.id)")
        }
    }

    @Test func readersSeeWholeEpisodesWhileAnotherProcessRecords() throws {
        let directory = FixtureEpisodes.temporaryDirectory("concurrent")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, output) = try Self.start([directory.path, "continuous"])
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        _ = Self.readLines(output) { $0.hasPrefix("episode") }
        let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: 60)
        var seen = 0, rounds = 0
        let deadline = Date().addingTimeInterval(1.5)
        // Read-only connections, opened again and again while the recorder commits.
        while Date() < deadline {
            let store = try TrajectoryStore(runDirectory: directory)
            let episodes = try store.episodes()
            #expect(episodes.count >= seen, "episodes never disappear")
            seen = episodes.count
            let newest = try #require(episodes.last)
            let want = try FixtureEpisodes.play(environment, seed: try #require(newest.seed), recorder: nil).0
            let reader = try EpisodeReader(store: store, episode: newest.id)
            #expect(try FixtureEpisodes.difference(reader, want) == nil, "episode \(newest.id)")
            rounds += 1
        }
        #expect(rounds > 3 && seen > 1)
    }
}
