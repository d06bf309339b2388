// What ALE knows about one game beyond the console: where its score lives in RAM, when it is
// over, its lives, the actions that matter, and how to bring it to its default mode. The facts
// are ALE's (src/ale/games/supported); each game is one small value here, its reading of RAM a
// function over the RAM bytes, so a new game is a table entry rather than a subclass. How a game
// reaches its default mode is shared with the console's parity driver (ConsoleModeSelection).
import AtariConsole

/// What a game's settings remember between frames (ALE's RomSettings members).
public struct GameProgress: Sendable, Equatable {
    public var score = 0
    public var reward = 0
    public var terminal = false
    public var lives = 0
    /// Games that only count as over once play has started (Breakout's `m_started`).
    public var started = false
    /// A game's own memory of a past frame (Q*bert's last lives byte).
    public var memo = 0

    public init() {}
}

/// One game's settings, identified by its ROM's MD5 as ALE identifies it.
public struct GameSettings: Sendable {
    /// ale-py's ROM name (`ms_pacman`).
    public let name: String
    /// MD5 of the ROM these settings are for.
    public let md5: String
    /// The minimal action set, ALE action numbers in increasing order.
    public let minimalActions: [Int]
    /// How ALE selects the default mode by SELECT presses; nil: none (or a menu, below).
    /// The facts live in the console module's table, which its parity driver shares.
    public let modeSelection: ConsoleModeSelection?
    /// How ALE walks a game's option menu instead (Double Dunk); nil: no menu.
    public let menuSelection: MenuSelection?
    /// Actions ALE plays after every reset before the episode starts (one frame each).
    public let startingActions: [Int]
    /// The progress after ALE's `reset()` of the settings.
    public let initial: GameProgress
    /// Reads the RAM after a frame and updates score, reward, terminal and lives.
    public let step: @Sendable (_ ram: RAMView, _ progress: inout GameProgress) -> Void
    /// ALE reports 0 lives once the game is over for games whose `lives()` says so.
    public let zeroLivesWhenTerminal: Bool

    /// Mode selection and starting actions default to the console table's entry for `name`.
    init(name: String, md5: String, minimal: [Int], menu: MenuSelection? = nil, starting: [Int]? = nil,
         lives: Int = 0, score: Int = 0, memo: Int = 0, zeroLivesWhenTerminal: Bool = false,
         step: @escaping @Sendable (RAMView, inout GameProgress) -> Void) {
        self.name = name
        self.md5 = md5
        self.minimalActions = minimal.sorted()
        let table = ConsoleModeSelection.forGame(name)
        self.modeSelection = table?.selectsMode == true ? table : nil
        self.menuSelection = menu
        self.startingActions = starting ?? table?.startingActions ?? []
        var initial = GameProgress()
        initial.lives = lives
        initial.score = score
        initial.memo = memo
        self.initial = initial
        self.zeroLivesWhenTerminal = zeroLivesWhenTerminal
        self.step = step
    }

    /// Lives as ALE's `lives()` reports them.
    public func lives(_ progress: GameProgress) -> Int {
        zeroLivesWhenTerminal && progress.terminal ? 0 : progress.lives
    }
}

extension ConsoleModeSelection {
    /// Whether every RAM condition of the wanted mode holds.
    func holds(in ram: RAMView) -> Bool {
        required.allSatisfy { condition in condition.values.contains(UInt8(ram[condition.address])) }
    }
}

/// A default mode set through an option menu (ALE's DoubleDunk setMode): SELECT opens the
/// menu, DOWN moves to the next line (until the line byte changes), RIGHT/LEFT switch the line's
/// option bit on/off; every press is one act() then a no-op act(), as ALE plays them.
public struct MenuSelection: Sendable {
    /// Frames SELECT is held to open the menu.
    public let selectFrames: Int
    /// RAM byte that changes when the menu's cursor moves.
    public let lineAddress: Int
    /// RAM byte holding the options' bits.
    public let optionsAddress: Int
    /// Lines skipped before the first option.
    public let skippedLines: Int
    /// One option per line, in menu order: its bit and whether the default mode has it on.
    public let options: [(bit: Int, on: Bool)]
    /// Actions played (one act() each) after the RESET that applies the options.
    public let afterReset: [Int]
}

/// The 128 bytes of RIOT RAM, addressed as ALE's `readRam` does (address & 0x7F).
public struct RAMView {
    let bytes: UnsafeBufferPointer<UInt8>

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public subscript(_ address: Int) -> Int { Int(bytes[address & 0x7F]) }

    /// Two BCD digits of one byte (ALE's getDecimalScore with one index).
    public func bcd(_ address: Int) -> Int {
        let value = self[address]
        return 10 * (value >> 4) + (value & 0x0F)
    }

    /// One decimal digit per byte, in the low nibbles of `count` bytes from `address`, lowest
    /// digit first; 0xA is a blank (a leading zero not drawn) and counts as 0.
    public func lowNibbleDigits(from address: Int, count: Int) -> Int {
        var score = 0, scale = 1
        for index in 0..<count {
            let digit = self[address + index] & 0x0F
            score += scale * (digit == 0xA ? 0 : digit)
            scale *= 10
        }
        return score
    }

    /// BCD digits lowest byte first: `bcd(lo, mid, hi)` = lo + 100 mid + 10000 hi.
    public func bcd(_ low: Int, _ middle: Int, _ high: Int? = nil) -> Int {
        var score = bcd(low) + 100 * bcd(middle)
        if let high { score += 10_000 * bcd(high) }
        return score
    }
}
