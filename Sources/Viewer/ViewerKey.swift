// The viewer's keys, as SDL key codes, so the window, the tests (which post them through
// SDL_PushEvent) and the help text agree on one table.
import CSDL2

/// What a key does in the viewer.
public enum ViewerKey: CaseIterable, Sendable {
    case pause, stepBack, stepForward, faster, slower, nextEpisode, previousEpisode, screenshot, quit

    /// The SDL key codes that trigger it.
    var keyCodes: [Int32] {
        switch self {
        case .pause: return [Int32(SDLK_SPACE.rawValue)]
        case .stepBack: return [Int32(bitPattern: SDLK_LEFT.rawValue)]
        case .stepForward: return [Int32(bitPattern: SDLK_RIGHT.rawValue)]
        case .faster: return [Int32(SDLK_PLUS.rawValue), Int32(SDLK_EQUALS.rawValue), Int32(bitPattern: SDLK_KP_PLUS.rawValue)]
        case .slower: return [Int32(SDLK_MINUS.rawValue), Int32(bitPattern: SDLK_KP_MINUS.rawValue)]
        case .nextEpisode: return [Int32(SDLK_n.rawValue)]
        case .previousEpisode: return [Int32(SDLK_p.rawValue)]
        case .screenshot: return [Int32(SDLK_s.rawValue)]
        case .quit: return [Int32(SDLK_q.rawValue), Int32(SDLK_ESCAPE.rawValue)]
        }
    }

    init?(keyCode: Int32) {
        guard let key = ViewerKey.allCases.first(where: { $0.keyCodes.contains(keyCode) }) else { return nil }
        self = key
    }

    /// One line of help per key.
    public static let help = "space pause · left/right step · +/- speed · n/p next/previous episode · s screenshot · q/Esc quit"
}
