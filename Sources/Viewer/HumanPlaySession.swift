// `rl play`: a person plays an environment with the keyboard in a window, and the episodes are
// recorded to a trajectory store as human demonstrations (kind `human`) for later imitation.
// Real-time environments (Atari) step at a fixed rate with the keys held; turn-based ones
// (mazes) step once per key press. Generic over any rendering environment that names its
// actions, so the environment registry only has to hand one over.
import CSDL2
import Foundation
import Replay
import RL

/// A window in which a person plays `environment`.
public final class HumanPlaySession<E: RenderingEnvironment> {
    public let environment: E
    public let environmentID: String
    /// Where episodes go (nil: play without recording).
    public let recorder: EpisodeRecorder?
    /// Step at `framesPerSecond` with the held keys (true), or once per key press (false).
    public let realTime: Bool
    public let framesPerSecond: Int
    public let scale: Int
    public let keyMap: HumanKeyMap
    public let actionNames: [String]

    public private(set) var episode = 1
    public private(set) var step = 0
    public private(set) var episodeReturn = 0.0
    public private(set) var lastReward: Float = 0
    public private(set) var lastAction: Int?
    /// Ids of the episodes written to the store.
    public private(set) var recordedEpisodes: [Int64] = []
    public private(set) var quitRequested = false
    public private(set) var canvas: ViewerCanvas

    private var seed: UInt64
    private var held = Set<HumanKey>()
    private var observation: [UInt8]
    private var frame: [UInt8]
    private let frameShape: (height: Int, width: Int)
    private let window: ViewerWindow
    private static var panelWidth: Int { EpisodeViewer.panelWidth }

    /// Opens a window on `environment`, reset with `seed` (then seed + 1, ... per episode).
    public init(environment: E, environmentID: String, recorder: EpisodeRecorder?, seed: UInt64, realTime: Bool,
                framesPerSecond: Int = 15, scale: Int? = nil) throws {
        guard case .box(let shape, .uint8, _, _) = environment.renderSpace, shape.count == 3, shape[2] == 3 else {
            throw ViewerError.sdlFailed(call: "rl play", detail: "\(environmentID) renders \(environment.renderSpace), not an RGB image")
        }
        actionNames = (environment as? any NamedActions)?.actionNames ?? []
        guard !actionNames.isEmpty else {
            throw ViewerError.sdlFailed(call: "rl play", detail: "\(environmentID) does not name its actions, so keys cannot map to them")
        }
        self.environment = environment
        self.environmentID = environmentID
        self.recorder = recorder
        self.realTime = realTime
        self.framesPerSecond = max(1, framesPerSecond)
        self.seed = seed
        keyMap = HumanKeyMap(actionNames: actionNames)
        frameShape = (shape[0], shape[1])
        self.scale = scale ?? max(1, min(8, 512 / max(shape[0], shape[1])))
        observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
        frame = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
        let width = shape[1] * self.scale + Self.panelWidth, height = max(shape[0] * self.scale, 320)
        canvas = ViewerCanvas(width: width, height: height)
        window = try ViewerWindow(title: "rl play: \(environmentID)", width: width, height: height)
        beginEpisode()
        try draw()
    }

    /// Plays until q or Escape; the episode in progress at that moment is not recorded.
    public func run() throws {
        var nextStep = Date()
        while !quitRequested {
            var changed = try handlePendingEvents()
            if realTime && Date() >= nextStep {
                try tick()
                changed = true
                nextStep = Date().addingTimeInterval(1 / Double(framesPerSecond))
            }
            if changed { try draw() }
            SDL_Delay(2)
        }
        recorder?.discardEpisode()
    }

    /// Handles queued events: key presses step a turn-based environment at once; in real
    /// time they are remembered as held until released. Returns whether anything changed.
    @discardableResult
    public func handlePendingEvents() throws -> Bool {
        var event = SDL_Event()
        var changed = false
        while SDL_PollEvent(&event) != 0 {
            if event.type == SDL_QUIT.rawValue { quitRequested = true; continue }
            let isDown = event.type == SDL_KEYDOWN.rawValue, isUp = event.type == SDL_KEYUP.rawValue
            guard isDown || isUp, let key = HumanKey(keyCode: event.key.keysym.sym) else { continue }
            if key == .quit { quitRequested = true; continue }
            if realTime {
                if isDown { held.insert(key) } else { held.remove(key) }
            } else if isDown, let action = keyMap.action(pressed: key) {
                try act(action)
                changed = true
            }
        }
        return changed
    }

    /// One real-time step with the keys held now.
    public func tick() throws {
        try act(keyMap.action(held: held) ?? keyMap.idleAction ?? 0)
    }

    /// Posts a key press (and, with `release`, its release) as if typed, for scripts and tests.
    public func post(_ key: HumanKey, release: Bool = false) {
        window.post(keyCode: key.keyCode, release: release)
    }

    /// Reads back what the window shows.
    public func windowImage() throws -> PNGImage { try window.image() }

    private func beginEpisode() {
        observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
        observation.withUnsafeBytes { _ = recorder?.beginEpisode(.human, seed: seed, observation: $0) }
        step = 0
        episodeReturn = 0
        lastReward = 0
        lastAction = nil
    }

    private func act(_ action: Int) throws {
        let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
        step += 1
        lastAction = action
        lastReward = result.reward
        episodeReturn += Double(result.reward)
        let id = try observation.withUnsafeBytes {
            try recorder?.recordStep(action: action, result: result, observation: $0)
        }
        if let id { recordedEpisodes.append(id) }
        if result.done {
            episode += 1
            seed &+= 1
            beginEpisode()
        }
    }

    /// Draws the environment's render frame and the panel.
    public func draw() throws {
        frame.withUnsafeMutableBytes { environment.render(into: $0) }
        canvas.fill(x: 0, y: 0, width: canvas.width, height: canvas.height, (0, 0, 0))
        frame.withUnsafeBytes {
            canvas.blitScaled($0, imageWidth: frameShape.width, imageHeight: frameShape.height, channels: 3, x: 0, y: 0, scale: scale)
        }
        let x = frameShape.width * scale
        canvas.fill(x: x, y: 0, width: Self.panelWidth, height: canvas.height, (30, 30, 38))
        var y = 10
        func line(_ text: String, _ color: ViewerCanvas.Color = (232, 232, 232), textScale: Int = 2) {
            canvas.drawText(String(text.prefix(textScale == 2 ? 19 : 38)), x: x + 10, y: y, scale: textScale, color)
            y += textScale == 2 ? 22 : 12
        }
        line("EPISODE \(episode)")
        line(environmentID, (150, 150, 160))
        line("STEP \(step)")
        line("REWARD " + String(format: "%+.2f", lastReward))
        line("RETURN " + String(format: "%.2f", episodeReturn))
        line("ACTION " + (lastAction.map { $0 < actionNames.count ? actionNames[$0] : String($0) } ?? "-"))
        line(recorder == nil ? "NOT RECORDING" : "RECORDING", recorder == nil ? (150, 150, 160) : (240, 120, 90))
        y += 6
        for help in realTime ? ["ARROWS MOVE, SPACE FIRE", "Q/ESC QUIT"]
                             : ["UP FORWARD, LEFT/RIGHT", "G PICKUP D DROP T TOGGLE", "ENTER DONE, Q/ESC QUIT"] {
            line(help, (150, 150, 160), textScale: 1)
        }
        try window.present(canvas)
    }
}
