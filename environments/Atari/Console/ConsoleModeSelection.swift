// How ALE brings a game to its default mode after power-on: it reads the game's mode from
// RAM and presses SELECT until the mode is the one wanted, then presses RESET. These are
// facts from ALE's per-game settings for the default mode of the games that need it; the
// game settings of the Atari environment are the long-term home of this knowledge.

/// The mode check and SELECT press length ALE's setMode uses for a game's default mode.
public struct ConsoleModeSelection: Sendable, Equatable {
    /// RAM addresses ($80-based) and the value each must hold once the mode is selected.
    public var required: [(address: Int, value: UInt8)]
    /// Frames SELECT is held per press.
    public var selectFrames: Int

    public init(required: [(address: Int, value: UInt8)], selectFrames: Int) {
        self.required = required
        self.selectFrames = selectFrames
    }

    public static func == (a: ConsoleModeSelection, b: ConsoleModeSelection) -> Bool {
        a.selectFrames == b.selectFrames && a.required.map(\.address) == b.required.map(\.address)
            && a.required.map(\.value) == b.required.map(\.value)
    }

    func isSelected(_ ram: [UInt8]) -> Bool {
        required.allSatisfy { ram[$0.address & 0x7F] == $0.value }
    }

    /// ALE's default-mode selection for a game (by ale-py's ROM name), nil when it has none.
    public static func forGame(_ name: String) -> ConsoleModeSelection? {
        known[name]
    }

    static let known: [String: ConsoleModeSelection] = [
        "pong": ConsoleModeSelection(required: [(0x96, 0)], selectFrames: 2),
        "breakout": ConsoleModeSelection(required: [(0xB2, 0)], selectFrames: 1),
        "space_invaders": ConsoleModeSelection(required: [(0xDC, 0)], selectFrames: 2),
        "freeway": ConsoleModeSelection(required: [(0x80, 0)], selectFrames: 1),
        "ms_pacman": ConsoleModeSelection(required: [(0x99, 1), (0xA1, 1)], selectFrames: 10),
    ]
}
