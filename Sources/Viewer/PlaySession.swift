// An environment played live in a window, by a person at the keyboard (`rl play`: episodes are
// recorded as human demonstrations, kind `human`, for later imitation) or by a policy (`rl
// watch --live`: the agent's outputs drawn as bars, episodes recorded as evaluations). Real-time
// play (Atari, policies) steps at a fixed rate; turn-based play (mazes) steps once per key
// press. It takes any rendering environment that names its actions, as the environment
// registry hands it over (`any Environment` cast to `any RenderingEnvironment`), and a closure
// for the policy.
import CSDL2
import Foundation
import Replay
import RL

/// Who chooses the actions of a `PlaySession`.
public enum PlayDriver {
    /// A person: keys held at each tick (`realTime`) or one step per key press.
    case keyboard(realTime: Bool)
    /// A policy: given the observation, it writes its `outputWidth` outputs (Q-values or
    /// probabilities, as `outputKind` says) and returns its action and value estimate.
    case policy(outputKind: AgentOutputKind, outputWidth: Int,
                (_ observation: UnsafeRawBufferPointer, _ outputs: UnsafeMutableBufferPointer<Float>) throws
                    -> (action: Int, value: Float?))
}

/// A window in which a person or a policy plays `environment`.
public final class PlaySession {
    public let environment: any RenderingEnvironment
    public let environmentID: String
    /// Where episodes go (nil: play without recording).
    public let recorder: EpisodeRecorder?
    public let driver: PlayDriver
    /// Step at `framesPerSecond` (true), or once per key press (false).
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
    public private(set) var isPaused = false
    public private(set) var canvas: ViewerCanvas
    /// The policy's outputs at the last step (empty for a person).
    public private(set) var outputs: [Float]

    private var seed: UInt64
    private var held = Set<HumanKey>()
    private var observation: [UInt8]
    private var frame: [UInt8]
    private let frameShape: (height: Int, width: Int)
    private let window: ViewerWindow
    private static var panelWidth: Int { EpisodeViewer.panelWidth }

    /// Opens a window on `environment`, reset with `seed` (then seed + 1, ... per episode).
    /// The recorder, where given, must have been made for the driver's outputs.
    public init(environment: any RenderingEnvironment, environmentID: String, driver: PlayDriver, recorder: EpisodeRecorder?, seed: UInt64,
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
        self.driver = driver
        switch driver {
        case .keyboard(let realTime): self.realTime = realTime; outputs = []
        case .policy(_, let width, _): realTime = true; outputs = [Float](repeating: .nan, count: width)
        }
        self.framesPerSecond = max(1, framesPerSecond)
        self.seed = seed
        keyMap = HumanKeyMap(actionNames: actionNames)
        frameShape = (shape[0], shape[1])
        self.scale = scale ?? max(1, min(8, 512 / max(shape[0], shape[1])))
        observation = [UInt8](repeating: 0, count: environment.observationSpace.byteCount)
        frame = [UInt8](repeating: 0, count: environment.renderSpace.byteCount)
        let width = shape[1] * self.scale + Self.panelWidth
        let height = max(shape[0] * self.scale, 240 + 16 * outputs.count + 16)
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
            if realTime && !isPaused && Date() >= nextStep {
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
            if case .policy = driver {
                if isDown && key == .fire { isPaused.toggle(); changed = true }
            } else if realTime {
                if isDown { held.insert(key) } else { held.remove(key) }
            } else if isDown, let action = keyMap.action(pressed: key) {
                try act(action)
                changed = true
            }
        }
        return changed
    }

    /// One real-time step: the policy's action, or the keys held now.
    public func tick() throws {
        switch driver {
        case .keyboard:
            try act(keyMap.action(held: held) ?? keyMap.idleAction ?? 0)
        case .policy(_, _, let policy):
            let (action, value) = try observation.withUnsafeBytes { observation in
                try outputs.withUnsafeMutableBufferPointer { try policy(observation, $0) }
            }
            try act(action, value: value)
        }
    }

    /// Posts a key press (and, with `release`, its release) as if typed, for scripts and tests.
    public func post(_ key: HumanKey, release: Bool = false) {
        window.post(keyCode: key.keyCode, release: release)
    }

    /// Reads back what the window shows.
    public func windowImage() throws -> PNGImage { try window.image() }

    private func beginEpisode() {
        observation.withUnsafeMutableBytes { _ = environment.reset(seed: seed, observation: $0) }
        let kind: EpisodeKind
        if case .policy = driver { kind = .evaluation } else { kind = .human }
        observation.withUnsafeBytes { _ = recorder?.beginEpisode(kind, seed: seed, observation: $0) }
        step = 0
        episodeReturn = 0
        lastReward = 0
        lastAction = nil
    }

    private func act(_ action: Int, value: Float? = nil) throws {
        // The outputs belong to the observation the action was chosen from: record them before stepping on.
        let recordedOutputs = outputs
        let result = try observation.withUnsafeMutableBytes { try environment.step(action, observation: $0) }
        step += 1
        lastAction = action
        lastReward = result.reward
        episodeReturn += Double(result.reward)
        let id = try observation.withUnsafeBytes { observation in
            try recordedOutputs.withUnsafeBufferPointer { outputs in
                try recorder?.recordStep(action: action, outputs: outputs.isEmpty ? nil : outputs, value: value,
                                         result: result, observation: observation)
            }
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
        let help: [String]
        switch driver {
        case .policy: help = [isPaused ? "PAUSED" : "LIVE POLICY", "SPACE PAUSE, Q/ESC QUIT"]
        case .keyboard(true): help = ["ARROWS MOVE, SPACE FIRE", "Q/ESC QUIT"]
        case .keyboard(false): help = ["UP FORWARD, LEFT/RIGHT", "G PICKUP D DROP T TOGGLE", "ENTER DONE, Q/ESC QUIT"]
        }
        for text in help { line(text, (150, 150, 160), textScale: 1) }
        if case .policy(let kind, _, _) = driver, outputs.allSatisfy({ $0.isFinite }), !outputs.isEmpty {
            drawBars(kind: kind, x: x + 10, y: y + 6)
        }
        try window.present(canvas)
    }

    /// The policy's outputs at the last observation as bars, the action it chose in amber.
    private func drawBars(kind: AgentOutputKind, x: Int, y top: Int) {
        canvas.drawText(kind == .qValues ? "Q-VALUES" : "PROBABILITIES", x: x, y: top, scale: 1, (150, 150, 160))
        let low = kind == .qValues ? outputs.min()! : 0, high = kind == .qValues ? outputs.max()! : 1
        let barLeft = x + 60, barWidth = Self.panelWidth - 80
        for (i, output) in outputs.enumerated() {
            let y = top + 14 + i * 16
            canvas.drawText(String((i < actionNames.count ? actionNames[i] : String(i)).prefix(9)), x: x, y: y + 2,
                            scale: 1, (200, 200, 200))
            let fraction = high > low ? Double(output - low) / Double(high - low) : 1
            canvas.fill(x: barLeft, y: y, width: barWidth, height: 11, (50, 50, 60))
            canvas.fill(x: barLeft, y: y, width: max(1, Int(fraction * Double(barWidth))), height: 11,
                        lastAction == i ? (255, 196, 60) : (80, 150, 235))
        }
    }
}
