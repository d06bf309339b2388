// Bad input: a directory that is not a run, an episode that does not exist, a store file that
// is garbage, truncated or has damaged bytes. Each gives a TrajectoryStoreError naming the
// input and what exists; none crashes, and none changes the file.
import Foundation
import Replay
import ReplayFixtures
import RL
import TestSupport
import Testing

@Suite struct TrajectoryStoreBadInputTests {
    /// A closed store with a few fixture episodes, and the store's file bytes.
    static func makeStore(_ name: String) throws -> (URL, Data) {
        let directory = FixtureEpisodes.temporaryDirectory(name)
        do {
            let store = try TrajectoryStore.create(runDirectory: directory)
            let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: 40)
            let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/x",
                                               agent: "scripted", policy: .all, chunkBytes: 32 << 10)
            for seed in UInt64(1)...4 {
                _ = try FixtureEpisodes.play(environment, seed: seed, recorder: recorder, withOutputs: false)
            }
        }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        return (directory, try Data(contentsOf: file))
    }

    /// Opens the store and reads every step of every episode; returns the error it threw.
    static func readEverything(_ directory: URL) -> Error? {
        do {
            let store = try TrajectoryStore(runDirectory: directory)
            for record in try store.episodes() {
                let reader = try EpisodeReader(store: store, episode: record.id)
                for t in 0..<reader.stepCount {
                    _ = try reader.withObservation(at: t) { $0.count }
                    _ = try reader.withRender(at: t) { $0.count }
                }
            }
            try store.verifyIntegrity()
            return nil
        } catch {
            return error
        }
    }

    @Test func notARunDirectoryNamesWhatItHolds() throws {
        let directory = FixtureEpisodes.temporaryDirectory("notarun")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("x".utf8).write(to: directory.appendingPathComponent("metrics.csv"))
        #expect(throws: TrajectoryStoreError.notARunDirectory(path: directory.path, contents: ["metrics.csv"])) {
            try TrajectoryStore(runDirectory: directory)
        }
        let missing = directory.appendingPathComponent("nope")
        #expect(throws: TrajectoryStoreError.notADirectory(path: missing.path)) {
            try TrajectoryStore(runDirectory: missing)
        }
        // Opening for reading created nothing.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["metrics.csv"])
    }

    @Test func missingEpisodeNamesTheEpisodesThatExist() throws {
        let (directory, _) = try Self.makeStore("missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TrajectoryStore(runDirectory: directory)
        #expect(throws: TrajectoryStoreError.noSuchEpisode(id: 9, existing: "it holds episodes 1-4")) {
            try EpisodeReader(store: store, episode: 9)
        }
        let reader = try EpisodeReader(store: store, episode: 2)
        #expect(throws: TrajectoryStoreError.self) { try reader.withObservation(at: reader.stepCount) { _ in } }
    }

    @Test func garbageFileIsReportedAndLeftAlone() throws {
        let directory = FixtureEpisodes.temporaryDirectory("garbage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        let garbage = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: file)
        for open in [{ _ = try TrajectoryStore(runDirectory: directory) },
                     { _ = try TrajectoryStore.create(runDirectory: directory) }] {
            do {
                try open()
                Issue.record("a garbage file opened as a store")
            } catch let error as TrajectoryStoreError {
                guard case .corrupted(let path, _) = error else { Issue.record("unexpected \(error)"); continue }
                #expect(path == file.path)
            }
        }
        #expect(try Data(contentsOf: file) == garbage, "the file was not changed")
    }

    @Test func foreignSQLiteFileIsReportedAndLeftAlone() throws {
        guard TestEnvironment.toolsPython != nil else {
            #expect(!TestEnvironment.oraclesRequired, "the tool environment's Python is missing")
            return
        }
        let directory = FixtureEpisodes.temporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        // Another program's database (rollback journal, its own table), written by Python's sqlite3.
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE notes (t TEXT)'); c.execute(\"INSERT INTO notes VALUES ('mine')\"); c.commit(); c.close()"
        try TestEnvironment.python(["-c", script, file.path])
        let before = try Data(contentsOf: file)
        for open in [{ _ = try TrajectoryStore(runDirectory: directory) },
                     { _ = try TrajectoryStore.create(runDirectory: directory) }] {
            #expect(throws: TrajectoryStoreError.corrupted(path: file.path, detail: "it is an SQLite file without the store's tables")) {
                try open()
            }
        }
        #expect(try Data(contentsOf: file) == before, "the foreign database was changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [TrajectoryStore.fileName])
    }

    @Test(arguments: [0.0, 0.1, 0.5, 0.9, 0.99])
    func truncatedFileGivesATypedError(keptFraction: Double) throws {
        let (directory, bytes) = try Self.makeStore("truncated")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        let truncated = bytes.prefix(Int(Double(bytes.count) * keptFraction))
        try truncated.write(to: file)
        let error = Self.readEverything(directory)
        if truncated.isEmpty {
            // An empty file is an empty SQLite database: no store tables.
            #expect(error as? TrajectoryStoreError != nil)
        } else {
            let storeError = try #require(error as? TrajectoryStoreError, "got \(String(describing: error))")
            guard case .corrupted = storeError else { Issue.record("unexpected \(storeError)"); return }
            #expect(storeError.description.contains(file.path))
        }
    }

    @Test func damagedBytesGiveATypedErrorOrExactData() throws {
        let (directory, bytes) = try Self.makeStore("damaged")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        let environment = MovingSquareFixture(height: 24, width: 32, maxSteps: 40)
        let expected = try (UInt64(1)...4).map { try FixtureEpisodes.play(environment, seed: $0, recorder: nil, withOutputs: false).0 }
        var detected = 0, intact = 0
        // 512-byte runs of a seeded pattern at 24 places past the header.
        for place in 0..<24 {
            var damaged = bytes
            let start = 4096 + (place * 7919 * 97) % max(1, bytes.count - 4096 - 512)
            for i in 0..<512 { damaged[start + i] = UInt8(truncatingIfNeeded: (i + place) &* 131) }
            try damaged.write(to: file)
            // Either SQLite or zstd's checksum notices (a typed error naming the file), or the
            // damage hit unused space and every step still reads back exactly.
            if let error = Self.readEverything(directory) {
                let storeError = try #require(error as? TrajectoryStoreError, "got \(error)")
                #expect(storeError.description.contains(file.path))
                detected += 1
            } else {
                let store = try TrajectoryStore(runDirectory: directory)
                for record in try store.episodes() {
                    let reader = try EpisodeReader(store: store, episode: record.id)
                    #expect(try FixtureEpisodes.difference(reader, expected[Int(record.id) - 1]) == nil,
                            "damage at \(start) changed episode \(record.id) silently")
                }
                intact += 1
            }
        }
        #expect(detected > 0, "no damage was detected in 24 places (intact: \(intact))")
    }

    /// Rewrites a store's rows with Python's sqlite3 (an independent writer) to values no
    /// recorder writes; each must give `.corrupted`, never a crash or an unbounded allocation.
    @Test(arguments: [
        "UPDATE episodes SET length = 1000000000000000 WHERE id = 2",
        "UPDATE episodes SET length = -5 WHERE id = 2",
        "UPDATE episodes SET output_width = 100000000 WHERE id = 2",
        "UPDATE episodes SET observation_space = '{\"type\":\"box\",\"shape\":[99999999,99999999,3],\"element\":\"uint8\",\"low\":0,\"high\":255}' WHERE id = 2",
        "UPDATE episodes SET observation_space = 'not json' WHERE id = 2",
        "UPDATE episodes SET kind = 'alien' WHERE id = 2",
        "UPDATE episodes SET action_names = '{}' WHERE id = 2",
        "UPDATE chunks SET step_count = 1000000000 WHERE episode_id = 2",
        "UPDATE chunks SET first_step = 7 WHERE episode_id = 2 AND chunk_index = 0",
        "UPDATE chunks SET scalars = x'28b52ffd00' WHERE episode_id = 2",
        "UPDATE chunks SET frames = x'0102030405' WHERE episode_id = 2",
        "UPDATE chunks SET codec = 'lz4' WHERE episode_id = 2",
        "DELETE FROM chunks WHERE episode_id = 2 AND chunk_index = 1",
        "UPDATE store_format SET version = 99",
        "DROP TABLE chunks",
    ])
    func tamperedRowsGiveATypedError(statement: String) throws {
        guard TestEnvironment.toolsPython != nil else {
            #expect(!TestEnvironment.oraclesRequired, "the tool environment's Python is missing")
            return
        }
        let (directory, _) = try Self.makeStore("tampered")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit(); c.close()"
        try TestEnvironment.python(["-c", script, file.path, statement])
        let error = try #require(Self.readEverything(directory), "the tampered store read without error")
        let storeError = try #require(error as? TrajectoryStoreError, "got \(error)")
        switch storeError {
        case .corrupted, .unsupportedFormat: #expect(storeError.description.contains(file.path))
        default: Issue.record("unexpected \(storeError)")
        }
    }
}
