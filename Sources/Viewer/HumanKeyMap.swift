// How a person's keys become an environment's actions in `rl play`, found from the action
// names so that any environment that names its actions can be played: Atari's composed names
// (UP, LEFT, UPFIRE, DOWNLEFTFIRE, ...) from the arrows held and space; MiniGrid's (left, right,
// forward, pickup, drop, toggle, done) from arrows and letter keys; anything named up, down,
// left, right from the arrows.
import CSDL2

/// The keys of human play.
public enum HumanKey: CaseIterable, Sendable {
    case up, down, left, right, fire, pickup, drop, toggle, done, quit

    /// The SDL key code of the key.
    var keyCode: Int32 {
        switch self {
        case .up: return Int32(bitPattern: SDLK_UP.rawValue)
        case .down: return Int32(bitPattern: SDLK_DOWN.rawValue)
        case .left: return Int32(bitPattern: SDLK_LEFT.rawValue)
        case .right: return Int32(bitPattern: SDLK_RIGHT.rawValue)
        case .fire: return Int32(SDLK_SPACE.rawValue)
        case .pickup: return Int32(SDLK_g.rawValue)
        case .drop: return Int32(SDLK_d.rawValue)
        case .toggle: return Int32(SDLK_t.rawValue)
        case .done: return Int32(SDLK_RETURN.rawValue)
        case .quit: return Int32(SDLK_ESCAPE.rawValue)
        }
    }

    init?(keyCode: Int32) {
        if keyCode == Int32(SDLK_q.rawValue) { self = .quit; return }
        guard let key = HumanKey.allCases.first(where: { $0.keyCode == keyCode }) else { return nil }
        self = key
    }
}

/// Maps held or pressed keys to action indices by the environment's action names.
public struct HumanKeyMap: Sendable {
    private let index: [String: Int]
    /// The action taken when no mapped key is held (NOOP where it exists).
    public let idleAction: Int?

    public init(actionNames: [String]) {
        var index: [String: Int] = [:]
        for (i, name) in actionNames.enumerated() where index[name.uppercased()] == nil { index[name.uppercased()] = i }
        self.index = index
        idleAction = index["NOOP"]
    }

    /// The action for a set of held keys, for real-time play (Atari): vertical direction,
    /// then horizontal, then FIRE, composed as ALE names them; nil where the environment has
    /// no such action (the caller then takes the idle action).
    public func action(held keys: Set<HumanKey>) -> Int? {
        var name = ""
        if keys.contains(.up) && !keys.contains(.down) { name += "UP" }
        if keys.contains(.down) && !keys.contains(.up) { name += "DOWN" }
        if keys.contains(.right) && !keys.contains(.left) { name += "RIGHT" }
        if keys.contains(.left) && !keys.contains(.right) { name += "LEFT" }
        if keys.contains(.fire) { name += "FIRE" }
        if name.isEmpty { return idleAction }
        return index[name] ?? (keys.contains(.fire) ? index["FIRE"] : nil)
    }

    /// The action for one key press, for turn-based play (mazes): up is `forward` where the
    /// environment turns and moves forward, otherwise `up`.
    public func action(pressed key: HumanKey) -> Int? {
        switch key {
        case .up: return index["FORWARD"] ?? index["UP"]
        case .down: return index["DOWN"]
        case .left: return index["LEFT"]
        case .right: return index["RIGHT"]
        case .fire: return index["FIRE"] ?? index["TOGGLE"]
        case .pickup: return index["PICKUP"]
        case .drop: return index["DROP"]
        case .toggle: return index["TOGGLE"]
        case .done: return index["DONE"]
        case .quit: return nil
        }
    }
}
