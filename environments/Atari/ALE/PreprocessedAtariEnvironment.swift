// The presets' preprocessing (Gymnasium's AtariPreprocessing, then a frame stack and reward
// clipping) fused into one environment over ALE's emulator, because the generic wrapper chain
// costs as much as emulating: it converted every emulated frame to grey, copied it through
// four wrappers, resized in Float and shifted the stack. Here, as in AtariPreprocessing, only
// the last two frames of a frame skip are read: the one before the last is copied as palette
// indices, the last one becomes the grey maximum of both with one lookup per pixel in a table
// of pairs; the 84x84 area resize is exact integer arithmetic, and the stack is a ring of 84x84
// frames written in order into the caller's buffer, never shifted. Nothing is allocated per
// step. saveState/restoreState capture all of it, for search and rewinding.
import AtariConsole
import RL

/// An Atari game with the standard preprocessing: no-op starts, frame skip with the maximum of
/// the last two grey frames, 84x84 area resize, a stack of frames, clipped rewards.
public final class PreprocessedAtariEnvironment: RenderingEnvironment, NamedActions, StateSavingEnvironment {
    public let emulator: ALEEmulator
    /// Frame skip, sticky actions, frame limit, terminal on life loss (`observation` unused).
    public let configuration: AtariConfiguration
    public let noopMax: Int
    public let stackCount: Int
    public let clipRewards: Bool
    /// Action indices of FIRE and the second action for Baselines' FIRE at reset; nil: off.
    public let fireReset: (fire: Int, second: Int)?
    /// ALE action numbers of this environment's actions.
    public let actions: [Int]
    public let observationSpace: Space
    public let actionSpace: Space
    public let renderSpace: Space
    public static let size = 84

    private let screenBytes: Int
    private let frameBytes = PreprocessedAtariEnvironment.size * PreprocessedAtariEnvironment.size
    /// Gymnasium's obs_buffer[0] (the maximum, or the last frame), grey, and obs_buffer[1] (the
    /// frame before the last) kept as palette indices (index 0 is grey 0, the cleared buffer),
    /// full size.
    private let maximum: UnsafeMutablePointer<UInt8>
    private let previousFrame: UnsafeMutablePointer<UInt8>
    /// `stackCount` resized frames; `newest` is the slot of the latest.
    private let ring: UnsafeMutablePointer<UInt8>
    private var newest = 0
    private let scratch: UnsafeMutablePointer<UInt16>
    /// Rows of `maximum` written with new values since the newest ring slot was resized from it.
    private let changedRows: UnsafeMutablePointer<Bool>
    private static let screenWidth = 160
    private let greyTable = GreyTables.shared.grey
    /// max(grey[a], grey[b]) at a << 8 | b: the frame-skip maximum in one lookup per pixel
    /// (64 KiB shared by every environment; a frame uses a few colours, so few lines are hot).
    private let pairMaximumTable = GreyTables.shared.pairMaximum
    private let resizer: GreyAreaResizer
    private var noopGenerator = SeededGenerator(seed: 0)
    private var episodeOver = true
    private var started = false

    /// The game on `cartridge` with `configuration`'s frame skip, sticky actions, frame limit
    /// and life-loss rule; nil when the screen cannot be resized exactly (never for 2600 screens).
    public init?(cartridge: Cartridge, configuration: AtariConfiguration, noopMax: Int, fireReset: Bool = false,
                 stack: Int = 4, clipRewards: Bool = true) {
        precondition(stack >= 1 && noopMax >= 0 && configuration.frameSkip >= 1,
                     "PreprocessedAtariEnvironment: stack \(stack), noop-max \(noopMax), frame skip \(configuration.frameSkip)")
        let settings = GameCatalog.byMD5[cartridge.md5]
        emulator = ALEEmulator(cartridge: cartridge, settings: settings,
                               repeatActionProbability: configuration.repeatActionProbability)
        let height = emulator.console.screenHeight
        guard let resizer = GreyAreaResizer(sourceHeight: height, sourceWidth: 160,
                                            height: Self.size, width: Self.size) else { return nil }
        self.resizer = resizer
        self.configuration = configuration
        self.noopMax = noopMax
        stackCount = stack
        self.clipRewards = clipRewards
        actions = configuration.fullActionSpace || settings == nil ? Array(0...17) : settings!.minimalActions
        // Baselines' condition: the game has FIRE and at least three actions.
        if fireReset, actions.count >= 3, let fire = actions.firstIndex(of: ALEAction.fire) {
            self.fireReset = (fire, 2)
        } else {
            self.fireReset = nil
        }
        let frame = Space.image(height: Self.size, width: Self.size, channels: 1)
        observationSpace = stack == 1 ? frame : .box(shape: [stack, Self.size, Self.size, 1], element: .uint8, low: 0, high: 255)
        actionSpace = .discrete(actions.count)
        renderSpace = .image(height: height, width: 160, channels: 3)
        screenBytes = height * 160
        maximum = .allocate(capacity: screenBytes); maximum.initialize(repeating: 0, count: screenBytes)
        previousFrame = .allocate(capacity: screenBytes); previousFrame.initialize(repeating: 0, count: screenBytes)
        ring = .allocate(capacity: stack * frameBytes); ring.initialize(repeating: 0, count: stack * frameBytes)
        scratch = .allocate(capacity: resizer.scratchCount); scratch.initialize(repeating: 0, count: resizer.scratchCount)
        changedRows = .allocate(capacity: height); changedRows.initialize(repeating: true, count: height)
    }

    deinit {
        maximum.deallocate(); previousFrame.deallocate(); ring.deallocate(); scratch.deallocate(); changedRows.deallocate()
    }

    public var actionNames: [String] { actions.map { AtariEnvironment.aleActionNames[$0] } }
    /// Lives left (ALE's lives()).
    public var lives: Int { emulator.lives }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        checkBuffer(observation)
        startEpisode(seed: seed)
        if let (fire, second) = fireReset {
            // Baselines' FireResetEnv: FIRE, then the second action, resetting when either ends it.
            if skipStep(actions[fire]).done { startEpisode(seed: nil) }
            if skipStep(actions[second]).done { startEpisode(seed: nil) }
        }
        started = true
        episodeOver = false
        for slot in 0..<stackCount where slot != newest {
            (ring + slot * frameBytes).update(from: ring + newest * frameBytes, count: frameBytes)
        }
        writeStack(observation)
        return StepInfo(lives: emulator.lives)
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        guard started else { throw EnvironmentError.stepBeforeReset }
        guard !episodeOver else { throw EnvironmentError.stepAfterEpisodeEnd }
        guard (0..<actions.count).contains(action) else {
            throw EnvironmentError.invalidAction(action, space: actionSpace)
        }
        checkBuffer(observation)
        let outcome = skipStep(actions[action])
        episodeOver = outcome.done
        writeStack(observation)
        var reward = Float(outcome.reward)
        if clipRewards { reward = reward > 0 ? 1 : (reward < 0 ? -1 : 0) }
        return StepResult(reward: reward, terminated: outcome.terminated, truncated: outcome.truncated,
                          info: StepInfo(lives: emulator.lives))
    }

    public func render(into rgb: UnsafeMutableRawBufferPointer) {
        Palette.convertToRGB(emulator.console.screen, into: rgb.bindMemory(to: UInt8.self))
    }

    /// What a saved state must share with the environment it is restored into.
    public struct Setup: Sendable, Equatable, CustomStringConvertible {
        public let configuration: AtariConfiguration
        public let noopMax: Int
        public let fireReset: Bool
        public let stack: Int
        public let clipRewards: Bool

        public var description: String {
            "\(configuration) noop-max=\(noopMax) fire-reset=\(fireReset) stack=\(stack) clip-rewards=\(clipRewards)"
        }
    }

    public var setup: Setup {
        Setup(configuration: configuration, noopMax: noopMax, fireReset: fireReset != nil, stack: stackCount,
              clipRewards: clipRewards)
    }

    /// Everything that decides how the environment continues, in memory: the emulator (console,
    /// game settings' progress, episode frames, sticky-action generator and held action), the
    /// no-op generator, the frame-skip buffers, the frame stack and the episode flags.
    public struct State: Sendable {
        /// The ROM's MD5 and the setup the state was saved under (restoring checks both).
        public let game: String
        public let setup: Setup
        let emulator: ALEEmulator.Snapshot
        let noopGenerator: SeededGenerator
        let maximum: [UInt8], previousFrame: [UInt8], ring: [UInt8]
        let newest: Int
        let episodeOver: Bool, started: Bool
    }

    public func saveState() -> State {
        State(game: emulator.console.cartridge.md5, setup: setup, emulator: emulator.snapshot(),
              noopGenerator: noopGenerator,
              maximum: Array(UnsafeBufferPointer(start: maximum, count: screenBytes)),
              previousFrame: Array(UnsafeBufferPointer(start: previousFrame, count: screenBytes)),
              ring: Array(UnsafeBufferPointer(start: ring, count: stackCount * frameBytes)),
              newest: newest, episodeOver: episodeOver, started: started)
    }

    /// Rewinds to `state`, saved from an environment of the same game and setup (this one or
    /// another); the environment then continues bit for bit as the saved one would have.
    /// Throws `AtariStateError`, changing nothing, for another game or setup.
    public func restoreState(_ state: State) throws {
        let md5 = emulator.console.cartridge.md5
        guard state.game == md5 else { throw AtariStateError.wrongGame(expected: md5, found: state.game) }
        guard state.setup == setup, state.maximum.count == screenBytes, state.ring.count == stackCount * frameBytes else {
            throw AtariStateError.wrongConfiguration(expected: "\(setup) screen=\(screenBytes)",
                                                     found: "\(state.setup) screen=\(state.maximum.count)")
        }
        try emulator.restore(state.emulator)
        noopGenerator = state.noopGenerator
        maximum.update(from: state.maximum, count: screenBytes)
        previousFrame.update(from: state.previousFrame, count: screenBytes)
        ring.update(from: state.ring, count: stackCount * frameBytes)
        newest = state.newest
        episodeOver = state.episodeOver
        started = state.started
    }

    /// Resets the emulator (a seed reseeds the sticky actions and the no-op count, as the
    /// wrapper chain seeds them), plays the no-op start and leaves its grey frame in the ring;
    /// FIRE at reset, when on, follows in `reset`.
    private func startEpisode(seed: UInt64?) {
        if let seed {
            emulator.generator = SeededGenerator(seed: seed)
            noopGenerator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 0x0009))
        }
        emulator.reset()
        if noopMax > 0 {
            let noops = 1 + noopGenerator.uniform(below: noopMax)
            for _ in 0..<noops where frameEnds(actions[0]) { emulator.reset() }
        }
        // AtariPreprocessing's reset: the current grey frame, the other buffer cleared.
        grey(screen, into: maximum, count: screenBytes)
        changedRows.update(repeating: true, count: screenBytes / Self.screenWidth)
        previousFrame.update(repeating: 0, count: screenBytes)
        pushResized()
    }

    /// One emulated frame; true when it ends the episode (game over, life lost when that ends
    /// it, frame limit).
    @inline(__always)
    private func frameEnds(_ aleAction: Int) -> Bool {
        frame(aleAction).terminated || truncatedNow
    }

    private var truncatedNow: Bool {
        configuration.maxEpisodeFrames > 0 && emulator.episodeFrame >= configuration.maxEpisodeFrames
    }

    @inline(__always)
    private func frame(_ aleAction: Int) -> (reward: Int, terminated: Bool) {
        let livesBefore = emulator.lives
        let reward = emulator.actFrame(aleAction)
        let lostLife = configuration.terminalOnLifeLoss && emulator.lives < livesBefore
        return (reward, emulator.isTerminal || lostLife)
    }

    /// AtariPreprocessing's step: up to `frameSkip` frames, stopping when the episode ends; the
    /// frame before the last is read to grey and the last read as the maximum with it. An
    /// episode that ends early observes the buffers as they are (as AtariPreprocessing does).
    private func skipStep(_ aleAction: Int) -> (reward: Int, terminated: Bool, truncated: Bool, done: Bool) {
        let skip = configuration.frameSkip
        var total = 0, terminated = false, truncated = false
        for t in 0..<skip {
            let outcome = frame(aleAction)
            total += outcome.reward
            terminated = outcome.terminated
            truncated = !terminated && truncatedNow
            if terminated || truncated {
                if skip > 1 {
                    maximumWithGrey(maximum, previousFrame, count: screenBytes)
                    changedRows.update(repeating: true, count: screenBytes / Self.screenWidth)
                }
                break
            }
            if t == skip - 2 {
                previousFrame.update(from: screen, count: screenBytes)
            } else if t == skip - 1 {
                if skip > 1 {
                    pairMaximum(screen, previousFrame)
                } else {
                    grey(screen, into: maximum, count: screenBytes)
                    changedRows.update(repeating: true, count: screenBytes / Self.screenWidth)
                }
            }
        }
        pushResized()
        return (total, terminated, truncated, terminated || truncated)
    }

    /// The console's palette-index frame (its size is fixed once the ROM is loaded).
    private var screen: UnsafePointer<UInt8> {
        let frame = emulator.console.screen
        precondition(frame.count >= screenBytes, "PreprocessedAtariEnvironment: screen of \(frame.count) bytes, expected \(screenBytes)")
        return frame.baseAddress!
    }

    /// Resizes the maximum buffer into the next ring slot, recomputing only the rows that
    /// changed since the newest slot was resized from it (every write of `maximum` flags them).
    private func pushResized() {
        let previous = ring + newest * frameBytes
        newest = (newest + 1) % stackCount
        resizer.resize(maximum, into: ring + newest * frameBytes, scratch: scratch, previous: previous,
                       changedRows: changedRows)
    }

    /// The ring, oldest frame first, into the caller's buffer.
    private func writeStack(_ observation: UnsafeMutableRawBufferPointer) {
        let out = observation.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for i in 0..<stackCount {
            let slot = (newest + 1 + i) % stackCount
            (out + i * frameBytes).update(from: ring + slot * frameBytes, count: frameBytes)
        }
    }

    private func checkBuffer(_ observation: UnsafeMutableRawBufferPointer) {
        precondition(observation.count >= observationSpace.byteCount,
                     "PreprocessedAtariEnvironment: observation buffer holds \(observation.count) bytes, needs \(observationSpace.byteCount)")
    }

    /// Palette indices to ALE's grey levels.
    private func grey(_ screen: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, count: Int) {
        let table = greyTable
        for i in 0..<count { out[i] = table[Int(screen[i])] }
    }

    /// maximum = max(grey(screen), grey(other)), one table lookup per pixel; eight pixels of
    /// one colour in both frames (the backgrounds most of a screen is) take one lookup together.
    /// Flags the rows whose maximum changed, so that the resize recomputes only what reads them.
    private func pairMaximum(_ screen: UnsafePointer<UInt8>, _ other: UnsafePointer<UInt8>) {
        let pairs = pairMaximumTable, grey = greyTable, out = maximum, width = Self.screenWidth
        let ones: UInt64 = 0x0101_0101_0101_0101
        for row in 0..<(screenBytes / width) {
            var changed: UInt64 = 0
            var i = row &* width
            let end = i &+ width
            while i &+ 8 <= end {
                let a = UnsafeRawPointer(screen + i).loadUnaligned(as: UInt64.self)
                let b = UnsafeRawPointer(other + i).loadUnaligned(as: UInt64.self)
                let old = UnsafeRawPointer(out + i).loadUnaligned(as: UInt64.self)
                var new: UInt64
                if a == b && a == (a & 0xFF) &* ones {
                    new = UInt64(grey[Int(a & 0xFF)]) &* ones
                } else {
                    // Byte j of the word is pixel i + j in memory order (hence littleEndian below).
                    new = 0
                    for j in 0..<8 {
                        new |= UInt64(pairs[Int(screen[i &+ j]) &<< 8 | Int(other[i &+ j])]) &<< (8 &* j)
                    }
                    new = new.littleEndian
                }
                UnsafeMutableRawPointer(out + i).storeBytes(of: new, as: UInt64.self)
                changed |= old ^ new
                i &+= 8
            }
            while i < end {
                let value = pairs[Int(screen[i]) &<< 8 | Int(other[i])]
                changed |= UInt64(value ^ out[i])
                out[i] = value
                i &+= 1
            }
            changedRows[row] = changed != 0
        }
    }

    /// a = max(a, grey(frame)), element-wise (an episode that ended early in a frame skip).
    private func maximumWithGrey(_ a: UnsafeMutablePointer<UInt8>, _ frame: UnsafePointer<UInt8>, count: Int) {
        let table = greyTable
        for i in 0..<count { a[i] = max(a[i], table[Int(frame[i])]) }
    }
}

/// ALE's grey levels per palette index, and the maximum of every pair of them: fixed by the
/// palette, so built once and shared read-only by every environment and thread.
private final class GreyTables: @unchecked Sendable {
    static let shared = GreyTables()
    let grey: UnsafeMutablePointer<UInt8>
    let pairMaximum: UnsafeMutablePointer<UInt8>

    private init() {
        grey = .allocate(capacity: 256)
        for index in 0..<256 { grey[index] = Palette.grayscale[index] }
        precondition(grey[0] == 0, "PreprocessedAtariEnvironment: palette index 0 must be black (the cleared frame)")
        pairMaximum = .allocate(capacity: 256 * 256)
        for a in 0..<256 {
            for b in 0..<256 { pairMaximum[a << 8 | b] = max(grey[a], grey[b]) }
        }
    }
}
