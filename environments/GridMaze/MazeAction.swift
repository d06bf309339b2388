// MiniGrid's seven actions in MiniGrid's order, and its four headings.

/// MiniGrid's seven actions, in MiniGrid's order.
public enum MazeAction: Int, Sendable, CaseIterable {
    case left = 0, right, forward, pickup, drop, toggle, done

    public var name: String {
        ["left", "right", "forward", "pickup", "drop", "toggle", "done"][rawValue]
    }
}

/// Headings: 0 right (+x), 1 down (+y), 2 left, 3 up, as MiniGrid's DIR_TO_VEC.
public enum Heading {
    /// x step of a heading (computed, not a table: a shared global array would be retained and
    /// released from every worker thread on every step).
    @inline(__always) public static func dx(_ heading: Int) -> Int { heading == 0 ? 1 : (heading == 2 ? -1 : 0) }
    /// y step of a heading.
    @inline(__always) public static func dy(_ heading: Int) -> Int { heading == 1 ? 1 : (heading == 3 ? -1 : 0) }
}
