// How ALE brings a game to its default mode after power-on, and the actions it plays before
// handing the game over: it reads the game's mode from RAM and presses SELECT until the mode
// is the one wanted, then presses RESET; some games then get a few fixed actions. These are
// facts from ALE's per-game settings (default mode only); the game settings of the Atari
// environment are the long-term home of this knowledge.

/// The mode check, SELECT press lengths and starting actions ALE uses for a game.
public struct ConsoleModeSelection: Sendable, Equatable {
    /// One RAM condition: the byte at `address` ($80-$FF) holds one of `values`.
    public struct Condition: Sendable, Equatable {
        public var address: Int
        public var values: [UInt8]
        public init(_ address: Int, _ values: UInt8...) {
            self.address = address
            self.values = values
        }
    }

    /// RAM conditions that all hold once the default mode is selected (empty: no selection).
    public var required: [Condition]
    /// Frames SELECT is held per press while selecting.
    public var selectFrames: Int
    /// No-op frames before selecting (ALE's act(NOOP) calls).
    public var noopFramesFirst: Int
    /// RESET pressed once before selecting.
    public var softResetFirst: Bool
    /// One SELECT press of this many frames before the check loop starts.
    public var selectFramesFirst: Int?
    /// Player-A actions played one frame each at the end of the reset sequence.
    public var startingActions: [Int]

    public init(required: [Condition] = [], selectFrames: Int = 1, noopFramesFirst: Int = 0,
                softResetFirst: Bool = false, selectFramesFirst: Int? = nil, startingActions: [Int] = []) {
        self.required = required
        self.selectFrames = selectFrames
        self.noopFramesFirst = noopFramesFirst
        self.softResetFirst = softResetFirst
        self.selectFramesFirst = selectFramesFirst
        self.startingActions = startingActions
    }

    /// Whether the game selects a mode at all (otherwise only the starting actions apply).
    public var selectsMode: Bool { !required.isEmpty }

    func isSelected(_ ram: [UInt8]) -> Bool {
        required.allSatisfy { $0.values.contains(ram[$0.address & 0x7F]) }
    }

    /// ALE's default-mode selection for a game (by ale-py's ROM name), nil when it has none.
    public static func forGame(_ name: String) -> ConsoleModeSelection? {
        known[name]
    }

    private typealias C = Condition
    private static let fire = 1, up = 2, right = 3, left = 4, down = 5, reset = 40

    static let known: [String: ConsoleModeSelection] = [
        "pong": .init(required: [C(0x96, 0)], selectFrames: 2),
        "breakout": .init(required: [C(0xB2, 0)], selectFrames: 1),
        "space_invaders": .init(required: [C(0xDC, 0)], selectFrames: 2),
        "freeway": .init(required: [C(0x80, 0)], selectFrames: 1),
        "ms_pacman": .init(required: [C(0x99, 1), C(0xA1, 1)], selectFrames: 10),
        "air_raid": .init(required: [C(0xAA, 1)], selectFrames: 10, selectFramesFirst: 20, startingActions: [fire]),
        "alien": .init(required: [C(0x81, 0)], selectFrames: 1),
        "asteroids": .init(required: [C(0x80, 0)], selectFrames: 2),
        "atlantis": .init(required: [C(0x8D, 0)], selectFrames: 2),
        "backgammon": .init(required: [C(0xDC, 3)], selectFrames: 1),
        "bank_heist": .init(required: [C(0x80, 0)], selectFrames: 1),
        "battle_zone": .init(required: [C(0xA1, 1)], selectFrames: 2),
        "berzerk": .init(required: [C(0x80, 1)], selectFrames: 2, noopFramesFirst: 20),
        "bowling": .init(required: [C(0x82, 0)], selectFrames: 2),
        "casino": .init(required: [C(0xD4, 0)], selectFrames: 2,
                        startingActions: [Int](repeating: 0, count: 60) + [fire, fire]),
        "centipede": .init(required: [C(0xA7, 0x16)], selectFrames: 2),
        "chopper_command": .init(required: [C(0xE0, 0)], selectFrames: 2),
        "crazy_climber": .init(required: [C(0x80, 0)], selectFrames: 2),
        "crossbow": .init(required: [C(0x8D, 1)], selectFrames: 2),
        "defender": .init(required: [C(0x9B, 1)], selectFrames: 2),
        "demon_attack": .init(required: [C(0xEA, 1)], selectFrames: 1),
        "frogger": .init(required: [C(0xDD, 1)], selectFrames: 2),
        "frostbite": .init(required: [C(0x80, 0)], selectFrames: 1),
        "galaxian": .init(required: [C(0xB3, 1)], selectFrames: 1),
        "gopher": .init(required: [C(0xD3, 0)], selectFrames: 5, softResetFirst: true, startingActions: [fire]),
        "gravitar": .init(required: [C(0x80, 0)], selectFrames: 10, startingActions: [Int](repeating: fire, count: 16)),
        "hangman": .init(required: [C(0xEE, 0)], selectFrames: 2),
        "haunted_house": .init(required: [C(0xCC, 0)], selectFrames: 2),
        "hero": .init(required: [C(0x80, 0)], selectFrames: 1),
        "human_cannonball": .init(required: [C(0xB6, 1), C(0xB7, 1)], selectFrames: 2),
        "ice_hockey": .init(required: [C(0x80, 0)], selectFrames: 2),
        "jamesbond": .init(required: [C(0x8C, 0, 0x48)], selectFrames: 20),
        "kangaroo": .init(required: [C(0xBA, 0, 0x80)], selectFrames: 2),
        "king_kong": .init(required: [C(0xEC, 0)], selectFrames: 2),
        "lost_luggage": .init(required: [C(0x94, 1)], selectFrames: 2, startingActions: [fire]),
        "mario_bros": .init(required: [C(0x80, 0)], selectFrames: 5,
                            startingActions: [Int](repeating: 0, count: 10) + [Int](repeating: fire, count: 7)),
        "mr_do": .init(required: [C(0x80, 0)], selectFrames: 5, startingActions: [fire]),
        "name_this_game": .init(required: [C(0xDE, 0x08)], selectFrames: 2),
        "othello": .init(required: [C(0xDE, 1)], selectFrames: 2),
        "pacman": .init(required: [C(0xCC, 1), C(0xE6, 0)], selectFrames: 2),
        "pooyan": .init(required: [C(0xBD, 0x0A)], selectFrames: 2, selectFramesFirst: 2),
        "private_eye": .init(required: [C(0x80, 0)], selectFrames: 2, startingActions: [up]),
        "star_gunner": .init(required: [C(0xF4, 0)], selectFrames: 15),
        "surround": .init(required: [C(0xF9, 1)], selectFrames: 2),
        "tennis": .init(required: [C(0x80, 0)], selectFrames: 2),
        "tic_tac_toe_3d": .init(required: [C(0x88, 0)], selectFrames: 2),
        "turmoil": .init(required: [C(0xEA, 0)], selectFrames: 2, startingActions: [fire]),
        "tutankham": .init(required: [C(0xAB, 0)], selectFrames: 2),
        "video_chess": .init(required: [C(0xEA, 0)], selectFrames: 1),
        "video_pinball": .init(required: [C(0xC1, 0)], selectFrames: 2),
        "word_zapper": .init(required: [C(0xDB, 0)], selectFrames: 2,
                             startingActions: [Int](repeating: 0, count: 486) + [fire, 0, 0]),
        "yars_revenge": .init(required: [C(0xE3, 0)], selectFrames: 1, selectFramesFirst: 2, startingActions: [fire]),
        "zaxxon": .init(required: [C(0x82, 0)], selectFrames: 10),
        // Starting actions only.
        "asterix": .init(startingActions: [fire]),
        "beam_rider": .init(startingActions: [right]),
        "darkchambers": .init(startingActions: [Int](repeating: 0, count: 486)),
        "elevator_action": .init(startingActions: [Int](repeating: fire, count: 16)),
        "enduro": .init(startingActions: [fire]),
        "entombed": .init(startingActions: [fire, 0, 0, 0, 0, 0]),
        "journey_escape": .init(startingActions: [fire]),
        "kaboom": .init(startingActions: [fire]),
        "keystone_kapers": .init(startingActions: [reset]),
        "laser_gates": .init(startingActions: [reset]),
        "pitfall": .init(startingActions: [up]),
        "pitfall2": .init(startingActions: [up]),
        "sir_lancelot": .init(startingActions: [reset, left]),
        "skiing": .init(startingActions: [Int](repeating: down, count: 16)),
        "up_n_down": .init(startingActions: [fire]),
    ]
}
