// The uniform replay buffer on hand-made episodes whose frames encode their step number, so
// that every assembled stack, n-step return and bootstrap discount can be checked exactly.
import Foundation
import Replay
import Testing

/// SplitMix64, for reproducible sampling in tests.
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

/// Adds an episode whose frames are [value, value] for value = first, first+1, ...; rewards
/// are `rewards`; the last step terminates or is truncated.
func addEpisode(_ add: (UnsafeRawBufferPointer, Int, Float, Bool, Bool, UnsafeRawBufferPointer) -> Void,
                first: UInt8, rewards: [Float], terminated: Bool) {
    for (i, r) in rewards.enumerated() {
        let last = i == rewards.count - 1
        let obs: [UInt8] = [first &+ UInt8(i), first &+ UInt8(i)]
        let next: [UInt8] = [first &+ UInt8(i + 1), first &+ UInt8(i + 1)]
        obs.withUnsafeBytes { o in next.withUnsafeBytes { n in
            add(o, i % 3, r, last && terminated, last && !terminated, n)
        } }
    }
}

func add(to buffer: ReplayBuffer, first: UInt8, rewards: [Float], terminated: Bool) {
    addEpisode({ buffer.add(observation: $0, action: $1, reward: $2, terminated: $3, truncated: $4, nextObservation: $5) },
               first: first, rewards: rewards, terminated: terminated)
}

@Test func stackAssemblyZeroesFramesBeforeTheEpisodeStart() {
    let buffer = ReplayBuffer(.init(capacity: 64, frameByteCount: 2, stackSize: 4, nStep: 1, gamma: 0.9))
    add(to: buffer, first: 10, rewards: [1, 1, 1], terminated: true)   // stamps 0,1,2 + final 3
    add(to: buffer, first: 20, rewards: [0, 0, 0, 0, 0], terminated: false)  // stamps 4...8 + final 9
    // First state of episode 2: three zero frames, then its own frame.
    #expect(buffer.state(at: 4) == [0, 0, 0, 0, 0, 0, 20, 20])
    #expect(buffer.state(at: 5) == [0, 0, 0, 0, 20, 20, 21, 21])
    #expect(buffer.state(at: 7) == [20, 20, 21, 21, 22, 22, 23, 23])
    #expect(buffer.state(at: 2) == [0, 0, 10, 10, 11, 11, 12, 12])
    // The final observation slot is not a transition.
    #expect(!buffer.isValid(3))
    #expect(buffer.isValid(2) && buffer.isValid(8))
    #expect(buffer.count == 10)
}

@Test func sampledRowsMatchTheirTransitions() {
    let config = ReplayBufferConfiguration(capacity: 64, frameByteCount: 2, stackSize: 2, nStep: 1, gamma: 0.9)
    let buffer = ReplayBuffer(config)
    add(to: buffer, first: 10, rewards: [1, 2, 3], terminated: true)
    add(to: buffer, first: 20, rewards: [4, 5], terminated: false)
    let batch = ReplayBatch(batchSize: 256, for: config)
    var rng = TestGenerator(state: 1)
    buffer.sample(into: batch, using: &rng)
    var seen = Set<Int64>()
    for b in 0..<batch.batchSize {
        let stamp = batch.stamps[b]
        seen.insert(stamp)
        let obs = Array(batch.observations[(b * 4)..<(b * 4 + 4)])
        let next = Array(batch.nextObservations[(b * 4)..<(b * 4 + 4)])
        switch stamp {
        case 0: #expect(obs == [0, 0, 10, 10] && next == [10, 10, 11, 11] && batch.returns[b] == 1 && batch.discounts[b] == 0.9)
        case 1: #expect(obs == [10, 10, 11, 11] && batch.returns[b] == 2 && batch.discounts[b] == 0.9)
        case 2: #expect(next == [12, 12, 13, 13] && batch.returns[b] == 3 && batch.discounts[b] == 0)
        case 4: #expect(obs == [0, 0, 20, 20] && batch.returns[b] == 4)
        case 5: #expect(obs == [20, 20, 21, 21] && next == [21, 21, 22, 22] && batch.returns[b] == 5 && batch.discounts[b] == 0.9)
        default: Issue.record("sampled stamp \(stamp), which is not a transition")
        }
        #expect(batch.actions[b] == Int32(stamp < 4 ? stamp % 3 : (stamp - 4) % 3))
        #expect(batch.weights[b] == 1)
    }
    #expect(seen == [0, 1, 2, 4, 5])
}

@Test func nStepReturnsStopAtEpisodeEnds() {
    let gamma: Float = 0.5
    let buffer = ReplayBuffer(.init(capacity: 64, frameByteCount: 2, stackSize: 1, nStep: 3, gamma: gamma))
    add(to: buffer, first: 0, rewards: [1, 2, 4, 8, 16], terminated: true)   // stamps 0...4, final 5
    add(to: buffer, first: 50, rewards: [1, 1, 1, 1], terminated: false)     // stamps 6...9, final 10
    let batch = ReplayBatch(batchSize: 1, stateByteCount: 2)
    func row(_ stamp: Int64) -> (ret: Float, discount: Float, next: UInt8) {
        buffer.copyTransition(stamp, into: batch, row: 0)
        return (batch.returns[0], batch.discounts[0], batch.nextObservations[0])
    }
    // Full three steps: 1 + 0.5*2 + 0.25*4 = 3, bootstrap 0.125 from frame 3.
    #expect(row(0) == (3, 0.125, 3))
    #expect(row(2) == (4 + 0.5 * 8 + 0.25 * 16, 0, 5))
    // Termination after two steps: no bootstrap.
    #expect(row(3) == (8 + 0.5 * 16, 0, 5))
    #expect(row(4) == (16, 0, 5))
    // Truncation after two steps: bootstrap gamma^2 from the final observation.
    #expect(row(8) == (1 + 0.5, 0.25, 54))
    #expect(row(9) == (1, 0.5, 54))
    #expect(row(6) == (1.75, 0.125, 53))
    for stamp: Int64 in [0, 1, 2, 3, 4, 6, 7, 8, 9] { #expect(buffer.isValid(stamp)) }
    #expect(!buffer.isValid(5) && !buffer.isValid(10))
}

@Test func nStepLookAheadMustBeCompleteBeforeSampling() {
    let buffer = ReplayBuffer(.init(capacity: 64, frameByteCount: 2, stackSize: 1, nStep: 3, gamma: 0.5))
    let frame: [UInt8] = [1, 1]
    frame.withUnsafeBytes { f in
        buffer.add(observation: f, action: 0, reward: 1, terminated: false, truncated: false, nextObservation: f)
        buffer.add(observation: f, action: 0, reward: 1, terminated: false, truncated: false, nextObservation: f)
        #expect(!buffer.isValid(0))
        buffer.add(observation: f, action: 0, reward: 1, terminated: false, truncated: false, nextObservation: f)
        #expect(buffer.isValid(0) && !buffer.isValid(1))
    }
}

@Test func wrapAroundNeverSamplesAStackWithOverwrittenFrames() {
    let config = ReplayBufferConfiguration(capacity: 37, frameByteCount: 2, stackSize: 4, nStep: 3, gamma: 0.9)
    let buffer = ReplayBuffer(config)
    var rng = TestGenerator(state: 7)
    var value: UInt8 = 1
    // Episodes of random lengths; each frame holds (episode id, step) so a stack can be
    // checked for coming from one episode, in order.
    for episode in 0..<40 {
        let length = 1 + Int(rng.next() % 9)
        for step in 0..<length {
            let obs: [UInt8] = [UInt8(episode), UInt8(step + 1)]
            let next: [UInt8] = [UInt8(episode), UInt8(step + 2)]
            obs.withUnsafeBytes { o in next.withUnsafeBytes { n in
                buffer.add(observation: o, action: step, reward: Float(step), terminated: step == length - 1 && episode % 2 == 0,
                           truncated: step == length - 1 && episode % 2 == 1, nextObservation: n)
            } }
            value &+= 1
        }
    }
    let batch = ReplayBatch(batchSize: 500, for: config)
    buffer.sample(into: batch, using: &rng)
    for b in 0..<batch.batchSize {
        let state = Array(batch.observations[(b * 8)..<(b * 8 + 8)])
        let newest = (episode: state[6], step: state[7])
        #expect(newest.step >= 1 && Int32(newest.step - 1) == batch.actions[b])
        // Frames before the newest are the same episode's previous steps, or zero before its start.
        for j in 0..<3 {
            let back = 3 - j
            let expectedStep = Int(newest.step) - back
            if expectedStep >= 1 {
                #expect(state[2 * j] == newest.episode && Int(state[2 * j + 1]) == expectedStep)
            } else {
                #expect(state[2 * j] == 0 && state[2 * j + 1] == 0)
            }
        }
        let next = Array(batch.nextObservations[(b * 8)..<(b * 8 + 8)])
        #expect(next[6] == newest.episode && next[7] > newest.step && next[7] <= newest.step + 3)
    }
}

@Test func capacityMathFitsAMillionAtariFramesUnder7_5GB() {
    let config = ReplayBufferConfiguration(capacity: 1_000_000, frameByteCount: 84 * 84, stackSize: 4, nStep: 3, gamma: 0.99)
    #expect(config.storageByteCount < 7_500_000_000)
    #expect(config.storageByteCount == 1_000_000 * (7056 + 25))
    // The allocation itself succeeds; untouched frame pages cost nothing until written.
    let buffer = ReplayBuffer(config)
    let frame = [UInt8](repeating: 3, count: 84 * 84)
    frame.withUnsafeBytes { f in
        for i in 0..<8 {
            buffer.add(observation: f, action: i % 4, reward: 0, terminated: false, truncated: false, nextObservation: f)
        }
    }
    #expect(buffer.isValid(4) && buffer.state(at: 4).allSatisfy { $0 == 3 })
}

@Test func vectorObservationsRoundTripAsFloats() {
    let config = ReplayBufferConfiguration(capacity: 16, frameByteCount: 3 * 4, stackSize: 1, nStep: 1, gamma: 0.9)
    let buffer = ReplayBuffer(config)
    let obs: [Float] = [0.5, -1.25, 3], next: [Float] = [7, 8, 9]
    obs.withUnsafeBytes { o in next.withUnsafeBytes { n in
        buffer.add(observation: o, action: 1, reward: 2, terminated: true, truncated: false, nextObservation: n)
    } }
    let batch = ReplayBatch(batchSize: 2, for: config)
    var rng = TestGenerator(state: 3)
    buffer.sample(into: batch, using: &rng)
    let values = UnsafeRawBufferPointer(batch.observations).bindMemory(to: Float.self)
    let nexts = UnsafeRawBufferPointer(batch.nextObservations).bindMemory(to: Float.self)
    #expect(Array(values[0..<3]) == obs && Array(nexts[3..<6]) == next)
}

@Test func saveAndLoadRestoreIdenticalSamplesAndRefuseDamagedFiles() throws {
    let config = ReplayBufferConfiguration(capacity: 40, frameByteCount: 2, stackSize: 2, nStep: 2, gamma: 0.9)
    let buffer = ReplayBuffer(config)
    for e in 0..<12 { add(to: buffer, first: UInt8(e * 10), rewards: [1, 2, 3, Float(e)], terminated: e % 3 == 0) }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("replay.bin")
    try buffer.save(to: url)

    let restored = ReplayBuffer(config)
    try restored.load(from: url)
    #expect(restored.writeHead == buffer.writeHead && restored.transitionsAdded == buffer.transitionsAdded)
    let a = ReplayBatch(batchSize: 64, for: config), b = ReplayBatch(batchSize: 64, for: config)
    var r1 = TestGenerator(state: 99), r2 = TestGenerator(state: 99)
    buffer.sample(into: a, using: &r1)
    restored.sample(into: b, using: &r2)
    #expect(Array(a.stamps) == Array(b.stamps) && Array(a.returns) == Array(b.returns))
    #expect(Array(a.observations) == Array(b.observations) && Array(a.nextObservations) == Array(b.nextObservations))
    // Adding to both keeps them identical.
    add(to: buffer, first: 200, rewards: [5, 5], terminated: true)
    add(to: restored, first: 200, rewards: [5, 5], terminated: true)
    buffer.sample(into: a, using: &r1)
    restored.sample(into: b, using: &r2)
    #expect(Array(a.stamps) == Array(b.stamps) && Array(a.observations) == Array(b.observations))

    // Truncated: refused with a clear error.
    let data = try Data(contentsOf: url)
    let truncated = directory.appendingPathComponent("truncated.bin")
    try data.prefix(data.count - 30).write(to: truncated)
    #expect(throws: ReplayBufferError.truncated(path: truncated.path)) { try ReplayBuffer(config).load(from: truncated) }
    // One flipped bit in the arrays: refused.
    var flipped = data
    flipped[data.count - 100] ^= 0x10
    let corrupt = directory.appendingPathComponent("corrupt.bin")
    try flipped.write(to: corrupt)
    #expect(throws: ReplayBufferError.corrupt(path: corrupt.path, reason: "checksum mismatch")) { try ReplayBuffer(config).load(from: corrupt) }
    // Another configuration: refused.
    var other = config
    other.stackSize = 4
    #expect(throws: ReplayBufferError.self) { try ReplayBuffer(other).load(from: url) }
    // Not a replay file.
    let junk = directory.appendingPathComponent("junk.bin")
    try Data("hello world, not replay".utf8).write(to: junk)
    #expect(throws: ReplayBufferError.notAReplayFile(path: junk.path)) { try ReplayBuffer(config).load(from: junk) }
}
