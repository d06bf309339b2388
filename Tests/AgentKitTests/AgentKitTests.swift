// AgentKit's pieces on known answers: schedules, the acting frame stack (zero-padded like the
// replay's), observation layouts and encoder shapes (the Nature CNN's published parameter
// count), settings errors, generator checkpoints, evaluation statistics, and the checkpoint
// store's refusal of damaged checkpoints.
import AgentKit
import Foundation
import RL
import Tensor
import Testing

@Test func linearScheduleHoldsDecaysAndStays() {
    let s = LinearSchedule(start: 1, end: 0.1, duration: 100, delay: 50)
    #expect(s.value(at: 0) == 1 && s.value(at: 50) == 1)
    #expect(abs(s.value(at: 100) - 0.55) < 1e-12)
    #expect(s.value(at: 150) == 0.1 && s.value(at: 10_000) == 0.1)
    #expect(LinearSchedule(start: 1, end: 0, duration: 0).value(at: 1) == 0)
}

@Test func frameStackerZeroPadsAtEpisodeStartAndShifts() {
    let stacker = FrameStacker(frameByteCount: 2, stackSize: 3)
    let frames: [[UInt8]] = [[1, 2], [3, 4], [5, 6], [7, 8]]
    frames[0].withUnsafeBytes { stacker.reset($0) }
    #expect(Array(stacker.state) == [0, 0, 0, 0, 1, 2])
    frames[1].withUnsafeBytes { stacker.push($0) }
    frames[2].withUnsafeBytes { stacker.push($0) }
    frames[3].withUnsafeBytes { stacker.push($0) }
    #expect(Array(stacker.state) == [3, 4, 5, 6, 7, 8])
    frames[2].withUnsafeBytes { stacker.reset($0) }
    #expect(Array(stacker.state) == [0, 0, 0, 0, 5, 6])
}

@Test func observationLayoutsChooseEncodersAndTransposeImages() throws {
    let atari = try ObservationLayout(space: .image(height: 84, width: 84, channels: 1), stackSize: 4, requested: .auto)
    #expect(atari.encoder == .nature && atari.inputShape == [4, 84, 84] && atari.scale == 1 / 255)
    let rgbMaze = try ObservationLayout(space: .image(height: 56, width: 56, channels: 3), stackSize: 1, requested: .auto)
    #expect(rgbMaze.encoder == .small && rgbMaze.inputShape == [3, 56, 56])
    let symbolic = try ObservationLayout(space: .box(shape: [7, 7, 3], element: .uint8, low: 0, high: 10), stackSize: 1, requested: .auto)
    #expect(symbolic.encoder == .symbolic && symbolic.inputShape == [147] && symbolic.oneHotWidth == 49 * 21)
    let scaled = try ObservationLayout(space: .box(shape: [7, 7, 3], element: .uint8, low: 0, high: 10), stackSize: 1, requested: .mlp)
    #expect(scaled.encoder == .mlp && scaled.inputShape == [147] && scaled.scale == 0.1)
    #expect(throws: EncoderError.self) {
        try ObservationLayout(space: .box(shape: [7, 7, 3], element: .uint8, low: 0, high: 10), stackSize: 1, requested: .nature)
    }
    #expect(throws: EncoderError.self) {
        try ObservationLayout(space: .box(shape: [6], element: .float32, low: 0, high: 1), stackSize: 1, requested: .symbolic)
    }
    // HWC bytes of two stacked 2x2 RGB frames → CHW channels, oldest frame first.
    let tiny = try ObservationLayout(space: .image(height: 32, width: 32, channels: 3), stackSize: 2, requested: .small)
    var bytes = [UInt8](repeating: 0, count: 2 * 32 * 32 * 3)
    bytes[0] = 255            // frame 0, pixel (0,0), red
    bytes[1 * 3 + 2] = 51     // frame 0, pixel (0,1), blue
    bytes[32 * 32 * 3 + 1] = 102  // frame 1, pixel (0,0), green
    let tensor = FloatTensor(shape: [1, 6, 32, 32])
    bytes.withUnsafeBytes { tiny.load(states: $0.baseAddress!, batch: 1, into: tensor) }
    let plane = 32 * 32
    #expect(tensor[0] == 1 && abs(tensor[2 * plane + 1] - 0.2) < 1e-6 && abs(tensor[4 * plane] - 0.4) < 1e-6)
    #expect(tensor.toArray().filter { $0 != 0 }.count == 3)
}

@Test func environmentStackedObservationsKeepOnlyTheNewestFrame() throws {
    // The Atari presets stack 4 grayscale 84x84 frames, oldest first: the agent keeps the last
    // one (replay stores each frame once) and builds the same Nature-CNN input as from frames.
    let stacked = Space.box(shape: [4, 84, 84], element: .uint8, low: 0, high: 255)
    let layout = try ObservationLayout(space: stacked, stackSize: 4, requested: .auto)
    #expect(layout.frameShape == [84, 84, 1] && layout.frameByteCount == 84 * 84)
    #expect(layout.encoder == .nature && layout.inputShape == [4, 84, 84])
    #expect(layout.newestFrameOffset == 3 * 84 * 84)
    var observation = [UInt8](repeating: 0, count: 4 * 84 * 84)
    for f in 0..<4 { for i in 0..<(84 * 84) { observation[f * 84 * 84 + i] = UInt8(f + 1) } }
    let frame = observation.withUnsafeBytes { Array(layout.frame(of: $0)) }
    #expect(frame.count == 84 * 84 && frame.allSatisfy { $0 == 4 })
    // Without a matching stack size the observation is one frame, as before.
    let single = try ObservationLayout(space: stacked, stackSize: 1, requested: .mlp)
    #expect(single.newestFrameOffset == 0 && single.frameByteCount == 4 * 84 * 84)
}

@Test func natureCNNHasThePublishedShape() throws {
    let layout = try ObservationLayout(space: .image(height: 84, width: 84, channels: 1), stackSize: 4, requested: .auto)
    var generator = SeededGenerator(seed: 1)
    let (layers, features) = Encoder.makeLayers(for: layout, generator: &generator)
    let encoder = Sequential(layers)
    #expect(features == 512)
    #expect(encoder.outputShape(forInputShape: [2, 4, 84, 84]) == [2, 512])
    // conv1 4*32*8*8+32, conv2 32*64*4*4+64, conv3 64*64*3*3+64, fc 3136*512+512.
    #expect(encoder.parameterCount == 8_224 + 32_832 + 36_928 + 1_606_144)
}

@Test func settingsNameTheKeyAndTheAcceptedValues() throws {
    var training = TrainingSettings()
    try TrainingSettings.table.apply(["threads": "2", "checkpoint_interval": "10_000"], to: &training)
    #expect(training.threads == 2 && training.checkpointInterval == 10_000)
    #expect(throws: SettingsError.badValue(key: "threads", value: "0", accepted: "an integer in 1...256")) {
        try TrainingSettings.table.apply(["threads": "0"], to: &training)
    }
    #expect(throws: SettingsError.unknownKey("thread", valid: TrainingSettings.table.map(\.name))) {
        try TrainingSettings.table.apply(["thread": "1"], to: &training)
    }
    #expect(try parseSettings(["a=1", "b=x=y"]) == ["a": "1", "b": "x=y"])
    #expect(throws: SettingsError.malformed("oops")) { try parseSettings(["oops"]) }
}

@Test func generatorStateRoundTrips() {
    var a = SeededGenerator(seed: 42)
    for _ in 0..<10 { _ = a.next() }
    var b = SeededGenerator(stateWords: a.stateWords)!
    for _ in 0..<100 { #expect(a.next() == b.next()) }
    #expect(SeededGenerator(stateWords: [0, 0, 0, 0]) == nil)
    #expect(SeededGenerator(stateWords: [1, 2]) == nil)
}

@Test func evaluationStatisticsMatchNumpyAndScipyDefinitions() {
    let x: [Double] = [3, -1, 10, 4, 4, 0, 7, 2]
    #expect(Statistics.mean(x) == 29.0 / 8)
    #expect(Statistics.median(x) == 3.5)
    #expect(Statistics.median([5, 1, 3]) == 3)
    // numpy.std(x) (ddof 0), as numpy 2 prints it.
    #expect(abs(Statistics.standardDeviation(x) - 3.3517719194479807) < 1e-12)
    // scipy.stats.trim_mean(x, 0.25): drop 2 from each end of the sorted 8 → mean(2, 3, 4, 4).
    #expect(Statistics.interquartileMean(x) == 3.25)
    #expect(Statistics.interquartileMean([1, 2, 3]) == 2)
}

@Test func checkpointStoreKeepsTheLastTwoAndRefusesDamage() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: root) }
    let store = CheckpointStore(runDirectory: root)
    for step in [10, 20, 30] {
        try store.write(step: step) { dir in
            try Data(repeating: UInt8(step), count: 1000).write(to: dir.appendingPathComponent("weights.bin"))
        }
    }
    #expect(store.complete().map(\.step) == [20, 30])
    #expect(try store.latestVerified().step == 30)
    // A partial directory (a writer killed mid-way) is not a checkpoint.
    try FileManager.default.createDirectory(at: store.directory.appendingPathComponent(".partial-1-40"), withIntermediateDirectories: true)
    #expect(store.complete().map(\.step) == [20, 30])
    store.removePartials()
    #expect(!FileManager.default.fileExists(atPath: store.directory.appendingPathComponent(".partial-1-40").path))
    // One flipped byte in the newest: refused, naming the file and the intact previous one.
    let file = store.complete().last!.url.appendingPathComponent("weights.bin")
    var data = try Data(contentsOf: file)
    data[500] ^= 1
    try data.write(to: file)
    #expect(throws: CheckpointError.corrupt(checkpoint: store.complete().last!.url.path, reason: "weights.bin does not match its checksum",
                                            previous: store.complete().first!.url.path)) {
        try store.latestVerified()
    }
    try CheckpointStore.verify(store.complete().first!.url)
    // Missing manifest (a checkpoint from a crash before the format's last write): refused.
    try FileManager.default.removeItem(at: store.complete().first!.url.appendingPathComponent("manifest.json"))
    #expect(throws: CheckpointError.self) { try CheckpointStore.verify(store.complete().first!.url) }
}
