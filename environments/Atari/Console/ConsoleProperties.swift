// What ALE knows about a cartridge beyond its bytes: the controllers plugged in, the console
// switches, the display window and a few emulation options. ALE takes them from Stella's
// property table by the ROM's MD5; the entries below are those facts for the ROMs ale-py
// ships whose values differ from the defaults (every other ROM gets the defaults).

/// Per-ROM console properties (ALE's Controller.*, Console.*, Display.*, Emulation.* fields).
public struct ConsoleProperties: Sendable, Equatable {
    /// What is plugged into a controller port.
    public enum Controller: Sendable, Equatable { case joystick, paddles }
    /// The television standard: detected from the first frames when `auto`.
    public enum Format: Sendable, Equatable { case auto, ntsc, pal }

    public var leftController: Controller
    public var rightController: Controller
    /// Paddle 0 and 1 (and 2 and 3) exchange their jack pins.
    public var swapPaddles: Bool
    /// The left and right controller ports are exchanged.
    public var swapPorts: Bool
    /// Difficulty switches' power-on positions (ALE forces B once it drives the console).
    public var leftDifficultyA: Bool
    public var rightDifficultyA: Bool
    public var format: Format
    /// First scanline shown and number of scanlines shown.
    public var yStart: Int
    public var height: Int
    /// Whether HMOVE blanks the first 8 pixels of a line (the "comb").
    public var hmoveBlanks: Bool

    public init(leftController: Controller = .joystick, rightController: Controller = .joystick,
                swapPaddles: Bool = false, swapPorts: Bool = false,
                leftDifficultyA: Bool = false, rightDifficultyA: Bool = false,
                format: Format = .auto, yStart: Int = 34, height: Int = 210, hmoveBlanks: Bool = true) {
        self.leftController = leftController
        self.rightController = rightController
        self.swapPaddles = swapPaddles
        self.swapPorts = swapPorts
        self.leftDifficultyA = leftDifficultyA
        self.rightDifficultyA = rightDifficultyA
        self.format = format
        self.yStart = yStart
        self.height = height
        self.hmoveBlanks = hmoveBlanks
    }

    /// True when either port has paddles (ALE then drives paddles instead of joysticks).
    public var usesPaddles: Bool { leftController == .paddles || rightController == .paddles }

    /// The properties ALE uses for the ROM with this MD5 (lower-case hex); defaults otherwise.
    public static func forROM(md5: String) -> ConsoleProperties {
        known[md5.lowercased()] ?? ConsoleProperties()
    }

    static let known: [String: ConsoleProperties] = [
        "acb7750b4d0c4bd34969802a7deb2990": ConsoleProperties(leftDifficultyA: true, rightDifficultyA: true), // amidar
        "ccbd36746ed4525821a8083b0d6d2c2c": ConsoleProperties(hmoveBlanks: false), // asteroids
        "8556b42aa05f94bc29ff39c39b11bff4": ConsoleProperties(leftController: .paddles), // backgammon
        "41f252a66c6301f1e8ab3612c19bc5d4": ConsoleProperties(hmoveBlanks: false), // battle_zone
        "0a981c03204ac2b278ba392674682560": ConsoleProperties(leftController: .paddles), // blackjack
        "f34f08e5eb96e500e851a80be3277a56": ConsoleProperties(leftController: .paddles), // breakout
        "028024fb8e5e5f18ea586652f9799c96": ConsoleProperties(yStart: 26, height: 214), // carnival
        "b816296311019ab69a21cb9e9e235d12": ConsoleProperties(leftController: .paddles), // casino
        "0ef64cdbecccb7049752a3de0b7ade14": ConsoleProperties(yStart: 39, height: 256), // combat
        "106855474c69d08c8ffa308d47337269": ConsoleProperties(hmoveBlanks: false), // darkchambers
        "718ae62c70af4e5fd8e932fee216948a": ConsoleProperties(height: 230), // journey_escape
        "5428cdfada281c569c74c7308c7f2c26": ConsoleProperties(leftController: .paddles), // kaboom
        "ed2218b3075d15eaa34e3356025ccca3": ConsoleProperties(format: .pal), // maze_craze
        "87e79cd41ce136fd4f72cc6e2c161bee": ConsoleProperties(hmoveBlanks: false), // ms_pacman
        "60e0ea3cbe0913d39803477945e9e5ec": ConsoleProperties(leftController: .paddles, rightController: .paddles, swapPaddles: true), // pong
        "4799a40b6e889370b7ee55c17ba65141": ConsoleProperties(yStart: 26, height: 220), // pooyan
        "484b0076816a104875e00467d431c2d2": ConsoleProperties(yStart: 40), // qbert
        "4d7517ae69f95cfbc053be01312b7dba": ConsoleProperties(swapPorts: true), // surround
        "a499d720e7ee35c62424de882a3351b6": ConsoleProperties(yStart: 30), // up_n_down
        "cbe5a166550a8129a5e6d374901dffad": ConsoleProperties(leftController: .paddles, rightController: .paddles), // warlords
        "7e8aa18bc9502eb57daaf5e7c1e94da7": ConsoleProperties(swapPorts: true), // wizard_of_wor
    ]
}
