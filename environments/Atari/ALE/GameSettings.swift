// What ALE knows about one game beyond the console: where its score lives in RAM, when it is
// over, its lives, the actions that matter, and how to bring it to its default mode. The facts
// are ALE's (src/ale/games/supported); each game is one small value here, its reading of RAM a
// function over the RAM bytes, so a new game is a table entry rather than a subclass.

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
    /// How ALE selects the default mode; nil: the power-on mode is it.
    public let modeSelection: ModeSelection?
    /// Actions ALE plays after every reset before the episode starts (one frame each).
    public let startingActions: [Int]
    /// The progress after ALE's `reset()` of the settings.
    public let initial: GameProgress
    /// Reads the RAM after a frame and updates score, reward, terminal and lives.
    public let step: @Sendable (_ ram: RAMView, _ progress: inout GameProgress) -> Void
    /// ALE reports 0 lives once the game is over for games whose `lives()` says so.
    public let zeroLivesWhenTerminal: Bool

    init(name: String, md5: String, minimal: [Int],
         mode: ModeSelection? = nil,
         starting: [Int] = [], lives: Int = 0, score: Int = 0, memo: Int = 0, zeroLivesWhenTerminal: Bool = false,
         step: @escaping @Sendable (RAMView, inout GameProgress) -> Void) {
        self.name = name
        self.md5 = md5
        self.minimalActions = minimal.sorted()
        self.modeSelection = mode
        self.startingActions = starting
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

/// ALE's setMode for a game's default mode: SELECT held `selectFrames` frames then one no-op
/// frame, until `isSelected` holds; then RESET.
public struct ModeSelection: Sendable {
    public let selectFrames: Int
    /// Gopher's setMode presses RESET before it reads the mode.
    public let resetFirst: Bool
    public let isSelected: @Sendable (RAMView) -> Bool

    /// The mode byte at `address` must be one of `values`.
    init(_ address: Int, _ values: [Int], selectFrames: Int, resetFirst: Bool = false) {
        self.selectFrames = selectFrames
        self.resetFirst = resetFirst
        isSelected = { ram in values.contains(ram[address]) }
    }

    init(selectFrames: Int, isSelected: @escaping @Sendable (RAMView) -> Bool) {
        self.selectFrames = selectFrames
        resetFirst = false
        self.isSelected = isSelected
    }
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

    /// BCD digits lowest byte first: `bcd(lo, mid, hi)` = lo + 100 mid + 10000 hi.
    public func bcd(_ low: Int, _ middle: Int, _ high: Int? = nil) -> Int {
        var score = bcd(low) + 100 * bcd(middle)
        if let high { score += 10_000 * bcd(high) }
        return score
    }
}
