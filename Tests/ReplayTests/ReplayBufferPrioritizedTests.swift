// Prioritised replay: new transitions get the maximum priority, updates follow
// (|delta| + epsilon)^alpha, sampling frequencies follow the priorities, and the importance
// weights are (P(i))^-beta normalised by the batch's largest.
import Foundation
import Replay
import Testing

func add(to buffer: PrioritizedReplayBuffer, first: UInt8, rewards: [Float], terminated: Bool) {
    addEpisode({ buffer.add(observation: $0, action: $1, reward: $2, terminated: $3, truncated: $4, nextObservation: $5) },
               first: first, rewards: rewards, terminated: terminated)
}

@Test func prioritizedBufferGivesValidTransitionsTheMaximumPriority() {
    let config = ReplayBufferConfiguration(capacity: 32, frameByteCount: 2, stackSize: 2, nStep: 2, gamma: 0.9)
    let buffer = PrioritizedReplayBuffer(config, alpha: 0.5, epsilon: 0)
    add(to: buffer, first: 1, rewards: [1, 1, 1], terminated: true)       // stamps 0,1,2, final 3
    add(to: buffer, first: 20, rewards: [1, 1, 1, 1], terminated: false)  // stamps 4...7, final 8
    for stamp: Int64 in 0...8 {
        let valid = buffer.buffer.isValid(stamp)
        #expect(valid == ![3, 8].contains(stamp))
        #expect((buffer.tree[Int(stamp)] > 0) == valid, "stamp \(stamp)")
    }
    // Priorities after updates: (|delta|)^0.5; new transitions then get max^alpha.
    let stamps: [Int64] = [0, 1]
    let errors: [Float] = [4, 16]
    stamps.withUnsafeBufferPointer { s in errors.withUnsafeBufferPointer { e in buffer.updatePriorities(stamps: s, tdErrors: e) } }
    #expect(buffer.tree[0] == 2 && buffer.tree[1] == 4 && buffer.maxPriority == 16)
    add(to: buffer, first: 40, rewards: [1], terminated: true)             // stamp 9, final 10
    #expect(buffer.tree[9] == 4)
}

@Test func prioritizedSamplingFollowsPrioritiesWithImportanceWeights() {
    let config = ReplayBufferConfiguration(capacity: 64, frameByteCount: 2, stackSize: 1, nStep: 1, gamma: 0.9)
    let buffer = PrioritizedReplayBuffer(config, alpha: 1, epsilon: 0)
    add(to: buffer, first: 0, rewards: [0, 0, 0, 0], terminated: true)  // stamps 0...3
    let stamps: [Int64] = [0, 1, 2, 3]
    let errors: [Float] = [1, 2, 3, 4]
    stamps.withUnsafeBufferPointer { s in errors.withUnsafeBufferPointer { e in buffer.updatePriorities(stamps: s, tdErrors: e) } }
    let batch = ReplayBatch(batchSize: 10, for: config)
    var rng = TestGenerator(state: 5)
    var counts = [Int](repeating: 0, count: 4)
    let beta = 0.4
    for _ in 0..<5000 {
        buffer.sample(into: batch, beta: beta, using: &rng)
        var maxWeight = 0.0
        for b in 0..<10 { maxWeight = max(maxWeight, pow(Double(batch.stamps[b] + 1) / 10, -beta)) }
        for b in 0..<10 {
            let stamp = Int(batch.stamps[b])
            counts[stamp] += 1
            let expected = pow(Double(stamp + 1) / 10, -beta) / maxWeight
            #expect(abs(Double(batch.weights[b]) - expected) < 1e-5)
        }
    }
    // Expected frequencies 0.1, 0.2, 0.3, 0.4 of 50000 draws; stratification makes the
    // counts tighter than multinomial, so a 3% relative band is generous.
    for i in 0..<4 {
        let expected = 50000.0 * Double(i + 1) / 10
        #expect(abs(Double(counts[i]) - expected) < 0.03 * expected, "counts \(counts)")
    }
}

@Test func prioritizedBufferDropsOverwrittenTransitions() throws {
    let config = ReplayBufferConfiguration(capacity: 12, frameByteCount: 2, stackSize: 3, nStep: 1, gamma: 0.9)
    let buffer = PrioritizedReplayBuffer(config, alpha: 0.6)
    for e in 0..<9 { add(to: buffer, first: UInt8(e * 10 + 1), rewards: [1, 1, 1, 1, 1], terminated: e % 2 == 0) }
    // Every leaf with a priority is a valid transition, and every valid transition has one.
    for slot in 0..<12 {
        let stamp = buffer.buffer.oldestStamp + Int64((slot - Int(buffer.buffer.oldestStamp % 12) + 12) % 12)
        #expect((buffer.tree[Int(stamp % 12)] > 0) == buffer.buffer.isValid(stamp), "stamp \(stamp)")
    }
    // Round trip through a file keeps priorities.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("per-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).bin")
    defer { try? FileManager.default.removeItem(at: url) }
    try buffer.save(to: url)
    let restored = PrioritizedReplayBuffer(config, alpha: 0.6)
    try restored.load(from: url)
    #expect(Array(restored.tree.leaves) == Array(buffer.tree.leaves) && restored.maxPriority == buffer.maxPriority)
    #expect(throws: ReplayBufferError.self) { try PrioritizedReplayBuffer(config, alpha: 0.5).load(from: url) }
    #expect(throws: ReplayBufferError.self) { try ReplayBuffer(config).load(from: url) }
}
