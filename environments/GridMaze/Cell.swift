// One grid cell in MiniGrid's symbolic encoding (object, colour, state), with MiniGrid 3.2's
// indices (minigrid/core/constants.py), so observations are byte-for-byte MiniGrid's and agents
// or analyses written for MiniGrid read them unchanged.

/// MiniGrid's object indices.
public enum ObjectKind: UInt8, Sendable, CaseIterable {
    case unseen = 0, empty = 1, wall = 2, floor = 3, door = 4, key = 5, ball = 6, box = 7, goal = 8, lava = 9, agent = 10
}

/// MiniGrid's colour indices, with its RGB values.
public enum CellColor: UInt8, Sendable, CaseIterable {
    case red = 0, green = 1, blue = 2, purple = 3, yellow = 4, grey = 5

    public var rgb: (UInt8, UInt8, UInt8) {
        switch self {
        case .red: return (255, 0, 0)
        case .green: return (0, 255, 0)
        case .blue: return (0, 0, 255)
        case .purple: return (112, 39, 195)
        case .yellow: return (255, 255, 0)
        case .grey: return (100, 100, 100)
        }
    }

    /// The one-letter name used by text maps.
    public var letter: Character { Array("rgbpye")[Int(rawValue)] }

    public init?(letter: Character) {
        guard let i = Array("rgbpye").firstIndex(of: letter) else { return nil }
        self.init(rawValue: UInt8(i))
    }
}

/// MiniGrid's door states.
public enum DoorState: UInt8, Sendable {
    case open = 0, closed = 1, locked = 2
}

/// A cell as MiniGrid encodes it: three bytes.
public struct Cell: Sendable, Equatable, Hashable {
    public var kind: ObjectKind
    public var color: CellColor
    /// The door state for doors, 0 otherwise (the agent's heading in full-grid observations).
    public var state: UInt8

    public init(_ kind: ObjectKind, _ color: CellColor = .red, state: UInt8 = 0) {
        self.kind = kind
        self.color = color
        self.state = state
    }

    public static let empty = Cell(.empty)
    public static let wall = Cell(.wall, .grey)
    public static let goal = Cell(.goal, .green)
    public static let lava = Cell(.lava, .red)
    public static func door(_ color: CellColor, _ state: DoorState) -> Cell { Cell(.door, color, state: state.rawValue) }
    public static func key(_ color: CellColor) -> Cell { Cell(.key, color) }
    public static func ball(_ color: CellColor) -> Cell { Cell(.ball, color) }

    /// The agent may stand here (MiniGrid's can_overlap, with empty cells).
    public var isPassable: Bool {
        switch kind {
        case .empty, .goal, .floor, .lava: return true
        case .door: return state == DoorState.open.rawValue
        default: return false
        }
    }

    /// Sight passes through (MiniGrid's see_behind): everything but walls and shut doors.
    public var isTransparent: Bool {
        switch kind {
        case .wall: return false
        case .door: return state == DoorState.open.rawValue
        default: return true
        }
    }

    /// The agent can pick this up.
    public var isPortable: Bool { kind == .key || kind == .ball || kind == .box }
}
