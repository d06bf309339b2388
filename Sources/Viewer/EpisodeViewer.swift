// The SDL2 episode viewer behind `rl watch`: plays recorded episodes from a trajectory store in
// a window, the frame scaled up by an integer factor beside a panel with the step, reward,
// return, action name and the agent's Q-values or probabilities as bars. Each picture is drawn
// into a `ViewerCanvas` and copied into the window's surface (software, no GPU needed), so a
// screenshot reads back exactly what the window shows. Only this module links SDL2; nothing in
// training needs it.
import CSDL2
import Foundation
import Replay
import RL

/// A window that plays the episodes of one store.
public final class EpisodeViewer {
    /// Width of the side panel in pixels.
    public static let panelWidth = 248
    /// The playback speeds that +/- step through.
    public static let speeds = [1, 2, 5, 10, 15, 30, 60, 120]

    public let store: TrajectoryStore
    /// The episodes n/p walk through, in order.
    public let episodeIDs: [Int64]
    public private(set) var episodeIndex: Int
    public private(set) var reader: EpisodeReader
    /// The RLDS step shown.
    public private(set) var step = 0
    public private(set) var isPaused: Bool
    public private(set) var framesPerSecond: Int
    /// Pixels per frame pixel.
    public private(set) var scale: Int
    /// The frame's height, width and channels.
    public private(set) var frameShape: (height: Int, width: Int, channels: Int)
    /// The last picture drawn.
    public private(set) var canvas: ViewerCanvas
    public private(set) var quitRequested = false
    /// Where `s` writes screenshots.
    public let screenshotDirectory: URL
    public private(set) var lastScreenshot: URL?

    private let fixedScale: Int?
    private let window: ViewerWindow

    /// Opens a window on episode `startEpisode` (or the first of `episodeIDs`). `scale` nil
    /// picks the largest integer factor that keeps the frame near 512 pixels.
    public init(store: TrajectoryStore, episodeIDs: [Int64], startEpisode: Int64? = nil, scale: Int? = nil,
                framesPerSecond: Int = 15, startPaused: Bool = false, screenshotDirectory: URL) throws {
        guard !episodeIDs.isEmpty else { throw ViewerError.noEpisodes(path: store.runDirectory.path) }
        self.store = store
        self.episodeIDs = episodeIDs
        let start = startEpisode ?? episodeIDs[0]
        guard let index = episodeIDs.firstIndex(of: start) else {
            throw TrajectoryStoreError.noSuchEpisode(id: start, existing: try store.describeEpisodeIDs())
        }
        episodeIndex = index
        reader = try EpisodeReader(store: store, episode: start)
        frameShape = try EpisodeExporter.frameShape(reader.record)
        fixedScale = scale
        self.scale = scale ?? Self.automaticScale(frameShape)
        self.framesPerSecond = Self.speeds.min { abs($0 - framesPerSecond) < abs($1 - framesPerSecond) }!
        isPaused = startPaused
        self.screenshotDirectory = screenshotDirectory
        canvas = ViewerCanvas(width: 1, height: 1)

        let size = Self.windowSize(frameShape, scale: self.scale, actions: reader.record.outputWidth)
        window = try ViewerWindow(title: "rl watch", width: size.width, height: size.height)
        updateTitle()
        try draw()
    }

    // MARK: Playing

    /// Plays until q, Escape or the window is closed.
    public func run() throws {
        var nextAdvance = Date().addingTimeInterval(1 / Double(framesPerSecond))
        while !quitRequested {
            let changed = try handlePendingEvents()
            let now = Date()
            var advanced = false
            if !isPaused && now >= nextAdvance {
                if step + 1 < reader.stepCount { step += 1; advanced = true } else { isPaused = true; advanced = true }
                nextAdvance = now.addingTimeInterval(1 / Double(framesPerSecond))
            }
            if changed || advanced { try draw() }
            SDL_Delay(4)
        }
    }

    /// Handles every queued SDL event; returns whether anything changed.
    @discardableResult
    public func handlePendingEvents() throws -> Bool {
        var event = SDL_Event()
        var changed = false
        while SDL_PollEvent(&event) != 0 {
            if event.type == SDL_QUIT.rawValue {
                quitRequested = true
            } else if event.type == SDL_KEYDOWN.rawValue, let key = ViewerKey(keyCode: event.key.keysym.sym) {
                try perform(key)
                changed = true
            } else if event.type == SDL_WINDOWEVENT.rawValue {
                changed = true  // exposed or resized: redraw
            }
        }
        return changed
    }

    /// Posts `key` to SDL's event queue as a key press, as if typed (for scripts and tests).
    public func post(_ key: ViewerKey) {
        window.post(keyCode: key.keyCodes[0])
    }

    /// Does what `key` asks.
    public func perform(_ key: ViewerKey) throws {
        switch key {
        case .pause: isPaused.toggle()
        case .stepBack: isPaused = true; step = max(0, step - 1)
        case .stepForward: isPaused = true; step = min(reader.stepCount - 1, step + 1)
        case .faster: framesPerSecond = Self.speeds.first { $0 > framesPerSecond } ?? framesPerSecond
        case .slower: framesPerSecond = Self.speeds.last { $0 < framesPerSecond } ?? framesPerSecond
        case .nextEpisode: try show(episodeAt: min(episodeIDs.count - 1, episodeIndex + 1))
        case .previousEpisode: try show(episodeAt: max(0, episodeIndex - 1))
        case .screenshot: _ = try screenshot()
        case .quit: quitRequested = true
        }
    }

    private func show(episodeAt index: Int) throws {
        guard index != episodeIndex else { return }
        reader = try EpisodeReader(store: store, episode: episodeIDs[index])
        episodeIndex = index
        step = 0
        frameShape = try EpisodeExporter.frameShape(reader.record)
        scale = fixedScale ?? Self.automaticScale(frameShape)
        let size = Self.windowSize(frameShape, scale: scale, actions: reader.record.outputWidth)
        window.setSize(width: size.width, height: size.height)
        updateTitle()
    }

    private func updateTitle() {
        window.setTitle("rl watch: episode \(reader.record.id) · \(reader.record.environmentID) · \(reader.record.agent)")
    }

    // MARK: Drawing

    static func automaticScale(_ shape: (height: Int, width: Int, channels: Int)) -> Int {
        max(1, min(8, 512 / max(shape.height, shape.width, 1)))
    }

    static func windowSize(_ shape: (height: Int, width: Int, channels: Int), scale: Int, actions: Int)
        -> (width: Int, height: Int)
    {
        let panelHeight = 8 * 22 + 40 + actions * 16 + 16
        return (shape.width * scale + panelWidth, max(shape.height * scale, panelHeight))
    }

    /// Where the frame's top-left pixel is drawn (the panel starts at frame width x scale).
    public var frameOrigin: (x: Int, y: Int) { (0, 0) }

    /// Draws the current step into the canvas and the window.
    public func draw() throws {
        let size = Self.windowSize(frameShape, scale: scale, actions: reader.record.outputWidth)
        if canvas.width != size.width || canvas.height != size.height {
            canvas = ViewerCanvas(width: size.width, height: size.height)
        }
        canvas.fill(x: 0, y: 0, width: canvas.width, height: canvas.height, (0, 0, 0))
        let (height, width, channels) = frameShape
        try EpisodeExporter.withFrame(reader, at: step) { frame in
            canvas.blitScaled(frame, imageWidth: width, imageHeight: height, channels: channels,
                              x: frameOrigin.x, y: frameOrigin.y, scale: scale)
        }
        drawPanel(x: width * scale)
        try window.present(canvas)
    }

    private func drawPanel(x: Int) {
        let record = reader.record
        let text: ViewerCanvas.Color = (232, 232, 232), dim: ViewerCanvas.Color = (150, 150, 160)
        canvas.fill(x: x, y: 0, width: Self.panelWidth, height: canvas.height, (30, 30, 38))
        let left = x + 10
        var y = 10
        func line(_ string: String, _ color: ViewerCanvas.Color = text) {
            canvas.drawText(String(string.prefix(19)), x: left, y: y, scale: 2, color)
            y += 22
        }
        line("EPISODE \(record.id) (\(episodeIndex + 1)/\(episodeIDs.count))")
        line(record.environmentID, dim)
        line("STEP \(step)/\(reader.stepCount - 1)")
        let reward = step > 0 ? reader.rewards[step - 1] : 0
        let episodeReturn = reader.rewards[0..<step].reduce(0.0) { $0 + Double($1) }
        line("REWARD " + String(format: "%+.2f", reward))
        line("RETURN " + String(format: "%.2f", episodeReturn))
        let last = reader.flags[step].contains(.last)
        line("ACTION " + (last ? "-" : record.actionName(Int(reader.actions[step]))))
        let value = reader.values[step]
        if !value.isNaN { line("VALUE " + String(format: "%.2f", value)) }
        line(isPaused ? "PAUSED" : "\(framesPerSecond) FPS", dim)
        if last { line(reader.flags[step].contains(.terminal) ? "END: TERMINAL" : "END: TRUNCATED", (240, 120, 90)) }
        drawBars(x: left, y: y + 4)
    }

    /// The agent's outputs at this step as horizontal bars, the chosen action highlighted.
    /// Q-values are scaled between their minimum and maximum; probabilities as they are.
    private func drawBars(x: Int, y top: Int) {
        let record = reader.record
        guard record.outputKind != .none else { return }
        let outputs = Array(reader.outputs(at: step))
        canvas.drawText(record.outputKind == .qValues ? "Q-VALUES" : "PROBABILITIES", x: x, y: top, scale: 1, (150, 150, 160))
        guard outputs.allSatisfy({ $0.isFinite }), !outputs.isEmpty else { return }
        let low = record.outputKind == .qValues ? outputs.min()! : 0
        let high = record.outputKind == .qValues ? outputs.max()! : 1
        let barLeft = x + 60, barWidth = Self.panelWidth - 80
        for (i, output) in outputs.enumerated() {
            let y = top + 14 + i * 16
            canvas.drawText(String(record.actionName(i).prefix(9)), x: x, y: y + 2, scale: 1, (200, 200, 200))
            let fraction = high > low ? Double(output - low) / Double(high - low) : 1
            let length = max(1, Int(fraction * Double(barWidth)))
            let chosen = Int(reader.actions[step]) == i && !reader.flags[step].contains(.last)
            canvas.fill(x: barLeft, y: y, width: barWidth, height: 11, (50, 50, 60))
            canvas.fill(x: barLeft, y: y, width: length, height: 11, chosen ? (255, 196, 60) : (80, 150, 235))
        }
    }

    /// Reads back the window's surface, what the window shows, as an RGB image.
    public func windowImage() throws -> PNGImage { try window.image() }

    /// Saves what the window shows as `screenshot-E<episode>-S<step>.png` in the screenshot
    /// directory (or at `url`) and returns its location.
    @discardableResult
    public func screenshot(to url: URL? = nil) throws -> URL {
        let target = url ?? screenshotDirectory.appendingPathComponent(
            String(format: "screenshot-e%lld-s%05d.png", reader.record.id, step))
        try windowImage().write(to: target)
        lastScreenshot = target
        return target
    }
}
