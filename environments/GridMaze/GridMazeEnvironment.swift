// A MiniGrid-semantics grid world behind the framework's Environment contract. A level generator
// supplies layouts (drawn per episode, or from a fixed set of level seeds for Procgen-style
// train/test splits); MazeState applies the actions; the observation is written straight into the
// caller's buffer from scratch space sized once, so stepping allocates nothing.
import RL

/// A grid maze with MiniGrid 3.2's dynamics, rewards and observations.
public final class GridMazeEnvironment: RenderingEnvironment, NamedActions {
    public let level: any LevelGenerator
    public let configuration: GridMazeConfiguration
    public let observationSpace: Space
    public let actionSpace: Space = .discrete(MazeAction.allCases.count)
    public let renderSpace: Space
    public let maxSteps: Int
    private let observationBytes: Int
    public var actionNames: [String] { MazeAction.allCases.map(\.name) }

    /// The current state (grid, agent, carried object).
    public private(set) var state: MazeState
    /// Steps taken in this episode.
    public private(set) var stepCount = 0
    /// The seed the current layout was generated from.
    public private(set) var levelSeed: UInt64 = 0

    private enum Phase { case beforeReset, running, ended }
    private var phase = Phase.beforeReset
    private var generator = SeededGenerator(seed: 0)
    private let atlas: TileAtlas
    private var viewCells: [UInt8]
    private var viewVisible: [Bool]
    /// The `centered` observation's visibility (all true; `EgocentricView` writes it).
    private var centeredVisible: [Bool]
    private var highlight: [Bool]

    public init(level: any LevelGenerator, configuration: GridMazeConfiguration = GridMazeConfiguration()) {
        precondition(configuration.viewSize >= 3 && configuration.viewSize % 2 == 1,
                     "GridMazeEnvironment: view size \(configuration.viewSize) must be odd and at least 3")
        self.level = level
        self.configuration = configuration
        maxSteps = configuration.maxSteps ?? level.maxSteps
        let v = configuration.viewSize, ts = configuration.tileSize
        switch configuration.observation {
        case .symbolic: observationSpace = .image(height: v, width: v, channels: 3)
        case .grid: observationSpace = .image(height: level.width, width: level.height, channels: 3)
        case .rgb: observationSpace = .image(height: v * ts, width: v * ts, channels: 3)
        case .rgbFull: observationSpace = .image(height: level.height * ts, width: level.width * ts, channels: 3)
        case .centered:
            let side = GridMazeEnvironment.centeredSide(level)
            observationSpace = .image(height: side, width: side, channels: 3)
        }
        observationBytes = observationSpace.byteCount
        renderSpace = .image(height: level.height * ts, width: level.width * ts, channels: 3)
        atlas = TileAtlas(tileSize: ts)
        viewCells = [UInt8](repeating: 0, count: v * v * 3)
        viewVisible = [Bool](repeating: false, count: v * v)
        centeredVisible = configuration.observation == .centered
            ? [Bool](repeating: false, count: observationSpace.byteCount / 3) : []
        highlight = [Bool](repeating: false, count: level.width * level.height)
        var bootstrap = SeededGenerator(seed: 0)
        state = MazeState(layout: level.generate(&bootstrap))
    }

    /// Draws the episode's layout: a fresh level seed per episode, or one of the configured
    /// level seeds (Procgen's num_levels/start_level), then generates the layout from it.
    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        if let seed { generator = SeededGenerator(seed: seed) }
        if configuration.numLevels > 0 {
            let index = configuration.startLevel + generator.uniform(below: configuration.numLevels)
            levelSeed = GridMazeEnvironment.seed(ofLevel: index)
        } else {
            levelSeed = generator.next()
        }
        var layoutGenerator = SeededGenerator(seed: levelSeed)
        // Generated into the current grid's storage: a reset allocates nothing for most levels.
        let start = level.generate(into: &state.grid, &layoutGenerator)
        state.agentX = start.x
        state.agentY = start.y
        state.heading = start.heading
        state.carrying = nil
        stepCount = 0
        phase = .running
        writeObservation(observation)
        return StepInfo()
    }

    /// The layout seed of level `index` (the same on every machine).
    public static func seed(ofLevel index: Int) -> UInt64 {
        SeededGenerator.derive(seed: 0x4752_4944_4D41_5A45, index: UInt64(index))
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        switch phase {
        case .beforeReset: throw EnvironmentError.stepBeforeReset
        case .ended: throw EnvironmentError.stepAfterEpisodeEnd
        case .running: break
        }
        guard let mazeAction = MazeAction(rawValue: action) else {
            throw EnvironmentError.invalidAction(action, space: .discrete(MazeAction.allCases.count))
        }
        guard observation.count >= observationBytes else {
            throw EnvironmentError.observationBufferTooSmall(needed: observationBytes, got: observation.count)
        }
        stepCount += 1
        var result = StepResult(reward: 0, terminated: false, truncated: false)
        switch state.apply(mazeAction) {
        case .moved: break
        case .reachedGoal:
            result.terminated = true
            result.reward = Float(1.0 - 0.9 * (Double(stepCount) / Double(maxSteps)))
            result.info.success = true
        case .enteredLava:
            result.terminated = true
            result.info.success = false
        }
        if stepCount >= maxSteps {
            result.truncated = true
            if result.info.success == nil { result.info.success = false }
        }
        if result.done { phase = .ended }
        writeObservation(observation)
        return result
    }

    /// Puts the episode in `state` with `stepCount` steps taken (for experts, tests and tools).
    public func restore(_ state: MazeState, stepCount: Int = 0) {
        self.state = state
        self.stepCount = stepCount
        phase = .running
    }

    // MARK: Observations

    private func writeObservation(_ observation: UnsafeMutableRawBufferPointer) {
        precondition(observation.count >= observationBytes,
                     "GridMazeEnvironment: observation buffer \(observation.count) < \(observationBytes)")
        let out = observation.bindMemory(to: UInt8.self).baseAddress!
        switch configuration.observation {
        case .symbolic:
            computeView(into: out)
        case .grid:
            writeFullGrid(out)
        case .rgb:
            viewCells.withUnsafeMutableBufferPointer { computeView(into: $0.baseAddress!) }
            renderView(out)
        case .rgbFull:
            viewCells.withUnsafeMutableBufferPointer { computeView(into: $0.baseAddress!) }
            renderMap(out)
        case .centered:
            computeCenteredView(into: out)
        }
    }

    /// The side of the `centered` observation: every cell of the map stays in view whatever the
    /// agent's position and heading.
    static func centeredSide(_ level: any LevelGenerator) -> Int { 2 * max(level.width, level.height) - 1 }

    private func computeCenteredView(into cells: UnsafeMutablePointer<UInt8>) {
        let width = state.grid.width, height = state.grid.height
        let x = state.agentX, y = state.agentY, heading = state.heading, carrying = state.carrying
        let side = GridMazeEnvironment.centeredSide(level)
        state.grid.bytes.withUnsafeBufferPointer { grid in
            centeredVisible.withUnsafeMutableBufferPointer { visible in
                EgocentricView.compute(grid: grid.baseAddress!, width: width, height: height,
                                       agentX: x, agentY: y, heading: heading, viewSize: side,
                                       seeThroughWalls: true, centered: true,
                                       carrying: carrying, cells: cells, visible: visible.baseAddress!)
            }
        }
    }

    private func computeView(into cells: UnsafeMutablePointer<UInt8>) {
        let width = state.grid.width, height = state.grid.height
        let x = state.agentX, y = state.agentY, heading = state.heading, carrying = state.carrying
        let viewSize = configuration.viewSize, seeThroughWalls = configuration.seeThroughWalls
        state.grid.bytes.withUnsafeBufferPointer { grid in
            viewVisible.withUnsafeMutableBufferPointer { visible in
                EgocentricView.compute(grid: grid.baseAddress!, width: width, height: height,
                                       agentX: x, agentY: y, heading: heading,
                                       viewSize: viewSize, seeThroughWalls: seeThroughWalls,
                                       carrying: carrying, cells: cells, visible: visible.baseAddress!)
            }
        }
    }

    private func writeFullGrid(_ out: UnsafeMutablePointer<UInt8>) {
        state.grid.bytes.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
        let a = (state.agentX * state.grid.height + state.agentY) * 3
        out[a] = ObjectKind.agent.rawValue; out[a + 1] = CellColor.red.rawValue; out[a + 2] = UInt8(state.heading)
    }

    /// MiniGrid's get_pov_render: visible cells highlighted, hidden ones drawn as bare floor, the
    /// agent facing up in the bottom-middle cell.
    private func renderView(_ out: UnsafeMutablePointer<UInt8>) {
        let v = configuration.viewSize, ts = atlas.tileSize, rowBytes = v * ts * 3
        for vx in 0..<v {
            for vy in 0..<v {
                let o = (vx * v + vy) * 3
                let isAgent = vx == v / 2 && vy == v - 1
                let tile = atlas.offset(kind: viewCells[o], color: viewCells[o + 1], state: viewCells[o + 2],
                                        heading: isAgent ? 3 : 4, highlight: viewVisible[vx * v + vy])
                blit(tile: tile, into: out + vy * ts * rowBytes + vx * ts * 3, rowBytes: rowBytes)
            }
        }
    }

    /// MiniGrid's get_full_render with highlight: the whole map, cells in view highlighted.
    private func renderMap(_ out: UnsafeMutablePointer<UInt8>) {
        let s = state, v = configuration.viewSize, ts = atlas.tileSize
        let w = s.grid.width, h = s.grid.height, rowBytes = w * ts * 3
        let dx = Heading.dx(s.heading), dy = Heading.dy(s.heading)
        var marked = 0
        for vx in 0..<v {
            for vy in 0..<v where viewVisible[vx * v + vy] {
                let ahead = v - 1 - vy, right = vx - v / 2
                let wx = s.agentX + dx * ahead - dy * right, wy = s.agentY + dy * ahead + dx * right
                if wx >= 0 && wy >= 0 && wx < w && wy < h { highlight[wx * h + wy] = true; marked += 1 }
            }
        }
        s.grid.bytes.withUnsafeBufferPointer { grid in
            for x in 0..<w {
                for y in 0..<h {
                    let g = (x * h + y) * 3
                    let isAgent = x == s.agentX && y == s.agentY
                    let tile = atlas.offset(kind: grid[g], color: grid[g + 1], state: grid[g + 2],
                                            heading: isAgent ? s.heading : 4, highlight: highlight[x * h + y])
                    blit(tile: tile, into: out + y * ts * rowBytes + x * ts * 3, rowBytes: rowBytes)
                }
            }
        }
        if marked > 0 { for i in 0..<highlight.count { highlight[i] = false } }
    }

    /// Copies one tile's rows into an image whose rows are `rowBytes` apart.
    @inline(__always)
    private func blit(tile: Int, into destination: UnsafeMutablePointer<UInt8>, rowBytes: Int) {
        let ts = atlas.tileSize, tileRow = ts * 3
        atlas.pixels.withUnsafeBufferPointer { pixels in
            let source = pixels.baseAddress! + tile
            for r in 0..<ts { (destination + r * rowBytes).update(from: source + r * tileRow, count: tileRow) }
        }
    }

    /// Renders the whole map with the view highlighted (the viewer's picture).
    public func render(into rgb: UnsafeMutableRawBufferPointer) {
        precondition(rgb.count >= renderSpace.byteCount, "GridMazeEnvironment.render: buffer \(rgb.count) < \(renderSpace.byteCount)")
        viewCells.withUnsafeMutableBufferPointer { computeView(into: $0.baseAddress!) }
        renderMap(rgb.bindMemory(to: UInt8.self).baseAddress!)
    }
}
