// ALE's StellaEnvironment over our console, with the game settings stepped after every emulated
// frame as ALE steps them (reset sequence included), so reward, lives and game over follow
// ale-py frame for frame. Sticky actions are drawn per emulated frame from a generator the
// emulator owns. The console module's ConsoleDriver has the same reset sequence without game
// settings; this one adds them and the starting actions, which is why it drives the console itself.
import AtariConsole
import RL

/// A console plus a game's settings, stepped with ALE's semantics.
public final class ALEEmulator {
    public let console: Console
    /// nil: a ROM without settings (no rewards, never over).
    public let settings: GameSettings?
    public private(set) var progress: GameProgress
    /// Emulated frames since the episode started (ALE's episode frame number).
    public private(set) var episodeFrame = 0
    /// Probability that the previous action is kept for an emulated frame.
    public var repeatActionProbability: Double
    /// The sticky-action generator.
    public var generator: SeededGenerator
    /// The action in effect (what sticky actions repeat).
    public private(set) var heldAction = 0

    private let usesPaddles: Bool
    /// The settings' per-frame reading and lives rule, held apart from `settings`: reading them
    /// through the struct copied it, retaining its strings and arrays, which every emulator of
    /// the same game shares, several times a frame; on worker threads those reference counts
    /// ping-pong between cores.
    private let stepSettings: (@Sendable (RAMView, inout GameProgress) -> Void)?
    private let zeroLivesWhenTerminal: Bool
    private var paddle = 0
    private var otherPaddle = 0
    private static let paddleMin = 27_450, paddleMax = 790_196, paddleDelta = 23_000

    /// Powers on `cartridge` (as ALE's loadROM does); call `reset()` before stepping.
    public init(cartridge: Cartridge, settings: GameSettings?, repeatActionProbability: Double = 0, seed: UInt64 = 0) {
        console = Console(cartridge: cartridge, properties: .forROM(md5: cartridge.md5))
        self.settings = settings
        stepSettings = settings?.step
        zeroLivesWhenTerminal = settings?.zeroLivesWhenTerminal ?? false
        progress = settings?.initial ?? GameProgress()
        self.repeatActionProbability = repeatActionProbability
        generator = SeededGenerator(seed: seed)
        usesPaddles = console.properties.usesPaddles
        if usesPaddles { centrePaddles() }
    }

    /// Lives as ALE reports them.
    public var lives: Int { zeroLivesWhenTerminal && progress.terminal ? 0 : progress.lives }
    /// The game is over (ALE's isTerminal without the frame limit).
    public var isTerminal: Bool { progress.terminal }

    /// ALE's reset(): system reset, 60 no-ops, RESET, the default mode, RESET, starting actions.
    /// Frames ALE plays through act() or pressSelect while selecting the mode count toward the
    /// episode's frames and draw sticky actions, as in ALE.
    public func reset() {
        episodeFrame = 0
        heldAction = ALEAction.noop
        if usesPaddles { centrePaddles() }
        console.systemReset()
        emulate(ALEAction.noop, frames: 60)
        softReset()
        progress = settings?.initial ?? GameProgress()
        if let selection = settings?.modeSelection {
            for _ in 0..<selection.noopFramesFirst { _ = actFrame(ALEAction.noop) }
            if selection.softResetFirst { softReset() }
            if let first = selection.selectFramesFirst { pressSelect(frames: first) }
            // A RAM that never shows the mode would hang ALE; we give up after 256 presses.
            var presses = 0
            while !console.riot.ram.withUnsafeBufferPointer({ selection.holds(in: RAMView($0)) }) && presses < 256 {
                pressSelect(frames: selection.selectFrames)
                presses += 1
            }
            softReset()
        } else if let menu = settings?.menuSelection {
            walk(menu)
        }
        softReset()
        for action in settings?.startingActions ?? [] { emulate(action, frames: 1) }
        heldAction = ALEAction.noop
    }

    /// ALE's DoubleDunk setMode: open the menu, move down line by line, switch each option.
    private func walk(_ menu: MenuSelection) {
        pressSelect(frames: menu.selectFrames)
        func ram(_ address: Int) -> Int { Int(console.riot.ram[address & 0x7F]) }
        // Each wait is bounded (ALE's would spin forever on a ROM that never answers).
        func press(_ action: Int, until done: () -> Bool) {
            var presses = 0
            while !done() && presses < 256 {
                _ = actFrame(action)
                _ = actFrame(ALEAction.noop)
                presses += 1
            }
        }
        func goDown() {
            let line = ram(menu.lineAddress)
            press(ALEAction.down) { ram(menu.lineAddress) != line }
        }
        for _ in 0..<menu.skippedLines { goDown() }
        for (index, option) in menu.options.enumerated() {
            if index > 0 { goDown() }
            if option.on {
                press(ALEAction.right) { ram(menu.optionsAddress) & option.bit == option.bit }
            } else {
                press(ALEAction.left) { ram(menu.optionsAddress) & option.bit != option.bit }
            }
        }
        softReset()
        for action in menu.afterReset { _ = actFrame(action) }
    }

    /// One emulated frame of ALE's act(): the sticky draw, then the frame unless the game is
    /// over; returns the frame's reward.
    @inline(__always)
    public func actFrame(_ action: Int) -> Int {
        if repeatActionProbability == 0 || Double.random(in: 0..<1, using: &generator) >= repeatActionProbability {
            heldAction = action
        }
        if progress.terminal { return 0 }
        emulate(heldAction, frames: 1)
        episodeFrame += 1
        return progress.reward
    }

    /// Everything that changes while playing: console, settings' progress, frame count,
    /// sticky-action state and generator, paddles.
    public struct Snapshot: Sendable {
        let console: [UInt8]
        let progress: GameProgress
        let episodeFrame: Int
        let heldAction: Int
        let generator: SeededGenerator
        let paddles: (Int, Int)
    }

    public func snapshot() -> Snapshot {
        Snapshot(console: console.saveState(), progress: progress, episodeFrame: episodeFrame,
                 heldAction: heldAction, generator: generator, paddles: (paddle, otherPaddle))
    }

    /// Restores a snapshot of this emulator's cartridge; throws, changing nothing, if the
    /// console state does not fit.
    public func restore(_ snapshot: Snapshot) throws {
        try console.restoreState(snapshot.console)
        progress = snapshot.progress
        episodeFrame = snapshot.episodeFrame
        heldAction = snapshot.heldAction
        generator = snapshot.generator
        (paddle, otherPaddle) = snapshot.paddles
        if usesPaddles {
            console.inputs.paddleResistance[0] = paddle
            console.inputs.paddleResistance[1] = otherPaddle
        }
    }

    private func centrePaddles() {
        paddle = (Self.paddleMin + Self.paddleMax) / 2
        otherPaddle = paddle
        console.inputs.paddleResistance[0] = paddle
        console.inputs.paddleResistance[1] = otherPaddle
    }

    private func frame() {
        console.runFrame()
        if let stepSettings {
            console.riot.ram.withUnsafeBufferPointer { stepSettings(RAMView($0), &progress) }
        }
    }

    /// ALE's softReset: RESET held 4 frames.
    private func softReset() { emulate(ALEAction.reset, frames: 4) }

    /// ALE's pressSelect: SELECT held `frames` frames (the settings are not stepped on them),
    /// then one no-op frame; counts one episode frame.
    private func pressSelect(frames: Int) {
        setInputs(action: nil, select: true)
        for _ in 0..<frames { console.runFrame() }
        emulate(ALEAction.noop, frames: 1)
        episodeFrame += 1
    }

    private func emulate(_ action: Int, frames: Int) {
        for _ in 0..<frames {
            setInputs(action: action, select: false)
            frame()
        }
    }

    /// The console inputs of one frame: all keys released (difficulty B), then the action.
    /// Written in place: a copy of the inputs would share, then copy, the paddle array.
    private func setInputs(action: Int?, select: Bool) {
        console.inputs.reset = action == ALEAction.reset
        console.inputs.select = select
        console.inputs.joystick0 = 0
        console.inputs.joystick1 = 0
        console.inputs.paddleFire = 0
        console.inputs.leftDifficultyA = false
        console.inputs.rightDifficultyA = false
        let bits = action.map { $0 == ALEAction.reset ? 0 : ALEEmulator.joystickBits($0) } ?? 0
        if usesPaddles {
            if action != nil {
                var delta = 0
                if bits & ConsoleInputs.right != 0 { delta = -Self.paddleDelta }
                if bits & ConsoleInputs.left != 0 { delta = Self.paddleDelta }
                paddle = min(max(paddle + delta, Self.paddleMin), Self.paddleMax)
                console.inputs.paddleResistance[0] = paddle
                if bits & ConsoleInputs.fire != 0 { console.inputs.paddleFire |= 0x01 }
            }
        } else {
            console.inputs.joystick0 = bits
        }
    }

    /// Joystick lines of ALE's player-A actions 0-17 (anything else: none).
    static func joystickBits(_ action: Int) -> UInt8 {
        (0..<joystickTable.count).contains(action) ? joystickTable[action] : 0
    }

    private static let joystickTable: [UInt8] = {
        let u = ConsoleInputs.up, d = ConsoleInputs.down, l = ConsoleInputs.left
        let r = ConsoleInputs.right, f = ConsoleInputs.fire
        let table: [UInt8] = [0, f, u, r, l, d, u | r, u | l, d | r, d | l,
                              u | f, r | f, l | f, d | f, u | r | f, u | l | f, d | r | f, d | l | f]
        return table
    }()
}
