// The episodic bonus's table: counts per distinct observation within an episode, forgotten
// when the next episode begins, and collisions of slots resolved (a table of 4 slots holding
// more observations than fit side by side without probing).
import DQN
import Testing

@Test func episodicCountsResetEachEpisode() {
    let counts = EpisodicVisitCounts(capacity: 1 << 8)
    let a: [UInt8] = [2, 5, 0, 1, 0, 0], b: [UInt8] = [2, 5, 0, 5, 4, 0]
    counts.beginEpisode()
    #expect(a.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(a.withUnsafeBytes { counts.visit($0) } == 2)
    #expect(b.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(a.withUnsafeBytes { counts.visit($0) } == 3)
    counts.beginEpisode()
    #expect(a.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(b.withUnsafeBytes { counts.visit($0) } == 1)
    #expect(b.withUnsafeBytes { counts.visit($0) } == 2)
}

@Test func episodicCountsProbePastOccupiedSlots() {
    // Four distinct observations in four slots: each must keep its own count.
    let counts = EpisodicVisitCounts(capacity: 4)
    counts.beginEpisode()
    let observations: [[UInt8]] = (0..<4).map { [UInt8($0), 7, 7] }
    for round in 1...3 {
        for o in observations { #expect(o.withUnsafeBytes { counts.visit($0) } == UInt32(round)) }
    }
}
