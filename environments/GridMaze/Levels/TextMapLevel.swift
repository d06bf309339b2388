// A fixed layout read from a text map: every episode starts from it.
import RL

/// A level that always returns the same layout.
public struct FixedLevel: LevelGenerator {
    public let layout: MazeLayout
    public let maxSteps: Int
    public init(layout: MazeLayout, maxSteps: Int) {
        self.layout = layout
        self.maxSteps = maxSteps
    }
    public var width: Int { layout.grid.width }
    public var height: Int { layout.grid.height }
    public func generate(_ generator: inout SeededGenerator) -> MazeLayout { layout }
}
