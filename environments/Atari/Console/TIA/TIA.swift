// The TIA (television interface adaptor) as ALE's Stella core emulates it: a frame-based
// model that draws lazily. Every register write first draws the picture up to the colour
// clock where the write takes effect (the CPU clock plus the register's poke delay), then
// changes the register; reads draw up to the current clock before answering. Objects are
// drawn from position-indexed mask tables (TIATables), HMOVE moves them by a per-cycle
// motion table, and the frame ends on VSYNC (or after 290 lines, or when the console's
// instruction budget runs out). Matching ALE means matching this model, quirks included;
// the README lists them.

/// The TIA's registers, object positions, frame timing and the two frame buffers.
public final class TIA {
    // MARK: Frame geometry and buffers

    /// Width of the picture in pixels.
    public static let width = 160
    static let bufferLines = 300
    static let hblank = 68

    /// First line drawn and number of lines drawn (ALE's Display.YStart / Display.Height).
    @exclusivity(unchecked) public internal(set) var yStart: Int
    @exclusivity(unchecked) public internal(set) var height: Int
    @exclusivity(unchecked) var allowHMOVEBlanks: Bool
    @exclusivity(unchecked) var colorLossEnabled: Bool
    @exclusivity(unchecked) var maximumScanlines: Int
    /// The buffer the current (or just finished) frame is drawn into: palette indices,
    /// `height` rows of 160, row 0 being line `yStart`.
    @exclusivity(unchecked) public private(set) var currentFrame: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var previousFrame: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var framePointer = 0


    // MARK: Frame timing (colour clocks relative to the system's cycle counter times 3)

    @exclusivity(unchecked) var clockWhenFrameStarted = 0
    @exclusivity(unchecked) var clockStartDisplay = 0
    @exclusivity(unchecked) var clockStopDisplay = 0
    @exclusivity(unchecked) var clockAtLastUpdate = 0
    @exclusivity(unchecked) var clocksToEndOfScanLine = 228
    @exclusivity(unchecked) var scanlineCountForLastFrame = 0
    @exclusivity(unchecked) var currentScanline = 0
    @exclusivity(unchecked) var vsyncFinishClock = Int(Int32.max)
    /// A frame that started and has not ended (ALE's partial-frame flag).
    @exclusivity(unchecked) public internal(set) var partialFrame = false
    @exclusivity(unchecked) var frameGreyed = false
    /// Set when the frame ended during the current run of the CPU: the console stops it.
    @exclusivity(unchecked) var frameEnded = false
    /// The clock of the last write whose drawing was left to the next draw (see `write`);
    /// `noUndrawnWrite` outside a run of the CPU.
    @exclusivity(unchecked) var undrawnWriteClock = TIA.noUndrawnWrite
    static let noUndrawnWrite = Int(Int32.min)
    /// The registers whose writes change nothing drawn and take effect at once (poke delay
    /// 0): WSYNC, RSYNC, the audio registers, HMP0-HMBL, HMCLR and the unused addresses.
    static let undrawnRegisters: UInt64 = 0xFFFF_E81F_07E0_000C
    /// `undrawnRegisters`, or none when every write draws (to compare the two ways).
    let undrawnWrites: UInt64
    /// Whether writes that leave the drawn state as it was and INPTx reads leave their
    /// drawing to the next draw too (see `write` and `read`); off with `undrawnWrites`.
    let defersUnchangedDrawing: Bool
    /// The registers `leavesDrawingUnchanged` knows (NUSIZx, colours, CTRLPF, REFPx, PFx,
    /// GRPx, ENAxx, VDELxx), or none when `defersUnchangedDrawing` is off: one bit test per
    /// write.
    static let unchangedCandidates: UInt64 = 0x0000_00E0_F800_FFF0
    let unchangedCandidates: UInt64
    /// Frames completed since power-on.
    @exclusivity(unchecked) public internal(set) var frameCount = 0

    // MARK: Registers

    @exclusivity(unchecked) var enabledObjects: UInt8 = 0
    @exclusivity(unchecked) var vsync: UInt8 = 0
    @exclusivity(unchecked) var vblank: UInt8 = 0
    @exclusivity(unchecked) var nusiz0: UInt8 = 0
    @exclusivity(unchecked) var nusiz1: UInt8 = 0
    // The colour words are worked out again only when a value really changes: kernels
    // rewrite the colours and CTRLPF every line, mostly with the value already there.
    @exclusivity(unchecked) var playfieldPriorityAndScore: UInt8 = 0 {
        didSet { if playfieldPriorityAndScore != oldValue { colourWordsValid = false } }
    }
    /// COLUBK, COLUPF, COLUP0, COLUP1 (palette index, bit 0 is the PAL colour-loss bit).
    @exclusivity(unchecked) var colors: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0) {
        didSet { if colors != oldValue { colourWordsValid = false } }
    }
    @exclusivity(unchecked) var ctrlpf: UInt8 = 0
    @exclusivity(unchecked) var refp0 = false
    @exclusivity(unchecked) var refp1 = false
    @exclusivity(unchecked) var pf: UInt32 = 0
    @exclusivity(unchecked) var grp0: UInt8 = 0
    @exclusivity(unchecked) var grp1: UInt8 = 0
    @exclusivity(unchecked) var dgrp0: UInt8 = 0
    @exclusivity(unchecked) var dgrp1: UInt8 = 0
    @exclusivity(unchecked) var enam0 = false
    @exclusivity(unchecked) var enam1 = false
    @exclusivity(unchecked) var enabl = false
    @exclusivity(unchecked) var denabl = false
    @exclusivity(unchecked) var hmp0: Int = 0
    @exclusivity(unchecked) var hmp1: Int = 0
    @exclusivity(unchecked) var hmm0: Int = 0
    @exclusivity(unchecked) var hmm1: Int = 0
    @exclusivity(unchecked) var hmbl: Int = 0
    @exclusivity(unchecked) var vdelp0 = false
    @exclusivity(unchecked) var vdelp1 = false
    @exclusivity(unchecked) var vdelbl = false
    @exclusivity(unchecked) var resmp0 = false
    @exclusivity(unchecked) var resmp1 = false
    /// The 15 collision latches (bit order of TIATables.collision).
    @exclusivity(unchecked) var collision: UInt16 = 0
    @exclusivity(unchecked) var posP0 = 0
    @exclusivity(unchecked) var posP1 = 0
    @exclusivity(unchecked) var posM0 = 0
    @exclusivity(unchecked) var posM1 = 0
    @exclusivity(unchecked) var posBL = 0

    // MARK: Derived drawing state

    @exclusivity(unchecked) var currentGRP0: UInt8 = 0
    @exclusivity(unchecked) var currentGRP1: UInt8 = 0
    /// Offsets into the mask tables (see TIATables).
    @exclusivity(unchecked) var blMask = 0
    @exclusivity(unchecked) var m0Mask = 0
    @exclusivity(unchecked) var m1Mask = 0
    @exclusivity(unchecked) var p0Mask = 0
    @exclusivity(unchecked) var p1Mask = 0
    @exclusivity(unchecked) var pfMask = 0

    // MARK: Inputs and quirks

    @exclusivity(unchecked) var dumpDisabledCycle = 0
    @exclusivity(unchecked) var dumpEnabled = false
    @exclusivity(unchecked) var lastHMOVEClock = 0
    @exclusivity(unchecked) var hmoveBlankEnabled = false
    @exclusivity(unchecked) var m0CosmicArkMotionEnabled = false
    @exclusivity(unchecked) var m0CosmicArkCounter = 0

    /// Paddle resistances on INPT0-INPT3 (0 reads as charged, `Int(Int32.max)` as never
    /// charging: no paddle), set by the console from its controllers.
    @exclusivity(unchecked) public var inputResistance: (Int, Int, Int, Int) = (Int(Int32.max), Int(Int32.max), Int(Int32.max), Int(Int32.max))
    /// INPT4 and INPT5 read high (button released).
    @exclusivity(unchecked) public var input4High = true
    @exclusivity(unchecked) public var input5High = true

    let tables = TIATables.shared

    /// A TIA for a display window of `height` lines from line `yStart` (NTSC unless `pal`);
    /// `defersUndrawnWrites`: see `write`.
    init(yStart: Int, height: Int, allowHMOVEBlanks: Bool, pal: Bool, defersUndrawnWrites: Bool = true) {
        undrawnWrites = defersUndrawnWrites ? TIA.undrawnRegisters : 0
        defersUnchangedDrawing = defersUndrawnWrites
        unchangedCandidates = defersUndrawnWrites ? TIA.unchangedCandidates : 0
        self.yStart = yStart
        self.height = height
        self.allowHMOVEBlanks = allowHMOVEBlanks
        colorLossEnabled = pal
        maximumScanlines = pal ? 342 : 290
        // 8 bytes past the last line: the drawing's last 8-pixel run of a span loads and
        // stores back (unchanged) up to 7 bytes past the span.
        currentFrame = .allocate(capacity: TIA.width * TIA.bufferLines + 8)
        previousFrame = .allocate(capacity: TIA.width * TIA.bufferLines + 8)
        currentFrame.initialize(repeating: 0, count: TIA.width * TIA.bufferLines + 8)
        previousFrame.initialize(repeating: 0, count: TIA.width * TIA.bufferLines + 8)
    }

    /// Changes the display window and standard (ALE does this once it has detected PAL);
    /// takes effect at the next `reset`.
    func configure(yStart: Int, height: Int, pal: Bool) {
        self.yStart = yStart
        self.height = height
        colorLossEnabled = pal
        maximumScanlines = pal ? 342 : 290
    }

    deinit {
        currentFrame.deallocate()
        previousFrame.deallocate()
    }

    // MARK: Reset and frame boundaries

    /// Power-on/reset state (ALE's TIA::reset and frameReset) at system cycle `cycles`.
    func reset(cycles: Int) {
        enabledObjects = 0
        vsync = 0; vblank = 0; nusiz0 = 0; nusiz1 = 0
        colors = (0, 0, 0, 0)
        playfieldPriorityAndScore = 0
        ctrlpf = 0; refp0 = false; refp1 = false; pf = 0
        grp0 = 0; grp1 = 0; dgrp0 = 0; dgrp1 = 0
        enam0 = false; enam1 = false; enabl = false; denabl = false
        hmp0 = 0; hmp1 = 0; hmm0 = 0; hmm1 = 0; hmbl = 0
        vdelp0 = false; vdelp1 = false; vdelbl = false; resmp0 = false; resmp1 = false
        collision = 0
        posP0 = 0; posP1 = 0; posM0 = 0; posM1 = 0; posBL = 0
        currentGRP0 = 0; currentGRP1 = 0
        blMask = TIATables.ballOffset(align: 0, size: 0)
        m0Mask = TIATables.missileOffset(align: 0, number: 0, size: 0)
        m1Mask = m0Mask
        p0Mask = TIATables.playerOffset(align: 0, skipFirst: 0, mode: 0)
        p1Mask = p0Mask
        pfMask = 0
        lastHMOVEClock = 0
        hmoveBlankEnabled = false
        m0CosmicArkMotionEnabled = false
        m0CosmicArkCounter = 0
        dumpEnabled = false
        dumpDisabledCycle = 0
        undrawnWriteClock = TIA.noUndrawnWrite
        // frameReset
        currentFrame.update(repeating: 0, count: TIA.width * TIA.bufferLines)
        previousFrame.update(repeating: 0, count: TIA.width * TIA.bufferLines)
        framePointer = 0
        clockWhenFrameStarted = cycles * 3
        clockStartDisplay = clockWhenFrameStarted + 228 * yStart
        clockStopDisplay = clockStartDisplay + 228 * height
        clockAtLastUpdate = clockWhenFrameStarted
        clocksToEndOfScanLine = 228
        vsyncFinishClock = Int(Int32.max)
        scanlineCountForLastFrame = 0
        currentScanline = 0
    }

    /// The system's cycle counter is about to be set back by `cycles`.
    func systemCyclesReset(_ cycles: Int) {
        dumpDisabledCycle -= cycles
        let clocks = cycles * 3
        clockWhenFrameStarted -= clocks
        clockStartDisplay -= clocks
        clockStopDisplay -= clocks
        clockAtLastUpdate -= clocks
        vsyncFinishClock -= clocks
        lastHMOVEClock -= clocks
        // Drawing owed by an access made through the console's bus outside a frame.
        if undrawnWriteClock != TIA.noUndrawnWrite { undrawnWriteClock -= clocks }
    }

    /// ALE's startFrame, first half: swaps the buffers and returns the clocks already run on
    /// the current line. The console then rebases every device's cycles (`systemCyclesReset`)
    /// and calls `beginFrame(clocksIntoLine:)`.
    func swapBuffersForNewFrame(cycles: Int) -> Int {
        swap(&currentFrame, &previousFrame)
        return (cycles * 3 - clockWhenFrameStarted) % 228
    }

    /// ALE's startFrame, second half (after the cycle counter went back to 0).
    func beginFrame(clocksIntoLine clocks: Int) {
        clockWhenFrameStarted = -clocks
        clockStartDisplay = clockWhenFrameStarted + 228 * yStart
        clockStopDisplay = clockStartDisplay + 228 * height
        clockAtLastUpdate = clockStartDisplay
        clocksToEndOfScanLine = 228
        framePointer = 0
        if colorLossEnabled {
            let odd = scanlineCountForLastFrame & 1 != 0
            func apply(_ c: UInt8) -> UInt8 { odd ? c | 1 : c & 0xFE }
            colors = (apply(colors.0), apply(colors.1), apply(colors.2), apply(colors.3))
        }
        frameGreyed = false
        partialFrame = true
        frameEnded = false
    }

    /// After the CPU stopped (frame ended or instruction budget spent): ALE's end of update().
    func finishUpdate(cycles: Int) {
        // The drawing ALE did at a write this TIA left undrawn (see `write`).
        updateFrame(undrawnWriteClock)
        undrawnWriteClock = TIA.noUndrawnWrite
        currentScanline = (cycles * 3 - clockWhenFrameStarted) / 228
        if partialFrame {
            if !frameGreyed { greyOutFrame(cycles: cycles) }
            frameGreyed = true
        } else {
            scanlineCountForLastFrame = currentScanline
            frameCount += 1
            frameGreyed = false
        }
    }

    /// A frame that did not end: the rest of the picture is dimmed, as ALE shows it.
    private func greyOutFrame(cycles: Int) {
        var line = (cycles * 3 - clockWhenFrameStarted) / 228
        if line < yStart { line = yStart }
        guard line < yStart + height else { return }
        for index in ((line - yStart) * TIA.width)..<(height * TIA.width) {
            currentFrame[index] = (currentFrame[index] & 0x0F) >> 1
        }
    }

    private func endFrameNow() {
        partialFrame = false
        frameEnded = true
    }

    // MARK: Drawing

    /// Draws the picture up to colour clock `clock` (ALE's updateFrame).
    @inline(__always)
    func updateFrame(_ clock: Int) {
        if clock < clockStartDisplay || clockAtLastUpdate >= clockStopDisplay || clockAtLastUpdate >= clock {
            return
        }
        drawUntil(min(clock, clockStopDisplay))
    }

    private func drawUntil(_ clock: Int) {
        repeat {
            var clocksToUpdate: Int
            var clocksFromStartOfScanLine = 228 - clocksToEndOfScanLine
            if clock > clockAtLastUpdate + clocksToEndOfScanLine {
                clocksToUpdate = clocksToEndOfScanLine
                clocksToEndOfScanLine = 228
                clockAtLastUpdate += clocksToUpdate
            } else {
                clocksToUpdate = clock - clockAtLastUpdate
                clocksToEndOfScanLine -= clocksToUpdate
                clockAtLastUpdate = clock
            }
            if clocksFromStartOfScanLine < TIA.hblank {
                let skip = min(TIA.hblank - clocksFromStartOfScanLine, clocksToUpdate)
                clocksFromStartOfScanLine += skip
                clocksToUpdate -= skip
            }
            let oldFramePointer = framePointer
            if clocksToUpdate != 0 {
                drawSpan(count: clocksToUpdate, hpos: clocksFromStartOfScanLine - TIA.hblank)
            }
            // HMOVE's HBLANK extension blanks the first 8 pixels of the line.
            if hmoveBlankEnabled && clocksFromStartOfScanLine < TIA.hblank + 8 {
                let blanks = TIA.hblank + 8 - clocksFromStartOfScanLine
                (currentFrame + oldFramePointer).update(repeating: 0, count: blanks)
                if clocksToUpdate + clocksFromStartOfScanLine >= TIA.hblank + 8 {
                    hmoveBlankEnabled = false
                }
            }
            if clocksToEndOfScanLine == 228 {
                endOfScanline()
            }
        } while clockAtLastUpdate < clock
    }

    /// Line-end bookkeeping ALE does while drawing: the playfield reflection is latched, the
    /// players show all their copies again, and the Cosmic Ark missile bug steps.
    private func endOfScanline() {
        pfMask = Int(ctrlpf & 0x01) * 160
        p0Mask = playerMaskOffset(pos: posP0, nusiz: nusiz0, skipFirst: 0)
        p1Mask = playerMaskOffset(pos: posP1, nusiz: nusiz1, skipFirst: 0)
        if m0CosmicArkMotionEnabled {
            m0CosmicArkCounter = (m0CosmicArkCounter + 1) & 3
            switch m0CosmicArkCounter {
            case 0: posM0 -= 18
            case 1: posM0 -= 33
            case 2: break
            default: posM0 -= 17
            }
            if posM0 >= 160 { posM0 -= 160 } else if posM0 < 0 { posM0 += 160 }
            if m0CosmicArkCounter == 1 {
                m0Mask = TIATables.missileOffset(align: posM0 & 3, number: Int(nusiz0 & 7),
                                                 size: Int((nusiz0 & 0x30) >> 4) | 1) + 160 - (posM0 & 0xFC)
            } else if m0CosmicArkCounter == 2 {
                m0Mask = TIATables.disabledMissileOffset
            } else {
                m0Mask = missileMaskOffset(pos: posM0, nusiz: nusiz0)
            }
        }
    }

    /// Writes `count` pixels from horizontal position `hpos` at the frame pointer.
    @inline(__always)
    private func drawSpan(count: Int, hpos: Int) {
        let out = currentFrame + framePointer
        framePointer += count
        if vblank & 0x02 != 0 {
            out.update(repeating: 0, count: count)
            return
        }
        if enabledObjects == 0 {
            out.update(repeating: colors.0, count: count)
            return
        }
        if enabledObjects == TIATables.pfBit {
            drawPlayfieldOnly(out, count: count, hpos: hpos)
            return
        }
        drawObjects(out, count: count, hpos: hpos)
    }

    /// Playfield over background, in normal or score colours. ALE's playfield-only path uses
    /// the score colours whenever score mode is on, priority or not (its priority encoder,
    /// used when other objects show, gives priority precedence); we follow both.
    private func drawPlayfieldOnly(_ out: UnsafeMutablePointer<UInt8>, count: Int, hpos: Int) {
        let score = playfieldPriorityAndScore & TIATables.scoreBit != 0
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let background = colors.0
        let left = score ? colors.2 : colors.1, right = score ? colors.3 : colors.1
        drawPlayfieldRun(out, count: count, hpos: hpos, groups: playfieldGroups(),
                         leftOff: UInt64(background) &* lanes, leftFlip: UInt64(background ^ left),
                         rightOff: UInt64(background) &* lanes, rightFlip: UInt64(background ^ right))
    }

    /// Playfield over background for `count` pixels from `hpos`, eight at a time: each byte
    /// of `leftOff` (`rightOff`) is the colour with the playfield off left of 80 (from 80 on),
    /// and `leftFlip` (`rightFlip`) the one byte that turns it into the colour with the
    /// playfield on. The last run's store is merged with the bytes past the span (the frame
    /// buffers have 8 bytes of padding for it).
    @inline(__always)
    private func drawPlayfieldRun(_ out: UnsafeMutablePointer<UInt8>, count: Int, hpos: Int, groups: UInt64,
                                  leftOff: UInt64, leftFlip: UInt64, rightOff: UInt64, rightFlip: UInt64) {
        var i = 0
        while i < count {
            let x = hpos &+ i
            let on = tables.playfieldLanes(groups: groups, x: x)
            let word = TIA.blendHalves(leftOff ^ leftFlip &* on, rightOff ^ rightFlip &* on, x: x)
            TIA.storeRun(word, at: out + i, pixels: count &- i)
            i &+= 8
        }
    }

    /// Stores the 8 bytes of `word` at `target`, or only the first `pixels` of them when
    /// fewer than 8 (the bytes after those are left as they were).
    @inline(__always)
    static func storeRun(_ word: UInt64, at target: UnsafeMutablePointer<UInt8>, pixels: Int) {
        let raw = UnsafeMutableRawPointer(target)
        if pixels >= 8 {
            raw.storeBytes(of: word, as: UInt64.self)
        } else {
            let valid: UInt64 = (1 &<< UInt64(truncatingIfNeeded: pixels &* 8)) &- 1
            let old = raw.loadUnaligned(as: UInt64.self)
            raw.storeBytes(of: old & ~valid | word & valid, as: UInt64.self)
        }
    }

    /// The playfield of the line as 40 bits, one per 4-pixel group (bit k covers pixels 4k to
    /// 4k + 3): PF0's four bits, PF1's eight in reverse order, PF2's eight, then the right
    /// half the same again or mirrored (CTRLPF's reflection, as latched in `pfMask`).
    /// `playfieldGroupsDisagreement` checks it against the mask table.
    @inline(__always)
    func playfieldGroups() -> UInt64 {
        TIA.playfieldGroups(pf: pf, reflected: pfMask != 0, reflect: tables.reflect)
    }

    @inline(__always)
    static func playfieldGroups(pf: UInt32, reflected: Bool, reflect: UnsafeMutablePointer<UInt8>) -> UInt64 {
        let left = UInt64(pf & 0x0F) | UInt64(reflect[Int((pf >> 4) & 0xFF)]) << 4 | UInt64((pf >> 12) & 0xFF) << 12
        guard reflected else { return left | left << 20 }
        // The 20 bits reversed: bit i goes to 19 - i.
        let right = UInt64(reflect[Int(left & 0xFF)]) << 12 | UInt64(reflect[Int((left >> 8) & 0xFF)]) << 4
            | UInt64(reflect[Int((left >> 16) & 0x0F)]) >> 4
        return left | right << 20
    }

    /// Compares `playfieldGroups` and the lane table with the playfield mask table, for
    /// every playfield pixel of `count` pseudo-random PF values (and a few fixed ones), both
    /// reflections and every start pixel of an 8-pixel run; the first disagreement, or nil.
    public static func playfieldGroupsDisagreement(count: Int) -> String? {
        let t = TIATables.shared
        var values: [UInt32] = [0, 0xF_FFFF, 0x0_000F, 0x0_0FF0, 0xF_F000, 0xA_5A5A, 0x5_A5A5]
        var state: UInt32 = 0x1234_5678
        for _ in 0..<count {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            values.append(state & 0xF_FFFF)
        }
        for pf in values {
            for reflected in [false, true] {
                let groups = playfieldGroups(pf: pf, reflected: reflected, reflect: t.reflect)
                let mask = t.playfieldMask + (reflected ? 160 : 0)
                for x in 0..<160 {
                    let lanes = t.playfieldLanes(groups: groups, x: x)
                    for lane in 0..<min(8, 160 - x) {
                        let expected: UInt64 = pf & mask[x + lane] != 0 ? 1 : 0
                        let got = (lanes >> UInt64(lane * 8)) & 0xFF
                        if got != expected {
                            return "pf \(String(pf, radix: 16)), reflected \(reflected), run from \(x), pixel \(x + lane): \(got), table \(expected)"
                        }
                    }
                }
            }
        }
        return nil
    }

    /// Checks the gap tables against the mask tables they are built from: an entry `g` says
    /// the next `g` entries from it are clear and, when below 255, that the one after them
    /// is set; the first disagreement, or nil. For the tests.
    public static func objectGapsDisagreement() -> String? {
        let t = TIATables.shared
        let tables: [(String, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>, Int)] = [
            ("ball", t.ballMask, t.ballGap, TIATables.ballEntries),
            ("missile", t.missileMask, t.missileGap, TIATables.missileEntries),
            ("player", t.playerMask, t.playerGap, TIATables.playerEntries),
            ("zero", t.zeroMask, t.zeroGap, TIATables.zeroEntries),
        ]
        for (name, mask, gap, count) in tables {
            let total = count + TIATables.padding
            for i in 0..<total {
                let g = Int(gap[i])
                if let set = (i..<min(i + g, total)).first(where: { mask[$0] != 0 }) {
                    return "\(name) entry \(i): gap \(g), but entry \(set) is set"
                }
                if g < 255 && (i + g >= total || mask[i + g] == 0) {
                    return "\(name) entry \(i): gap \(g), but entry \(i + g) is not set"
                }
            }
        }
        return nil
    }

    /// The 8 pixels from `x`: the bytes of `left` for pixels left of 80, of `right` for the rest.
    @inline(__always)
    static func blendHalves(_ left: UInt64, _ right: UInt64, x: Int) -> UInt64 {
        if x + 8 <= 80 { return left }
        if x >= 80 { return right }
        let leftBytes = UInt64(1) << UInt64((80 - x) * 8) &- 1
        return left & leftBytes | right & ~leftBytes
    }

    /// The colour words `drawObjects` starts from, kept until a colour register or the
    /// playfield's priority and score bits change (`colourWordsValid`): most spans between
    /// two writes are short, and working these out per span cost as much as drawing it.
    struct ColourWords {
        /// COLUBK, COLUPF, COLUP0, COLUP1 packed from the low byte.
        var palette: UInt32 = 0
        /// Each colour register in all 8 bytes.
        var background: UInt64 = 0, playfield: UInt64 = 0, player0: UInt64 = 0, player1: UInt64 = 0
        /// The priority encoder's colour with the playfield alone, per half: off in all 8
        /// bytes, and the one byte that turns it into the colour with the playfield on.
        var leftOff: UInt64 = 0, leftFlip: UInt64 = 0, rightOff: UInt64 = 0, rightFlip: UInt64 = 0
    }

    @exclusivity(unchecked) var colourWords = ColourWords()
    @exclusivity(unchecked) var colourWordsValid = false

    private func updateColourWords() {
        let t = tables
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let modeBits = Int(playfieldPriorityAndScore)
        let palette = UInt32(colors.0) | UInt32(colors.1) << 8 | UInt32(colors.2) << 16 | UInt32(colors.3) << 24
        func encoded(_ index: Int) -> UInt8 {
            UInt8(truncatingIfNeeded: palette >> (UInt32(t.priority[index]) << 3))
        }
        let pfOn = Int(TIATables.pfBit) | modeBits
        let leftOff = encoded(modeBits), leftOn = encoded(pfOn)
        let rightOff = encoded(256 + modeBits), rightOn = encoded(256 + pfOn)
        colourWords = ColourWords(
            palette: palette,
            background: UInt64(colors.0) &* lanes, playfield: UInt64(colors.1) &* lanes,
            player0: UInt64(colors.2) &* lanes, player1: UInt64(colors.3) &* lanes,
            leftOff: UInt64(leftOff) &* lanes, leftFlip: UInt64(leftOff ^ leftOn),
            rightOff: UInt64(rightOff) &* lanes, rightFlip: UInt64(rightOff ^ rightOn))
        colourWordsValid = true
    }

    /// Every object: collisions latched and colours chosen through the priority encoder.
    /// Eight pixels at a time: each object's mask bytes are loaded as one word and turned into
    /// one byte of enabled-object bits per pixel (SWAR); a run where no movable object shows
    /// is drawn as playfield alone (the shortcut ALE takes 4 pixels at a time), a run where
    /// every pixel has the same objects is one colour, the rest get their colours from the
    /// priority rules applied to all 8 lanes at once (`mixedColours`). Collisions are
    /// collected as the set of enabled-bit combinations seen (a 64-bit set) and latched once
    /// at the end: the same latches as pixel by pixel.
    /// The last run of a span (most spans, between two TIA writes, are 9-15 pixels) is eight
    /// pixels wide too, with its lanes past the span cleared from the enabled bits and its
    /// store merged with the bytes already there (the tables and the frame buffers have
    /// 8 bytes of padding for it), rather than pixel by pixel.
    private func drawObjects(_ out: UnsafeMutablePointer<UInt8>, count: Int, hpos: Int) {
        if !colourWordsValid { updateColourWords() }
        let t = tables
        let groups = playfieldGroups()
        // An object that is off reads a table of zeros.
        let enabledNow = enabledObjects
        let bl = enabledNow & TIATables.blBit != 0 ? t.ballMask + blMask : t.zeroMask
        let m0 = enabledNow & TIATables.m0Bit != 0 ? t.missileMask + m0Mask : t.zeroMask
        let m1 = enabledNow & TIATables.m1Bit != 0 ? t.missileMask + m1Mask : t.zeroMask
        let p0 = t.playerMask + p0Mask, p1 = t.playerMask + p1Mask
        let modeBits = playfieldPriorityAndScore
        let priorityTable = t.priority + Int(modeBits)
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let g0Lanes = UInt64(currentGRP0) &* lanes, g1Lanes = UInt64(currentGRP1) &* lanes
        @inline(__always) func load(_ table: UnsafeMutablePointer<UInt8>, _ x: Int) -> UInt64 {
            UnsafeRawPointer(table + x).loadUnaligned(as: UInt64.self)
        }
        // The gap tables of the objects that can show (a player whose graphics are 0 cannot).
        let blGap = enabledNow & TIATables.blBit != 0 ? t.ballGap + blMask : t.zeroGap
        let m0Gap = enabledNow & TIATables.m0Bit != 0 ? t.missileGap + m0Mask : t.zeroGap
        let m1Gap = enabledNow & TIATables.m1Bit != 0 ? t.missileGap + m1Mask : t.zeroGap
        let p0Gap = enabledNow & TIATables.p0Bit != 0 ? t.playerGap + p0Mask : t.zeroGap
        let p1Gap = enabledNow & TIATables.p1Bit != 0 ? t.playerGap + p1Mask : t.zeroGap
        var seen: UInt64 = 0
        var i = 0
        while i < count {
            let x = hpos &+ i
            let n = min(8, count &- i)
            // The bytes of this run's pixels (all 8 but in the span's last run).
            let valid: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1
            @inline(__always) func store(_ word: UInt64) { TIA.storeRun(word, at: out + i, pixels: n) }
            // No object shows for `gap` pixels from here: whole runs of playfield alone up to
            // there (or to the span's end), no collisions.
            let gap = Int(min(min(min(blGap[x], m0Gap[x]), min(m1Gap[x], p0Gap[x])), p1Gap[x]))
            if gap >= 8 {
                let c = colourWords
                let run = min(gap & ~7, count &- i)
                drawPlayfieldRun(out + i, count: run, hpos: x, groups: groups,
                                 leftOff: c.leftOff, leftFlip: c.leftFlip, rightOff: c.rightOff, rightFlip: c.rightFlip)
                i &+= run
                continue
            }
            let objects = (load(bl, x) &* UInt64(TIATables.blBit)
                | load(m0, x) &* UInt64(TIATables.m0Bit)
                | load(m1, x) &* UInt64(TIATables.m1Bit)
                | TIA.nonZeroLanes(load(p0, x) & g0Lanes) &* UInt64(TIATables.p0Bit)
                | TIA.nonZeroLanes(load(p1, x) & g1Lanes) &* UInt64(TIATables.p1Bit)) & valid
            if objects == 0 {
                let c = colourWords
                drawPlayfieldRun(out + i, count: n, hpos: x, groups: groups,
                                 leftOff: c.leftOff, leftFlip: c.leftFlip, rightOff: c.rightOff, rightFlip: c.rightFlip)
                i &+= 8
                continue
            }
            let playfield = t.playfieldLanes(groups: groups, x: x)
            let enabled = (objects | playfield &* UInt64(TIATables.pfBit)) & valid
            let first = enabled & 0xFF
            if enabled == first &* lanes & valid && (x &+ 8 <= 80 || x >= 80) {
                seen |= 1 &<< first
                let colour = UInt8(truncatingIfNeeded: colourWords.palette >> (UInt32(priorityTable[(x < 80 ? 0 : 256) &+ Int(first)]) << 3))
                store(UInt64(colour) &* lanes)
                i &+= 8
                continue
            }
            store(TIA.mixedColours(enabled: enabled, x: x, mode: modeBits, colours: colourWords))
            for lane in 0..<n {
                seen |= 1 &<< ((enabled >> UInt64(truncatingIfNeeded: lane &* 8)) & 0x3F)
            }
            i &+= 8
        }
        // Only combinations of two or more objects latch anything.
        let singles: UInt64 = 0x0000_0001_0001_0117
        seen &= ~singles
        var latches = collision
        while seen != 0 {
            latches |= t.collision[seen.trailingZeroBitCount]
            seen &= seen &- 1
        }
        collision = latches
    }

    /// 1 in each byte of `v` that is not zero, 0 elsewhere.
    @inline(__always)
    static func nonZeroLanes(_ v: UInt64) -> UInt64 {
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let low7 = lanes &* 0x7F
        return ((((v & low7) &+ low7) | v) >> 7) & lanes
    }

    /// The colours of 8 pixels from `x` (`x < 160`) whose enabled-object bits are the bytes
    /// of `enabled` (TIATables' bits, no mode bits), under the playfield priority and score
    /// bits `mode`: the priority encoder (TIATables.buildPriority) applied to every lane at
    /// once. Normal priority: the ball and playfield over the background, P1/M1 over those,
    /// P0/M0 over all; in score mode the playfield takes COLUP0 left of 80 (which P1 does not
    /// cover) and COLUP1 right of it. Priority: P1/M1, then P0/M0, then the ball and the
    /// playfield over them. `mixedColoursDisagreement` checks it against the table.
    @inline(__always)
    static func mixedColours(enabled: UInt64, x: Int, mode: UInt8, colours c: ColourWords) -> UInt64 {
        let lanes: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func where_(_ bits: UInt8) -> UInt64 { nonZeroLanes(enabled & (UInt64(bits) &* lanes)) &* 0xFF }
        @inline(__always) func blend(_ a: UInt64, _ b: UInt64, _ mask: UInt64) -> UInt64 { a ^ (a ^ b) & mask }
        let player0 = where_(TIATables.p0Bit | TIATables.m0Bit)
        let player1 = where_(TIATables.p1Bit | TIATables.m1Bit)
        let ball = where_(TIATables.blBit), playfield = where_(TIATables.pfBit)
        if mode & TIATables.priorityBit != 0 {
            let w = blend(blend(c.background, c.player1, player1), c.player0, player0)
            return blend(w, c.playfield, ball | playfield)
        }
        if mode & TIATables.scoreBit != 0 {
            let left: UInt64 = x &+ 8 <= 80 ? ~0 : (x >= 80 ? 0 : (1 &<< UInt64(truncatingIfNeeded: (80 &- x) &* 8)) &- 1)
            let score = blend(c.player1, c.player0, left)
            let w = blend(blend(c.background, c.playfield, ball), score, playfield)
            return blend(blend(w, c.player1, player1 & ~(playfield & left)), c.player0, player0)
        }
        let w = blend(c.background, c.playfield, ball | playfield)
        return blend(blend(w, c.player1, player1), c.player0, player0)
    }

    /// Compares `mixedColours` with the priority table pixel by pixel, for every object
    /// combination in every lane, every start position and the four priority/score modes;
    /// the first disagreement, or nil. For the tests (the table is what ALE's encoder is).
    public static func mixedColoursDisagreement() -> String? {
        let t = TIATables.shared
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let colors: [UInt8] = [0x10, 0x22, 0x34, 0x46]
        var words = ColourWords()
        words.background = UInt64(colors[0]) &* lanes
        words.playfield = UInt64(colors[1]) &* lanes
        words.player0 = UInt64(colors[2]) &* lanes
        words.player1 = UInt64(colors[3]) &* lanes
        for mode: UInt8 in [0, TIATables.scoreBit, TIATables.priorityBit, TIATables.scoreBit | TIATables.priorityBit] {
            for x in 0..<153 {
                for k in 0..<64 {
                    var enabled: UInt64 = 0
                    for lane in 0..<8 { enabled |= UInt64((k &+ lane &* 23) & 0x3F) << UInt64(lane * 8) }
                    let word = mixedColours(enabled: enabled, x: x, mode: mode, colours: words)
                    for lane in 0..<8 {
                        let e = Int((enabled >> UInt64(lane * 8)) & 0x3F)
                        let half = x + lane < 80 ? 0 : 256
                        let expected = colors[Int(t.priority[half + Int(mode) + e])]
                        let got = UInt8(truncatingIfNeeded: word >> UInt64(lane * 8))
                        if got != expected {
                            return "mode \(mode), pixel \(x + lane), objects \(e): \(got), table \(expected)"
                        }
                    }
                }
            }
        }
        return nil
    }

    // MARK: Mask offsets

    @inline(__always)
    func playerMaskOffset(pos: Int, nusiz: UInt8, skipFirst: Int) -> Int {
        TIATables.playerOffset(align: pos & 3, skipFirst: skipFirst, mode: Int(nusiz & 7)) + 160 - (pos & 0xFC)
    }

    @inline(__always)
    func missileMaskOffset(pos: Int, nusiz: UInt8) -> Int {
        TIATables.missileOffset(align: pos & 3, number: Int(nusiz & 7), size: Int((nusiz & 0x30) >> 4))
            + 160 - (pos & 0xFC)
    }

    @inline(__always)
    func ballMaskOffset() -> Int {
        TIATables.ballOffset(align: posBL & 3, size: Int((ctrlpf & 0x30) >> 4)) + 160 - (posBL & 0xFC)
    }

    // MARK: Bus

    /// A read of a TIA register at system cycle `cycles`; `dataBus` is the last value on the
    /// data bus, whose low 6 bits the TIA does not drive.
    ///
    /// ALE draws up to the clock of every read. Only the collision registers (0-7) depend on
    /// the drawing; an INPTx read (8-15) leaves it to the next draw, as `write` does for the
    /// writes that change nothing drawn. Every draw goes at least as far as the last drawing
    /// left so (`undrawnWriteClock`), which makes the drawn extent at each real draw the
    /// same as ALE's.
    func read(_ address: UInt16, cycles: Int, dataBus: UInt8) -> UInt8 {
        let clock = max(cycles * 3, undrawnWriteClock)
        if address & 0x08 != 0 && defersUnchangedDrawing && !hmoveBlankEnabled {
            undrawnWriteClock = clock
        } else {
            updateFrame(clock)
        }
        let noise = dataBus & 0x3F
        let c = collision
        @inline(__always) func bits(_ high: UInt16, _ low: UInt16) -> UInt8 {
            (c & high != 0 ? 0x80 : 0) | (c & low != 0 ? 0x40 : 0) | noise
        }
        switch address & 0x0F {
        case 0x00: return bits(0x0001, 0x0002)
        case 0x01: return bits(0x0004, 0x0008)
        case 0x02: return bits(0x0010, 0x0020)
        case 0x03: return bits(0x0040, 0x0080)
        case 0x04: return bits(0x0100, 0x0200)
        case 0x05: return bits(0x0400, 0x0800)
        case 0x06: return (c & 0x1000 != 0 ? 0x80 : 0) | noise
        case 0x07: return bits(0x2000, 0x4000)
        case 0x08: return readPaddle(inputResistance.0, cycles: cycles, noise: noise)
        case 0x09: return readPaddle(inputResistance.1, cycles: cycles, noise: noise)
        case 0x0A: return readPaddle(inputResistance.2, cycles: cycles, noise: noise)
        case 0x0B: return readPaddle(inputResistance.3, cycles: cycles, noise: noise)
        case 0x0C: return input4High ? 0x80 | noise : noise
        case 0x0D: return input5High ? 0x80 | noise : noise
        default: return noise
        }
    }

    /// A paddle's capacitor charges through its resistance once the dump to ground is
    /// released; ALE's time to charge is 1.6 * r * 0.01 uF, in CPU cycles at 1.19 MHz.
    private func readPaddle(_ resistance: Int, cycles: Int, noise: UInt8) -> UInt8 {
        if resistance == 0 { return 0x80 | noise }
        if resistance == Int(Int32.max) || dumpEnabled { return noise }
        let seconds = 1.6 * Double(resistance) * 0.01E-6
        let needed = UInt32(seconds * 1.19E6)
        // ALE compares unsigned: a dump released before this frame's cycle origin wraps.
        let threshold = UInt32(truncatingIfNeeded: dumpDisabledCycle) &+ needed
        return UInt32(truncatingIfNeeded: cycles) > threshold ? 0x80 | noise : noise
    }

    /// A write to a TIA register at system cycle `cycles`. Returns the CPU cycles WSYNC
    /// stalls for (0 otherwise); sets `frameEnded` when the frame ends.
    ///
    /// ALE draws up to every write's clock (plus its poke delay) before it acts. For a
    /// register that changes nothing drawn and has no delay (`undrawnRegisters`, above all
    /// WSYNC, once a line) that drawing is left to the next draw, whose clock is later: the
    /// picture and collisions come out the same, since drawing a stretch in two pieces or in
    /// one gives the same pixels with the registers unchanged. Not while HMOVE's HBLANK
    /// extension is pending, whose blanking depends on where the pieces start; and the
    /// drawing owed is done when the frame is cut off here or the CPU's run ends.
    /// The same for a write to a colour, playfield, graphics or enable register whose value
    /// leaves every drawn quantity as it was (`leavesDrawingUnchanged`): frequent, since
    /// kernels rewrite GRPx, ENAxx and colours every line, often with the same value. Such a
    /// write may have a poke delay, so the clock left undrawn is a maximum and every draw
    /// goes at least that far: the drawn extent at each real draw is then ALE's.
    func write(_ address: UInt16, _ value: UInt8, cycles: Int, lastAccessWasRead: Bool) -> Int {
        let register = Int(address & 0x3F)
        let clock = cycles * 3
        if undrawnWrites & (1 &<< UInt64(register)) != 0 && !hmoveBlankEnabled {
            undrawnWriteClock = max(clock, undrawnWriteClock)
        } else {
            var delay = Int(tables.pokeDelayTable[register])
            if delay == -1 {
                // Playfield registers: the delay depends on the clock within the 4-clock pixel.
                switch (((clock - clockWhenFrameStarted) % 228) / 3) & 3 {
                case 0: delay = 4
                case 1: delay = 5
                case 2: delay = 2
                default: delay = 3
                }
            }
            let drawClock = max(clock + delay, undrawnWriteClock)
            if unchangedCandidates & (1 &<< UInt64(register)) != 0 && !hmoveBlankEnabled
                && leavesDrawingUnchanged(register, value) {
                undrawnWriteClock = drawClock
            } else {
                updateFrame(drawClock)
            }
        }
        // (clock - start) / 228 > maximumScanlines, without the division.
        if clock - clockWhenFrameStarted >= 228 &* (maximumScanlines &+ 1) {
            updateFrame(clock)
            endFrameNow()
        }
        switch register {
        case 0x00: // VSYNC
            vsync = value
            if vsync & 0x02 != 0 {
                vsyncFinishClock = clock + 228
            } else if clock >= vsyncFinishClock {
                vsyncFinishClock = Int(Int32.max)
                endFrameNow()
            }
        case 0x01: // VBLANK; bit 7 grounds the paddle capacitors
            if vblank & 0x80 == 0 && value & 0x80 != 0 { dumpEnabled = true }
            if vblank & 0x80 != 0 && value & 0x80 == 0 {
                dumpEnabled = false
                dumpDisabledCycle = cycles
            }
            vblank = value
        case 0x02: // WSYNC: only a write that follows a read halts the 6507 (RMW does not)
            if lastAccessWasRead {
                let cyclesToEndOfLine = 76 - ((cycles - clockWhenFrameStarted / 3) % 76)
                if cyclesToEndOfLine < 76 { return cyclesToEndOfLine }
            }
        case 0x03: break // RSYNC
        case 0x04:
            nusiz0 = value
            p0Mask = playerMaskOffset(pos: posP0, nusiz: nusiz0, skipFirst: 0)
            m0Mask = missileMaskOffset(pos: posM0, nusiz: nusiz0)
        case 0x05:
            nusiz1 = value
            p1Mask = playerMaskOffset(pos: posP1, nusiz: nusiz1, skipFirst: 0)
            m1Mask = missileMaskOffset(pos: posM1, nusiz: nusiz1)
        case 0x06: colors.2 = colorValue(value)
        case 0x07: colors.3 = colorValue(value)
        case 0x08: colors.1 = colorValue(value)
        case 0x09: colors.0 = colorValue(value)
        case 0x0A: // CTRLPF
            ctrlpf = value
            playfieldPriorityAndScore = (ctrlpf & 0x06) << 5
            if (clock - clockWhenFrameStarted) % 228 < 68 + 79 {
                pfMask = Int(ctrlpf & 0x01) * 160
            }
            blMask = ballMaskOffset()
        case 0x0B:
            let reflect = value & 0x08 != 0
            if reflect != refp0 {
                refp0 = reflect
                currentGRP0 = tables.reflect[Int(currentGRP0)]
            }
        case 0x0C:
            let reflect = value & 0x08 != 0
            if reflect != refp1 {
                refp1 = reflect
                currentGRP1 = tables.reflect[Int(currentGRP1)]
            }
        case 0x0D:
            pf = (pf & 0x000F_FFF0) | UInt32((value >> 4) & 0x0F)
            setEnabled(TIATables.pfBit, pf != 0)
        case 0x0E:
            pf = (pf & 0x000F_F00F) | (UInt32(value) << 4)
            setEnabled(TIATables.pfBit, pf != 0)
        case 0x0F:
            pf = (pf & 0x0000_0FFF) | (UInt32(value) << 12)
            setEnabled(TIATables.pfBit, pf != 0)
        case 0x10: resetPlayer0(clock: clock)
        case 0x11: resetPlayer1(clock: clock)
        case 0x12: // RESM0
            let hpos = (clock - clockWhenFrameStarted) % 228
            posM0 = hpos < TIA.hblank ? 2 : ((hpos - TIA.hblank) + 4) % 160
            if clock - lastHMOVEClock == 20 * 3 && hpos == 69 { posM0 = 8 }
            m0Mask = missileMaskOffset(pos: posM0, nusiz: nusiz0)
        case 0x13: // RESM1
            let hpos = (clock - clockWhenFrameStarted) % 228
            posM1 = hpos < TIA.hblank ? 2 : ((hpos - TIA.hblank) + 4) % 160
            if clock - lastHMOVEClock == 3 * 3 && hpos == 18 { posM1 = 3 }
            m1Mask = missileMaskOffset(pos: posM1, nusiz: nusiz1)
        case 0x14: // RESBL, with ALE's game-specific corrections after an HMOVE
            let hpos = (clock - clockWhenFrameStarted) % 228
            posBL = hpos < TIA.hblank ? 2 : ((hpos - TIA.hblank) + 4) % 160
            let sinceHMOVE = clock - lastHMOVEClock
            if sinceHMOVE == 18 * 3 && (hpos == 60 || hpos == 69) {
                posBL = 10
            } else if sinceHMOVE == 3 * 3 && hpos == 18 {
                posBL = 3
            } else if sinceHMOVE == 7 * 3 && hpos == 30 {
                posBL = 6
            } else if sinceHMOVE == 6 * 3 && hpos == 27 {
                posBL = 5
            }
            blMask = ballMaskOffset()
        case 0x15...0x1A: break // audio: accepted, not played
        case 0x1B: // GRP0 (also moves GRP1 into its delay register)
            grp0 = value
            dgrp1 = grp1
            refreshPlayerGraphics()
        case 0x1C: // GRP1 (also moves GRP0 and ENABL into their delay registers)
            grp1 = value
            dgrp0 = grp0
            denabl = enabl
            refreshPlayerGraphics()
            setEnabled(TIATables.blBit, vdelbl ? denabl : enabl)
        case 0x1D:
            enam0 = value & 0x02 != 0
            setEnabled(TIATables.m0Bit, enam0 && !resmp0)
        case 0x1E:
            enam1 = value & 0x02 != 0
            setEnabled(TIATables.m1Bit, enam1 && !resmp1)
        case 0x1F:
            enabl = value & 0x02 != 0
            setEnabled(TIATables.blBit, vdelbl ? denabl : enabl)
        case 0x20: hmp0 = Int(value >> 4)
        case 0x21: hmp1 = Int(value >> 4)
        case 0x22:
            let motion = Int(value >> 4)
            // The Cosmic Ark starfield relies on an M0 motion bug ALE switches on here.
            if clock == lastHMOVEClock + 21 * 3 && hmm0 == 7 && motion == 6 {
                m0CosmicArkMotionEnabled = true
                m0CosmicArkCounter = 0
            }
            hmm0 = motion
        case 0x23: hmm1 = Int(value >> 4)
        case 0x24: hmbl = Int(value >> 4)
        case 0x25:
            vdelp0 = value & 0x01 != 0
            let g = vdelp0 ? dgrp0 : grp0
            currentGRP0 = refp0 ? tables.reflect[Int(g)] : g
            setEnabled(TIATables.p0Bit, currentGRP0 != 0)
        case 0x26:
            vdelp1 = value & 0x01 != 0
            let g = vdelp1 ? dgrp1 : grp1
            currentGRP1 = refp1 ? tables.reflect[Int(g)] : g
            setEnabled(TIATables.p1Bit, currentGRP1 != 0)
        case 0x27:
            vdelbl = value & 0x01 != 0
            setEnabled(TIATables.blBit, vdelbl ? denabl : enabl)
        case 0x28: // RESMP0: releasing it centres the missile on the player
            if resmp0 && value & 0x02 == 0 {
                posM0 = (posP0 + playerMiddle(nusiz0)) % 160
                m0Mask = missileMaskOffset(pos: posM0, nusiz: nusiz0)
            }
            resmp0 = value & 0x02 != 0
            setEnabled(TIATables.m0Bit, enam0 && !resmp0)
        case 0x29:
            if resmp1 && value & 0x02 == 0 {
                posM1 = (posP1 + playerMiddle(nusiz1)) % 160
                m1Mask = missileMaskOffset(pos: posM1, nusiz: nusiz1)
            }
            resmp1 = value & 0x02 != 0
            setEnabled(TIATables.m1Bit, enam1 && !resmp1)
        case 0x2A: applyHorizontalMotion(clock: clock)
        case 0x2B:
            hmp0 = 0; hmp1 = 0; hmm0 = 0; hmm1 = 0; hmbl = 0
        case 0x2C:
            collision = 0
        default:
            break
        }
        return 0
    }

    /// Whether writing `value` to `register` leaves everything the drawing reads (colours,
    /// playfield bits, the players' current graphics, the enabled objects) as it is. Only
    /// for the registers below (`unchangedCandidates`); any other answers false.
    @inline(__always)
    private func leavesDrawingUnchanged(_ register: Int, _ value: UInt8) -> Bool {
        @inline(__always) func enabled(_ bit: UInt8) -> Bool { enabledObjects & bit != 0 }
        @inline(__always) func reflected(_ g: UInt8, _ reflect: Bool) -> UInt8 { reflect ? tables.reflect[Int(g)] : g }
        switch register {
        // NUSIZx and CTRLPF set mask offsets too (a RESPx may have left a player's first copy
        // skipped; CTRLPF's reflection is latched at line ends): unchanged only if those are
        // what the write would set.
        case 0x04:
            return value == nusiz0 && p0Mask == playerMaskOffset(pos: posP0, nusiz: value, skipFirst: 0)
                && m0Mask == missileMaskOffset(pos: posM0, nusiz: value)
        case 0x05:
            return value == nusiz1 && p1Mask == playerMaskOffset(pos: posP1, nusiz: value, skipFirst: 0)
                && m1Mask == missileMaskOffset(pos: posM1, nusiz: value)
        case 0x0A:
            return value == ctrlpf && pfMask == Int(value & 0x01) * 160 && blMask == ballMaskOffset()
        case 0x06: return colorValue(value) == colors.2
        case 0x07: return colorValue(value) == colors.3
        case 0x08: return colorValue(value) == colors.1
        case 0x09: return colorValue(value) == colors.0
        case 0x0B: return refp0 == (value & 0x08 != 0)
        case 0x0C: return refp1 == (value & 0x08 != 0)
        case 0x0D: return (pf & 0x0000_000F) == UInt32((value >> 4) & 0x0F)
        case 0x0E: return (pf & 0x0000_0FF0) == UInt32(value) << 4
        case 0x0F: return (pf & 0x000F_F000) == UInt32(value) << 12
        case 0x1B:
            // GRP0 = value, GRP1's delayed copy = GRP1: see `refreshPlayerGraphics`.
            return currentGRP0 == reflected(vdelp0 ? dgrp0 : value, refp0)
                && currentGRP1 == reflected(grp1, refp1)
        case 0x1C:
            // GRP1 = value, GRP0's and ENABL's delayed copies = GRP0, ENABL.
            return currentGRP1 == reflected(vdelp1 ? dgrp1 : value, refp1)
                && currentGRP0 == reflected(grp0, refp0)
                && enabled(TIATables.blBit) == enabl
        case 0x1D: return enabled(TIATables.m0Bit) == (value & 0x02 != 0 && !resmp0)
        case 0x1E: return enabled(TIATables.m1Bit) == (value & 0x02 != 0 && !resmp1)
        case 0x1F: return enabled(TIATables.blBit) == (vdelbl ? denabl : value & 0x02 != 0)
        case 0x25: return currentGRP0 == reflected(value & 0x01 != 0 ? dgrp0 : grp0, refp0)
        case 0x26: return currentGRP1 == reflected(value & 0x01 != 0 ? dgrp1 : grp1, refp1)
        case 0x27: return enabled(TIATables.blBit) == (value & 0x01 != 0 ? denabl : enabl)
        default: return false
        }
    }

    @inline(__always)
    private func setEnabled(_ bit: UInt8, _ on: Bool) {
        if on { enabledObjects |= bit } else { enabledObjects &= ~bit }
    }

    private func colorValue(_ value: UInt8) -> UInt8 {
        var color = value & 0xFE
        if colorLossEnabled && scanlineCountForLastFrame & 1 != 0 { color |= 1 }
        return color
    }

    private func playerMiddle(_ nusiz: UInt8) -> Int {
        switch nusiz & 7 {
        case 5: return 8
        case 7: return 16
        default: return 4
        }
    }

    private func refreshPlayerGraphics() {
        let g0 = vdelp0 ? dgrp0 : grp0
        currentGRP0 = refp0 ? tables.reflect[Int(g0)] : g0
        let g1 = vdelp1 ? dgrp1 : grp1
        currentGRP1 = refp1 ? tables.reflect[Int(g1)] : g1
        setEnabled(TIATables.p0Bit, currentGRP0 != 0)
        setEnabled(TIATables.p1Bit, currentGRP1 != 0)
    }

    /// RESP0/RESP1: the new position and whether the copy being drawn is cut short.
    private func resetPlayer0(clock: Int) {
        let hpos = (clock - clockWhenFrameStarted) % 228
        let newX = hpos < TIA.hblank ? 3 : ((hpos - TIA.hblank) + 5) % 160
        let when = tables.playerResetWhen[(Int(nusiz0 & 7) * 160 + posP0) * 160 + newX]
        if when == 1 { updateFrame(clock + 11) }
        posP0 = newX
        p0Mask = playerMaskOffset(pos: posP0, nusiz: nusiz0, skipFirst: when == -1 ? 0 : 1)
    }

    private func resetPlayer1(clock: Int) {
        let hpos = (clock - clockWhenFrameStarted) % 228
        let newX = hpos < TIA.hblank ? 3 : ((hpos - TIA.hblank) + 5) % 160
        let when = tables.playerResetWhen[(Int(nusiz1 & 7) * 160 + posP1) * 160 + newX]
        if when == 1 { updateFrame(clock + 11) }
        posP1 = newX
        p1Mask = playerMaskOffset(pos: posP1, nusiz: nusiz1, skipFirst: when == -1 ? 0 : 1)
    }

    /// HMOVE: every object moves by the motion table's entry for this CPU cycle of the line.
    private func applyHorizontalMotion(clock: Int) {
        let x = ((clock - clockWhenFrameStarted) % 228) / 3
        if allowHMOVEBlanks && TIATables.hmoveBlankCycles[x] { hmoveBlankEnabled = true }
        let motion = tables.motionTable + x * 16
        @inline(__always) func wrap(_ p: Int) -> Int { p >= 160 ? p - 160 : (p < 0 ? p + 160 : p) }
        posP0 = wrap(posP0 + Int(motion[hmp0]))
        posP1 = wrap(posP1 + Int(motion[hmp1]))
        posM0 = wrap(posM0 + Int(motion[hmm0]))
        posM1 = wrap(posM1 + Int(motion[hmm1]))
        posBL = wrap(posBL + Int(motion[hmbl]))
        blMask = ballMaskOffset()
        p0Mask = playerMaskOffset(pos: posP0, nusiz: nusiz0, skipFirst: 0)
        p1Mask = playerMaskOffset(pos: posP1, nusiz: nusiz1, skipFirst: 0)
        m0Mask = missileMaskOffset(pos: posM0, nusiz: nusiz0)
        m1Mask = missileMaskOffset(pos: posM1, nusiz: nusiz1)
        lastHMOVEClock = clock
        m0CosmicArkMotionEnabled = false
    }
}
