// The controller and console-switch inputs as ALE's events hold them: joystick directions
// and buttons per player, paddle positions as the resistance ALE feeds the paddle pots, paddle
// buttons, and the SELECT/RESET/difficulty switches. The console turns them into the SWCHA,
// SWCHB and INPT lines according to what ConsoleProperties says is plugged in.

/// Input events, latched by the console at the start of every frame.
public struct ConsoleInputs: Sendable, Equatable {
    /// Bits of `joystick0` / `joystick1` (set while held).
    public static let up: UInt8 = 0x01, down: UInt8 = 0x02, left: UInt8 = 0x04, right: UInt8 = 0x08
    public static let fire: UInt8 = 0x10

    /// Player A's and player B's joystick (direction and fire bits).
    public var joystick0: UInt8 = 0
    public var joystick1: UInt8 = 0
    /// The four paddles' pot resistances (ALE's PaddleZero...PaddleThreeResistance events;
    /// 0 until ALE sets them, which reads as a fully charged pot).
    public var paddleResistance: [Int] = [0, 0, 0, 0]
    /// Paddle buttons held: bit n for paddle n.
    public var paddleFire: UInt8 = 0
    public var select = false
    public var reset = false
    /// Difficulty switch events: true for A, false for B, nil for no event (the switch stays).
    public var leftDifficultyA: Bool?
    public var rightDifficultyA: Bool?

    public init() {}
}
