// Saving and restoring the TIA: every register, position, drawing offset and timing value as
// one list of integers, plus both frame buffers (the next frame may show rows of the one
// before last, as ALE's double buffer does). Restoring checks every value that indexes a
// table, so a damaged state is refused instead of crashing the emulator.

extension TIA {
    /// The TIA's scalar state in a fixed order.
    var scalars: [Int] {
        get {
            [yStart, height, allowHMOVEBlanks ? 1 : 0, colorLossEnabled ? 1 : 0, maximumScanlines,
             framePointer, clockWhenFrameStarted, clockStartDisplay, clockStopDisplay, clockAtLastUpdate,
             clocksToEndOfScanLine, scanlineCountForLastFrame, currentScanline, vsyncFinishClock,
             partialFrame ? 1 : 0, frameGreyed ? 1 : 0, frameEnded ? 1 : 0, frameCount,
             Int(enabledObjects), Int(vsync), Int(vblank), Int(nusiz0), Int(nusiz1),
             Int(playfieldPriorityAndScore), Int(colors.0), Int(colors.1), Int(colors.2), Int(colors.3),
             Int(ctrlpf), refp0 ? 1 : 0, refp1 ? 1 : 0, Int(pf), Int(grp0), Int(grp1), Int(dgrp0), Int(dgrp1),
             enam0 ? 1 : 0, enam1 ? 1 : 0, enabl ? 1 : 0, denabl ? 1 : 0, hmp0, hmp1, hmm0, hmm1, hmbl,
             vdelp0 ? 1 : 0, vdelp1 ? 1 : 0, vdelbl ? 1 : 0, resmp0 ? 1 : 0, resmp1 ? 1 : 0,
             Int(collision), posP0, posP1, posM0, posM1, posBL, Int(currentGRP0), Int(currentGRP1),
             blMask, m0Mask, m1Mask, p0Mask, p1Mask, pfMask, dumpDisabledCycle, dumpEnabled ? 1 : 0,
             lastHMOVEClock, hmoveBlankEnabled ? 1 : 0, m0CosmicArkMotionEnabled ? 1 : 0, m0CosmicArkCounter,
             inputResistance.0, inputResistance.1, inputResistance.2, inputResistance.3,
             input4High ? 1 : 0, input5High ? 1 : 0]
        }
        set {
            var i = 0
            func next() -> Int { defer { i += 1 }; return newValue[i] }
            func flag() -> Bool { next() != 0 }
            func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
            yStart = next(); height = next(); allowHMOVEBlanks = flag(); colorLossEnabled = flag()
            maximumScanlines = next()
            framePointer = next(); clockWhenFrameStarted = next(); clockStartDisplay = next()
            clockStopDisplay = next(); clockAtLastUpdate = next()
            clocksToEndOfScanLine = next(); scanlineCountForLastFrame = next(); currentScanline = next()
            vsyncFinishClock = next()
            partialFrame = flag(); frameGreyed = flag(); frameEnded = flag(); frameCount = next()
            enabledObjects = byte(); vsync = byte(); vblank = byte(); nusiz0 = byte(); nusiz1 = byte()
            playfieldPriorityAndScore = byte()
            colors = (byte(), byte(), byte(), byte())
            ctrlpf = byte(); refp0 = flag(); refp1 = flag(); pf = UInt32(truncatingIfNeeded: next())
            grp0 = byte(); grp1 = byte(); dgrp0 = byte(); dgrp1 = byte()
            enam0 = flag(); enam1 = flag(); enabl = flag(); denabl = flag()
            hmp0 = next(); hmp1 = next(); hmm0 = next(); hmm1 = next(); hmbl = next()
            vdelp0 = flag(); vdelp1 = flag(); vdelbl = flag(); resmp0 = flag(); resmp1 = flag()
            collision = UInt16(truncatingIfNeeded: next())
            posP0 = next(); posP1 = next(); posM0 = next(); posM1 = next(); posBL = next()
            currentGRP0 = byte(); currentGRP1 = byte()
            blMask = next(); m0Mask = next(); m1Mask = next(); p0Mask = next(); p1Mask = next(); pfMask = next()
            dumpDisabledCycle = next(); dumpEnabled = flag()
            lastHMOVEClock = next(); hmoveBlankEnabled = flag(); m0CosmicArkMotionEnabled = flag()
            m0CosmicArkCounter = next()
            inputResistance = (next(), next(), next(), next())
            input4High = flag(); input5High = flag()
        }
    }

    static let scalarCount = 76

    func save(into out: inout StateWriter) {
        let values = scalars
        precondition(values.count == TIA.scalarCount, "TIA.save: \(values.count) scalars, expected \(TIA.scalarCount)")
        for value in values { out.i64(value) }
        let size = TIA.width * TIA.bufferLines
        out.bytes(Array(UnsafeBufferPointer(start: currentFrame, count: size)))
        out.bytes(Array(UnsafeBufferPointer(start: previousFrame, count: size)))
    }
}

/// A parsed and checked TIA state, applied only once the whole console state parsed.
struct TIAState {
    let scalars: [Int]
    let current: [UInt8]
    let previous: [UInt8]

    init(from input: inout StateReader) throws {
        var values = [Int]()
        for _ in 0..<TIA.scalarCount { values.append(try input.i64()) }
        let size = TIA.width * TIA.bufferLines
        current = try input.bytes(size)
        previous = try input.bytes(size)
        scalars = values
        try check()
    }

    /// Refuses values that would index outside the TIA's tables or buffers.
    private func check() throws {
        func require(_ ok: Bool, _ what: String) throws {
            if !ok { throw ConsoleStateError.corrupt("TIA \(what)") }
        }
        let s = scalars
        try require((0...300).contains(s[0]) && (0...300).contains(s[1]) && s[0] + s[1] <= 300, "display window")
        try require(s[8] - s[7] == 228 * s[1] && s[7] - s[6] == 228 * s[0] && s[9] >= s[6], "frame timing")
        let linesLeft = max(0, (s[8] - s[9]) / 228 + 1)
        try require(s[5] >= 0 && s[5] + linesLeft * TIA.width <= TIA.width * TIA.bufferLines, "frame pointer")
        for index in 40...44 { try require((0..<16).contains(s[index]), "motion register") }
        for index in 51...55 { try require((0..<160).contains(s[index]), "object position") }
        try require((0..<(4 * 4 * 320 - 160)).contains(s[58]), "ball mask")
        let missileEnd = TIATables.disabledMissileOffset + 640 - 160
        try require((0..<missileEnd).contains(s[59]) && (0..<missileEnd).contains(s[60]), "missile mask")
        let playerEnd = 4 * 2 * 8 * 320 - 160
        try require((0..<playerEnd).contains(s[61]) && (0..<playerEnd).contains(s[62]), "player mask")
        try require(s[63] == 0 || s[63] == 160, "playfield mask")
        try require((0..<4).contains(s[69]), "Cosmic Ark counter")
        try require((0...228).contains(s[10]), "line position")
    }

    func apply(to tia: TIA) {
        tia.scalars = scalars
        tia.undrawnWriteClock = TIA.noUndrawnWrite
        let size = TIA.width * TIA.bufferLines
        current.withUnsafeBufferPointer { tia.currentFrame.update(from: $0.baseAddress!, count: size) }
        previous.withUnsafeBufferPointer { tia.previousFrame.update(from: $0.baseAddress!, count: size) }
    }
}
