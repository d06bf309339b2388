// A binary sum tree over a fixed number of non-negative priorities: set one in O(log n), and
// find the leaf where a running sum crosses a value in O(log n), which is how prioritised
// replay (Schaul et al. 2016, proportional variant) samples in proportion to priority.
// Sums are Double so that a million float-sized priorities add up without visible drift.

/// Priorities in a flat array: node i has children 2i and 2i+1; leaves start at `leafBase`.
public struct SumTree: Sendable {
    /// Number of leaves the caller addresses (0..<capacity).
    public let capacity: Int
    let leafBase: Int
    var nodes: [Double]

    public init(capacity: Int) {
        precondition(capacity > 0, "SumTree: capacity must be positive, got \(capacity)")
        self.capacity = capacity
        var base = 1
        while base < capacity { base <<= 1 }
        leafBase = base
        nodes = [Double](repeating: 0, count: 2 * base)
    }

    /// The sum of all priorities.
    public var total: Double { nodes[1] }

    /// The priority of `leaf`.
    public subscript(leaf: Int) -> Double {
        nodes[leafBase + leaf]
    }

    /// Sets the priority of `leaf` and updates the sums above it.
    public mutating func set(_ leaf: Int, _ priority: Double) {
        precondition(leaf >= 0 && leaf < capacity && priority >= 0 && priority.isFinite,
                     "SumTree.set: leaf \(leaf) of \(capacity), priority \(priority)")
        nodes.withUnsafeMutableBufferPointer { n in
            var i = leafBase + leaf
            n[i] = priority
            i >>= 1
            while i >= 1 {
                n[i] = n[2 * i] + n[2 * i + 1]
                i >>= 1
            }
        }
    }

    /// The leaf whose cumulative range [sum of leaves before it, that sum + its priority)
    /// contains `value` (clamped to the tree's total); never a leaf of priority 0 when the
    /// total is positive.
    public func find(_ value: Double) -> Int {
        nodes.withUnsafeBufferPointer { n in
            var v = max(0, value)
            var i = 1
            while i < leafBase {
                let left = n[2 * i]
                // Go right when the value lies beyond the left sum, or the left side is empty
                // (rounding can leave v equal to a sum).
                if v >= left && n[2 * i + 1] > 0 {
                    v -= left
                    i = 2 * i + 1
                } else if left > 0 {
                    i = 2 * i
                } else {
                    i = 2 * i + 1
                }
            }
            return i - leafBase
        }
    }

    /// The leaves' priorities, for checkpoints.
    public var leaves: ArraySlice<Double> { nodes[leafBase..<(leafBase + capacity)] }

    /// Restores every leaf from `priorities` (count == capacity) and rebuilds the sums.
    public mutating func setLeaves(_ priorities: [Double]) {
        precondition(priorities.count == capacity, "SumTree.setLeaves: \(priorities.count) priorities for \(capacity) leaves")
        for i in 0..<leafBase { nodes[leafBase + i] = i < capacity ? priorities[i] : 0 }
        var i = leafBase - 1
        while i >= 1 {
            nodes[i] = nodes[2 * i] + nodes[2 * i + 1]
            i -= 1
        }
    }
}
