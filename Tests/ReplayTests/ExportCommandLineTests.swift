// The command line over the store, run as users and scripts run it: `rl episodes --json` gives
// the object DESIGN.md promises, filters apply, and bad input (an episode that does not exist,
// a directory that is not a run, an unknown format) fails with one `error:` line naming what
// exists and the exit status of the convention, leaving the store unchanged.
import Foundation
import Replay
import ReplayFixtures
import RL
import TestSupport
import Testing

@Suite struct ExportCommandLineTests {
    static var rl: URL? {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("rl"),
                          TestEnvironment.packageRoot.appendingPathComponent(".build/release/rl")]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let program = try #require(rl, "the rl executable was not built beside the tests")
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// A run with five fixture episodes; returns it and the returns in id order.
    static func makeRun() throws -> (URL, [Double]) {
        let directory = FixtureEpisodes.temporaryDirectory("cli")
        let store = try TrajectoryStore.create(runDirectory: directory)
        let environment = MovingSquareFixture(maxSteps: 25)
        let recorder = try EpisodeRecorder(store: store, environment: environment, environmentID: "fixture/moving-square",
                                           agent: "scripted", policy: .all, outputKind: .qValues, outputWidth: 5)
        var returns: [Double] = []
        for seed in UInt64(1)...5 { returns.append(try FixtureEpisodes.play(environment, seed: seed, recorder: recorder).0.episodeReturn) }
        return (directory, returns)
    }

    @Test func episodesJSONListsEpisodesWithTheirFigures() throws {
        let (directory, returns) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.run(["episodes", directory.path, "--json"])
        #expect(result.status == 0 && result.err.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let episodes = try #require(object["episodes"] as? [[String: Any]])
        #expect(episodes.map { $0["id"] as? Int } == [1, 2, 3, 4, 5])
        for (episode, expected) in zip(episodes, returns) {
            #expect(episode["env"] as? String == "fixture/moving-square")
            #expect(episode["agent"] as? String == "scripted")
            #expect(abs((episode["return"] as? Double ?? .nan) - expected) < 1e-9)
            #expect((episode["length"] as? Int ?? 0) > 0)
        }
        let best = try Self.run(["episodes", directory.path, "--json", "--best", "--limit", "2"])
        let bestEpisodes = (try JSONSerialization.jsonObject(with: Data(best.out.utf8)) as? [String: Any])?["episodes"] as? [[String: Any]]
        #expect(bestEpisodes?.compactMap { $0["return"] as? Double } == Array(returns.sorted(by: >).prefix(2)))
        let none = try Self.run(["episodes", directory.path, "--json", "--env", "maze/empty-8"])
        #expect(none.out.trimmingCharacters(in: .whitespacesAndNewlines) == "{\"episodes\":[]}")
    }

    @Test func badInputFailsInOneLineNamingWhatExists() throws {
        let (directory, _) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(TrajectoryStore.fileName)
        let before = try Data(contentsOf: file)

        let missing = try Self.run(["export", directory.path, "--episode", "42", "--format", "npz", "--out", directory.appendingPathComponent("x.npz").path])
        #expect(missing.status == 1)
        #expect(missing.err == "error: no episode 42 in this store: it holds episodes 1-5\n")

        let format = try Self.run(["export", directory.path, "--episode", "1", "--format", "gif"])
        #expect(format.status == 2)
        #expect(format.err.hasPrefix("error: unknown export format 'gif': the formats are npz, png, mp4\n"))

        let notRun = try Self.run(["episodes", TestEnvironment.packageRoot.appendingPathComponent("Tests").path])
        #expect(notRun.status == 1)
        #expect(notRun.err.hasPrefix("error: ") && notRun.err.contains("is not a run directory") && notRun.err.contains("ReplayTests"))
        #expect(notRun.err.split(separator: "\n").count == 1)

        // None of it changed the store or left an output behind.
        #expect(try Data(contentsOf: file) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.npz").path))
    }

    @Test func exportWritesWhatNumpyAndLibpngRead() throws {
        let (directory, _) = try Self.makeRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let frames = directory.appendingPathComponent("frames")
        let png = try Self.run(["export", directory.path, "--episode", "3", "--format", "png", "--out", frames.path])
        #expect(png.status == 0)
        let store = try TrajectoryStore(runDirectory: directory)
        let reader = try EpisodeReader(store: store, episode: 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: frames.path).filter { $0.hasSuffix(".png") }.sorted()
        #expect(files.count == reader.stepCount)
        let last = try PNGImage.read(from: frames.appendingPathComponent(files.last!))
        #expect(last.pixels == (try reader.withRender(at: reader.stepCount - 1) { [UInt8]($0) }))
    }
}
