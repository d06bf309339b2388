// Each wrapper's contract, on the small test environments; Grayscale and Resize against OpenCV
// (scripts/opencv_preprocess.py in the tool environment).
import Foundation
import RL
import Testing
import TestSupport

@Suite("Wrappers")
struct WrapperTests {
    @Test func timeLimitTruncatesAndRefusesFurtherSteps() throws {
        let env = TimeLimit(CounterEnvironment(length: 100), maxSteps: 3)
        _ = env.reset(seed: 1)
        #expect(try env.step(1).result.truncated == false)
        #expect(try env.step(1).result.truncated == false)
        let last = try env.step(1).result
        #expect(last.truncated && !last.terminated)
        #expect(throws: EnvironmentError.stepAfterEpisodeEnd) { try env.step(1) }
        _ = env.reset(seed: nil)
        #expect(try env.step(1).result.truncated == false)
    }

    @Test func recordEpisodeStatisticsReportsReturnAndLength() throws {
        let env = RecordEpisodeStatistics(CounterEnvironment(length: 3))
        _ = env.reset(seed: 0)
        #expect(try env.step(1).result.info.episode == nil)
        #expect(try env.step(2).result.info.episode == nil)
        let last = try env.step(3).result
        let stats = try #require(last.info.episode)
        #expect(stats.episodeReturn == 6 && stats.length == 3 && stats.seconds >= 0)
        _ = env.reset(seed: nil)
        _ = try env.step(0); _ = try env.step(0)
        #expect(try env.step(1).result.info.episode?.episodeReturn == 1)
    }

    @Test func clipRewardKeepsSign() throws {
        let env = ClipReward(NoiseImageEnvironment(height: 2, width: 2))
        let raw = NoiseImageEnvironment(height: 2, width: 2)
        _ = env.reset(seed: 3); _ = raw.reset(seed: 3)
        for step in 0..<200 {
            let clipped = try env.step(step % 3).result.reward, original = try raw.step(step % 3).result.reward
            #expect(clipped == (original > 0 ? 1 : original < 0 ? -1 : 0))
        }
    }

    @Test func frameStackKeepsTheLastFramesOldestFirst() throws {
        let env = FrameStack(CounterEnvironment(length: 10), count: 4)
        #expect(env.observationSpace == .box(shape: [4, 1], element: .uint8, low: 0, high: 255))
        #expect(env.reset(seed: 0).observation == [0, 0, 0, 0])
        #expect(try env.step(0).observation == [0, 0, 0, 1])
        #expect(try env.step(0).observation == [0, 0, 1, 2])
        _ = try env.step(0)
        #expect(try env.step(0).observation == [1, 2, 3, 4])
        #expect(env.reset(seed: nil).observation == [0, 0, 0, 0])
    }

    @Test func maxAndSkipRepeatsSumsAndMaxPools() throws {
        let counter = CounterEnvironment(length: 10)
        let env = MaxAndSkip(counter, skip: 4)
        _ = env.reset(seed: 0)
        let (observation, result) = try env.step(2)
        #expect(counter.actionsSeen == [2, 2, 2, 2])
        #expect(result.reward == 8)
        #expect(observation == [4])  // max of frames 3 and 4
        // An episode ending inside the skip stops early and returns its last frame.
        _ = try env.step(1)
        let end = try env.step(1)
        #expect(end.result.terminated && end.observation == [10] && end.result.reward == 2)

        let noise = NoiseImageEnvironment(height: 3, width: 3)
        let reference = NoiseImageEnvironment(height: 3, width: 3)
        let pooled = MaxAndSkip(noise, skip: 3)
        _ = pooled.reset(seed: 5); _ = reference.reset(seed: 5)
        _ = try reference.step(0)
        let second = try reference.step(0).observation, third = try reference.step(0).observation
        #expect(try pooled.step(0).observation == zip(second, third).map { max($0, $1) })
    }

    @Test func stickyActionsRepeatWithProbabilityAndAreSeeded() throws {
        let always = CounterEnvironment(length: 100)
        let sticky = StickyActions(always, probability: 1)
        _ = sticky.reset(seed: 0)
        for a in [3, 1, 2] { _ = try sticky.step(a) }
        #expect(always.actionsSeen == [0, 0, 0])  // the previous action at reset is 0

        let never = CounterEnvironment(length: 100)
        let plain = StickyActions(never, probability: 0)
        _ = plain.reset(seed: 0)
        for a in [3, 1, 2] { _ = try plain.step(a) }
        #expect(never.actionsSeen == [3, 1, 2])

        func run(_ seed: UInt64) throws -> [Int] {
            let inner = CounterEnvironment(length: 1000)
            let env = StickyActions(inner, probability: 0.25)
            _ = env.reset(seed: seed)
            for i in 0..<400 { _ = try env.step(i % 4) }
            return inner.actionsSeen
        }
        let a = try run(11), b = try run(11)
        #expect(a == b)
        let repeated = (1..<400).filter { a[$0] != $0 % 4 }.count
        #expect(repeated > 40 && repeated < 120, "about a quarter of 3/4 of the steps change: \(repeated)")
        #expect(throws: EnvironmentError.self) { try StickyActions(CounterEnvironment(length: 5)).step(9) }
    }

    @Test func noopResetTakesBetweenOneAndMaxNoops() throws {
        var counts = Set<Int>()
        for seed in 0..<60 {
            let inner = CounterEnvironment(length: 1000)
            let env = NoopReset(inner, noopMax: 5)
            _ = env.reset(seed: UInt64(seed))
            #expect((1...5).contains(inner.steps))
            #expect(inner.actionsSeen.allSatisfy { $0 == 0 })
            counts.insert(inner.steps)
        }
        #expect(counts == Set(1...5))
        let a = CounterEnvironment(length: 1000), b = CounterEnvironment(length: 1000)
        _ = NoopReset(a, noopMax: 30).reset(seed: 8); _ = NoopReset(b, noopMax: 30).reset(seed: 8)
        #expect(a.steps == b.steps)
    }

    // MARK: OpenCV parity

    struct OpenCVResult: Decodable {
        var resized: [UInt8]
        var gray: [UInt8]?
    }

    func opencv(_ image: [UInt8], _ h: Int, _ w: Int, _ c: Int, to oh: Int, _ ow: Int) throws -> OpenCVResult? {
        guard TestEnvironment.hasPythonModule("cv2") else {
            if TestEnvironment.oraclesRequired { throw TestEnvironment.ToolError.missingPython }
            TestEnvironment.note("OpenCV is not installed in .tools: skipping the OpenCV parity test")
            return nil
        }
        let output = try TestEnvironment.python(["scripts/opencv_preprocess.py", "\(h)", "\(w)", "\(c)", "\(oh)", "\(ow)"],
                                                input: Data(image))
        return try JSONDecoder().decode(OpenCVResult.self, from: Data(output.utf8))
    }

    @Test func grayscaleMatchesOpenCV() throws {
        let env = NoiseImageEnvironment(height: 210, width: 160)
        let gray = Grayscale(env)
        #expect(gray.observationSpace == .box(shape: [210, 160], element: .uint8, low: 0, high: 255))
        let ours = gray.reset(seed: 4).observation
        let rgb = NoiseImageEnvironment(height: 210, width: 160).reset(seed: 4).observation
        guard let reference = try opencv(rgb, 210, 160, 3, to: 210, 160) else { return }
        #expect(ours == reference.gray, "\(zip(ours, reference.gray ?? []).filter { $0 != $1 }.count) pixels differ")
    }

    @Test(arguments: [(210, 160, 84, 84), (210, 160, 105, 80), (64, 64, 16, 16), (50, 37, 21, 13)])
    func resizeMatchesOpenCVAreaInterpolation(_ shape: (Int, Int, Int, Int)) throws {
        let (h, w, oh, ow) = shape
        // Smooth-ish content (a gray ramp plus noise) as well as pure noise, in one channel.
        let env = Grayscale(NoiseImageEnvironment(height: h, width: w), keepChannel: false)
        let resized = Resize(env, height: oh, width: ow)
        let ours = resized.reset(seed: 2).observation
        let source = Grayscale(NoiseImageEnvironment(height: h, width: w)).reset(seed: 2).observation
        guard let reference = try opencv(source, h, w, 1, to: oh, ow) else { return }
        #expect(ours.count == reference.resized.count)
        let differing = zip(ours, reference.resized).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(ours.count) pixels differ from OpenCV's")
    }

    @Test func resizeMatchesOpenCVOnColourImages() throws {
        let env = Resize(NoiseImageEnvironment(height: 56, width: 56), height: 21, width: 21)
        let ours = env.reset(seed: 3).observation
        let source = NoiseImageEnvironment(height: 56, width: 56).reset(seed: 3).observation
        guard let reference = try opencv(source, 56, 56, 3, to: 21, 21) else { return }
        let differing = zip(ours, reference.resized).filter { $0 != $1 }.count
        #expect(ours.count == reference.resized.count && differing == 0, "\(differing) pixels differ from OpenCV's")
    }
}
