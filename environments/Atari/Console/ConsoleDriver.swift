// Drives a console the way ALE's StellaEnvironment does, so that frame N here is frame N in
// ale-py: the reset sequence (system reset, 60 no-op frames, RESET held for 4 frames, the
// game's mode selection by pressing SELECT, RESET again), actions turned into controller
// events (joystick bits, or paddle moves of ALE's fixed step for paddle games), one frame per
// step. Rewards, lives and game over belong to the game settings, which live elsewhere.

/// ALE's joystick action numbers (player A 0-17, player B 18-35, RESET 40).
public enum ALEAction {
    public static let noop = 0, fire = 1, up = 2, right = 3, left = 4, down = 5
    public static let upRight = 6, upLeft = 7, downRight = 8, downLeft = 9
    public static let upFire = 10, rightFire = 11, leftFire = 12, downFire = 13
    public static let upRightFire = 14, upLeftFire = 15, downRightFire = 16, downLeftFire = 17
    public static let playerBNoop = 18
    public static let reset = 40
}

/// A console stepped with ALE's semantics.
public final class ConsoleDriver {
    public let console: Console
    /// How ALE selects the game's default mode after power-on (nil: nothing to do).
    public let modeSelection: ConsoleModeSelection?

    /// ALE's paddle range and step (the pot resistance a paddle action moves by).
    public static let paddleMin = 27_450, paddleMax = 790_196, paddleDelta = 23_000

    private let usesPaddles: Bool
    var leftPaddle = 0
    var rightPaddle = 0
    /// Difficulty switches ALE sets every frame (0: both B).
    public var difficulty = 0

    /// Wraps a powered-on console as ALE's StellaEnvironment constructor does (paddles centred).
    public init(console: Console, modeSelection: ConsoleModeSelection?) {
        self.console = console
        self.modeSelection = modeSelection
        usesPaddles = console.properties.usesPaddles
        if usesPaddles { resetPaddles() }
    }

    /// ALE's reset(): what loadROM and reset_game run before the first frame of an episode.
    public func reset() {
        if usesPaddles { resetPaddles() }
        console.systemReset()
        emulate(ALEAction.noop, frames: 60)
        softReset()
        if let selection = modeSelection, selection.selectsMode {
            if selection.noopFramesFirst > 0 { emulate(ALEAction.noop, frames: selection.noopFramesFirst) }
            if selection.softResetFirst { softReset() }
            if let first = selection.selectFramesFirst { pressSelect(frames: first) }
            // A game whose RAM never shows the mode would hang ALE; we give up after 256 presses.
            var presses = 0
            while !selection.isSelected(console.ram) && presses < 256 {
                pressSelect(frames: selection.selectFrames)
                presses += 1
            }
            softReset()
        }
        softReset()
        for action in modeSelection?.startingActions ?? [] {
            emulate(action, frames: 1)
        }
    }

    /// One frame with player A's `action` (player B idle), as ALE's act() with frame skip 1.
    public func step(_ action: Int) {
        emulate(action, frames: 1)
    }

    /// Holds RESET for 4 frames (ALE's softReset).
    func softReset() {
        emulate(ALEAction.reset, frames: 4)
    }

    /// Holds SELECT for `frames` frames, then one no-op frame (ALE's pressSelect).
    func pressSelect(frames: Int) {
        resetKeys()
        console.inputs.select = true
        for _ in 0..<frames { console.runFrame() }
        emulate(ALEAction.noop, frames: 1)
    }

    private func emulate(_ action: Int, frames: Int) {
        if usesPaddles {
            for _ in 0..<frames {
                applyPaddleAction(action)
                console.runFrame()
            }
        } else {
            applyJoystickAction(action)
            for _ in 0..<frames { console.runFrame() }
        }
    }

    private func resetPaddles() {
        let centre = (ConsoleDriver.paddleMin + ConsoleDriver.paddleMax) / 2
        setPaddles(left: centre, right: centre)
    }

    private func setPaddles(left: Int, right: Int) {
        leftPaddle = left
        rightPaddle = right
        console.inputs.paddleResistance[0] = left
        console.inputs.paddleResistance[1] = right
    }

    private func resetKeys() {
        var inputs = console.inputs
        inputs.reset = false
        inputs.select = false
        inputs.joystick0 = 0
        inputs.joystick1 = 0
        inputs.paddleFire = 0
        inputs.leftDifficultyA = difficulty & 1 != 0
        inputs.rightDifficultyA = difficulty & 2 != 0
        console.inputs = inputs
    }

    /// The joystick bits of a player-A action (0-17), or nil for RESET.
    static func joystickBits(_ action: Int) -> UInt8 {
        let u = ConsoleInputs.up, d = ConsoleInputs.down, l = ConsoleInputs.left
        let r = ConsoleInputs.right, f = ConsoleInputs.fire
        switch action {
        case 1: return f
        case 2: return u
        case 3: return r
        case 4: return l
        case 5: return d
        case 6: return u | r
        case 7: return u | l
        case 8: return d | r
        case 9: return d | l
        case 10: return u | f
        case 11: return r | f
        case 12: return l | f
        case 13: return d | f
        case 14: return u | r | f
        case 15: return u | l | f
        case 16: return d | r | f
        case 17: return d | l | f
        default: return 0
        }
    }

    private func applyJoystickAction(_ action: Int) {
        resetKeys()
        if action == ALEAction.reset {
            console.inputs.reset = true
        } else {
            console.inputs.joystick0 = ConsoleDriver.joystickBits(action)
        }
    }

    /// Paddle games: RIGHT actions turn the paddle one way, LEFT the other, FIRE presses its
    /// button (player B stays idle, as in ale_trace.py and ALE's single-player act()).
    private func applyPaddleAction(_ action: Int) {
        resetKeys()
        let bits = action == ALEAction.reset ? 0 : ConsoleDriver.joystickBits(action)
        var delta = 0
        if bits & ConsoleInputs.right != 0 { delta = -ConsoleDriver.paddleDelta }
        if bits & ConsoleInputs.left != 0 { delta = ConsoleDriver.paddleDelta }
        let left = min(max(leftPaddle + delta, ConsoleDriver.paddleMin), ConsoleDriver.paddleMax)
        setPaddles(left: left, right: rightPaddle)
        if action == ALEAction.reset { console.inputs.reset = true }
        if bits & ConsoleInputs.fire != 0 { console.inputs.paddleFire |= 0x01 }
    }
}

extension ConsoleDriver {
    /// The console's state plus what ALE keeps beside it (paddle positions, difficulty).
    public func saveState() -> [UInt8] {
        var out = StateWriter()
        out.block(console.saveState())
        out.i64(leftPaddle); out.i64(rightPaddle); out.i64(difficulty)
        return out.data
    }

    /// Restores what `saveState` produced for the same cartridge; throws, changing nothing,
    /// when the bytes are not such a state.
    public func restoreState(_ state: [UInt8]) throws {
        var input = StateReader(state)
        let consoleState = try input.block()
        let left = try input.i64(), right = try input.i64(), newDifficulty = try input.i64()
        guard input.offset == state.count else { throw ConsoleStateError.corrupt("trailing bytes") }
        guard (0...3).contains(newDifficulty) else { throw ConsoleStateError.corrupt("difficulty \(newDifficulty)") }
        try console.restoreState(consoleState)
        leftPaddle = left
        rightPaddle = right
        difficulty = newDifficulty
    }
}
