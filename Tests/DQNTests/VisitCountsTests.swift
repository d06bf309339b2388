// The count-based bonus's visit table: counts per distinct observation, a checkpoint round
// trip, and a refused file of the wrong size.
import DQN
import Foundation
import Testing

@Test func visitCountsCountEachObservationAndRoundTrip() throws {
    let counts = VisitCounts(capacity: 1 << 12)
    let a: [UInt8] = [2, 5, 0, 1, 0, 0], b: [UInt8] = [2, 5, 0, 5, 4, 0]
    #expect(a.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(a.withUnsafeBytes { counts.visit($0) } == 2)
    #expect(b.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(a.withUnsafeBytes { counts.visit($0) } == 3)

    let url = FileManager.default.temporaryDirectory.appendingPathComponent("visit-counts-\(getpid()).bin")
    defer { try? FileManager.default.removeItem(at: url) }
    try counts.save(to: url)
    let restored = VisitCounts(capacity: 1 << 12)
    try restored.load(from: url)
    #expect(a.withUnsafeBytes { restored.visit($0) } == 4)
    #expect(b.withUnsafeBytes { restored.visit($0) } == 2)
    #expect(throws: DQNError.self) { try VisitCounts(capacity: 1 << 10).load(from: url) }
}
