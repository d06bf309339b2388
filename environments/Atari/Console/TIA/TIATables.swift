// The TIA's precomputed tables, laid out as ALE's Stella TIA lays them out so that an object's
// shape on a scanline is one offset into a flat mask table: an object at position `pos`
// shows at pixel `x` when `mask[offset + x]` is set, with `offset` chosen from the position's
// alignment (pos & 3) and its 4-pixel-aligned part (160 - (pos & ~3)). The timing tables
// (poke delays, HMOVE motion by CPU cycle, HMOVE-blank cycles) are the measured facts ALE's
// core is built on; parity depends on using exactly these.

/// Shared, immutable tables (built once, never freed).
final class TIATables: @unchecked Sendable {
    // Safe to share: every buffer is written once in `init` and only read afterwards.
    static let shared = TIATables()

    /// Object bits in the "enabled objects" byte and the priority encoder's index.
    static let p0Bit: UInt8 = 0x01, m0Bit: UInt8 = 0x02, p1Bit: UInt8 = 0x04, m1Bit: UInt8 = 0x08
    static let blBit: UInt8 = 0x10, pfBit: UInt8 = 0x20, scoreBit: UInt8 = 0x40, priorityBit: UInt8 = 0x80

    /// Ball masks: [align 4][size 4][320].
    let ballMask: UnsafeMutablePointer<UInt8>
    /// Missile masks: [align 4][number 8][size 4][320], then 640 zeros (a disabled missile).
    let missileMask: UnsafeMutablePointer<UInt8>
    /// Player masks: [align 4][skipFirstCopy 2][mode 8][320]; values are the GRP bit shown.
    let playerMask: UnsafeMutablePointer<UInt8>
    /// 160 zeros (and padding): the mask the drawing reads for a ball or missile that is off.
    let zeroMask: UnsafeMutablePointer<UInt8>
    /// For each entry of the ball, missile and player masks (and of `zeroMask`): how many
    /// entries on from it the next set one is, at most 255. The drawing skips a stretch where
    /// no object can show in one step (`TIA.drawObjects`).
    let ballGap: UnsafeMutablePointer<UInt8>
    let missileGap: UnsafeMutablePointer<UInt8>
    let playerGap: UnsafeMutablePointer<UInt8>
    let zeroGap: UnsafeMutablePointer<UInt8>
    /// Playfield masks: [reflected 2][160]; each value selects one bit of the 20-bit PF.
    let playfieldMask: UnsafeMutablePointer<UInt32>
    /// [on bits of three 4-pixel playfield groups 8][x & 3 4]: the 8 pixels from `x` as
    /// bytes 1 (playfield) or 0 (see `playfieldLanes(groups:x:)`).
    let playfieldLaneWords: UnsafeMutablePointer<UInt64>
    /// Collision latch bits set by each combination of the six object bits.
    let collision: UnsafeMutablePointer<UInt16>
    /// Colour register (0 BK, 1 PF, 2 P0, 3 P1) for [right half 2][objects | score | priority].
    let priority: UnsafeMutablePointer<UInt8>
    /// Where a RESPx lands relative to the player's copies: [mode 8][old 160][new 160] with
    /// 1 inside a copy being drawn, -1 inside a copy's 4-clock start delay, 0 elsewhere.
    let playerResetWhen: UnsafeMutablePointer<Int8>
    /// Bit-reversed bytes (REFPx).
    let reflect: UnsafeMutablePointer<UInt8>
    /// `pokeDelay` and `completeMotion` (76 rows of 16) as flat tables for the write path.
    let pokeDelayTable: UnsafeMutablePointer<Int8>
    let motionTable: UnsafeMutablePointer<Int8>

    static let disabledMissileOffset = 4 * 8 * 4 * 320

    /// Entries of the ball, missile, player and zero masks (and of their gap tables) before
    /// the padding.
    static let ballEntries = 4 * 4 * 320, missileEntries = 4 * 8 * 4 * 320 + 640
    static let playerEntries = 4 * 2 * 8 * 320, zeroEntries = 160

    /// Zero entries past the end of each mask table (see `init`).
    static let padding = 16

    static func ballOffset(align: Int, size: Int) -> Int { (align * 4 + size) * 320 }
    static func missileOffset(align: Int, number: Int, size: Int) -> Int {
        ((align * 8 + number) * 4 + size) * 320
    }
    static func playerOffset(align: Int, skipFirst: Int, mode: Int) -> Int {
        ((align * 2 + skipFirst) * 8 + mode) * 320
    }

    private init() {
        // Each mask table has `TIATables.padding` zero entries past its end: the drawing
        // loads 8 pixels at a time from any x < 160, up to 7 entries past the last one.
        ballMask = .allocate(capacity: TIATables.ballEntries + TIATables.padding)
        missileMask = .allocate(capacity: TIATables.missileEntries + TIATables.padding)
        playerMask = .allocate(capacity: TIATables.playerEntries + TIATables.padding)
        playfieldMask = .allocate(capacity: 2 * 160 + TIATables.padding)
        (ballMask + TIATables.ballEntries).initialize(repeating: 0, count: TIATables.padding)
        (missileMask + TIATables.missileEntries).initialize(repeating: 0, count: TIATables.padding)
        (playerMask + TIATables.playerEntries).initialize(repeating: 0, count: TIATables.padding)
        (playfieldMask + 2 * 160).initialize(repeating: 0, count: TIATables.padding)
        zeroMask = .allocate(capacity: TIATables.zeroEntries + TIATables.padding)
        ballGap = .allocate(capacity: TIATables.ballEntries + TIATables.padding)
        missileGap = .allocate(capacity: TIATables.missileEntries + TIATables.padding)
        playerGap = .allocate(capacity: TIATables.playerEntries + TIATables.padding)
        zeroGap = .allocate(capacity: TIATables.zeroEntries + TIATables.padding)
        zeroMask.initialize(repeating: 0, count: TIATables.zeroEntries + TIATables.padding)
        playfieldLaneWords = .allocate(capacity: 32)
        collision = .allocate(capacity: 64)
        priority = .allocate(capacity: 2 * 256)
        playerResetWhen = .allocate(capacity: 8 * 160 * 160)
        reflect = .allocate(capacity: 256)
        pokeDelayTable = .allocate(capacity: 64)
        motionTable = .allocate(capacity: 76 * 16)
        for (i, d) in TIATables.pokeDelay.enumerated() { pokeDelayTable[i] = Int8(d) }
        for (row, values) in TIATables.completeMotion.enumerated() {
            for (column, value) in values.enumerated() { motionTable[row * 16 + column] = Int8(value) }
        }
        buildBall(); buildMissile(); buildPlayer(); buildPlayfield()
        buildPlayfieldLaneWords(); buildCollision(); buildPriority(); buildPlayerResetWhen(); buildReflect()
        TIATables.fillGaps(ballGap, of: ballMask, count: TIATables.ballEntries + TIATables.padding)
        TIATables.fillGaps(missileGap, of: missileMask, count: TIATables.missileEntries + TIATables.padding)
        TIATables.fillGaps(playerGap, of: playerMask, count: TIATables.playerEntries + TIATables.padding)
        TIATables.fillGaps(zeroGap, of: zeroMask, count: TIATables.zeroEntries + TIATables.padding)
    }

    /// The gap table of `mask` (see `ballGap`): entry i is j - i for the first j >= i with
    /// `mask[j] != 0`, or 255 when that is 255 or more or there is none. Reading on into the
    /// next object's table only makes a gap shorter, which is safe.
    private static func fillGaps(_ table: UnsafeMutablePointer<UInt8>, of mask: UnsafeMutablePointer<UInt8>, count: Int) {
        var next = 255
        for i in stride(from: count - 1, through: 0, by: -1) {
            next = mask[i] != 0 ? 0 : min(next + 1, 255)
            table[i] = UInt8(next)
        }
    }

    private func buildBall() {
        for size in 0..<4 {
            let base = ballMask + TIATables.ballOffset(align: 0, size: size)
            for x in 0..<320 { base[x] = 0 }
            for x in 0..<(1 << size) { base[x % 160] = 1 }
            for x in 0..<160 { base[x + 160] = base[x] }
            for a in 1..<4 {
                let dst = ballMask + TIATables.ballOffset(align: a, size: size)
                for x in 0..<320 { dst[x] = base[(x + 320 - a) % 320] }
            }
        }
    }

    private func buildMissile() {
        let copies: [[Int]] = [[0], [0, 16], [0, 32], [0, 16, 32], [0, 64], [0], [0, 32, 64], [0]]
        for number in 0..<8 {
            for size in 0..<4 {
                let base = missileMask + TIATables.missileOffset(align: 0, number: number, size: size)
                for x in 0..<320 { base[x] = 0 }
                for x in 0..<(160 + 72) {
                    for start in copies[number] where x - start >= 0 && x - start < (1 << size) {
                        base[x % 160] = 1
                    }
                }
                for x in 0..<160 { base[x + 160] = base[x] }
                for a in 1..<4 {
                    let dst = missileMask + TIATables.missileOffset(align: a, number: number, size: size)
                    for x in 0..<320 { dst[x] = base[(x + 320 - a) % 320] }
                }
            }
        }
        for x in 0..<640 { missileMask[TIATables.disabledMissileOffset + x] = 0 }
    }

    private func buildPlayer() {
        let copies: [[Int]] = [[0], [0, 16], [0, 32], [0, 16, 32], [0, 64], [0], [0, 32, 64], [0]]
        for skip in 0..<2 {
            for mode in 0..<8 {
                let base = playerMask + TIATables.playerOffset(align: 0, skipFirst: skip, mode: mode)
                for x in 0..<320 { base[x] = 0 }
                for x in 0..<(160 + 72) {
                    if mode == 5 || mode == 7 {
                        // Double and quad width start one pixel late.
                        let scale = mode == 5 ? 2 : 4
                        if skip == 0 && x > 0 && x <= 8 * scale {
                            base[x % 160] = UInt8(0x80 >> ((x - 1) / scale))
                        }
                        continue
                    }
                    for (index, start) in copies[mode].enumerated() where x - start >= 0 && x - start < 8 {
                        if index == 0 && skip == 1 { continue }
                        base[x % 160] = UInt8(0x80 >> (x - start))
                        break
                    }
                }
                for x in 0..<160 { base[x + 160] = base[x] }
                for a in 1..<4 {
                    let dst = playerMask + TIATables.playerOffset(align: a, skipFirst: skip, mode: mode)
                    for x in 0..<320 { dst[x] = base[(x + 320 - a) % 320] }
                }
            }
        }
    }

    private func buildPlayfield() {
        for x in 0..<160 {
            let normal: UInt32, reflected: UInt32
            switch x {
            case ..<16: normal = 0x00001 << (x / 4)
            case ..<48: normal = 0x00800 >> ((x - 16) / 4)
            case ..<80: normal = 0x01000 << ((x - 48) / 4)
            case ..<96: normal = 0x00001 << ((x - 80) / 4)
            case ..<128: normal = 0x00800 >> ((x - 96) / 4)
            default: normal = 0x01000 << ((x - 128) / 4)
            }
            switch x {
            case ..<16: reflected = 0x00001 << (x / 4)
            case ..<48: reflected = 0x00800 >> ((x - 16) / 4)
            case ..<80: reflected = 0x01000 << ((x - 48) / 4)
            case ..<112: reflected = 0x80000 >> ((x - 80) / 4)
            case ..<144: reflected = 0x00010 << ((x - 112) / 4)
            default: reflected = 0x00008 >> ((x - 144) / 4)
            }
            playfieldMask[x] = normal
            playfieldMask[160 + x] = reflected
        }
    }

    private func buildPlayfieldLaneWords() {
        for bits in 0..<8 {
            for shift in 0..<4 {
                var word: UInt64 = 0
                for lane in 0..<8 where bits >> ((shift + lane) / 4) & 1 != 0 {
                    word |= 1 << UInt64(lane * 8)
                }
                playfieldLaneWords[bits * 4 + shift] = word
            }
        }
    }

    /// The 8 pixels from `x` (`x < 160`) of the playfield whose 4-pixel groups are the bits of
    /// `groups` (`TIA.playfieldGroups`): 1 in each byte whose pixel shows it, 0 elsewhere.
    /// Lanes past pixel 159 read groups past the 40th, which are 0.
    @inline(__always)
    func playfieldLanes(groups: UInt64, x: Int) -> UInt64 {
        let bits = Int(truncatingIfNeeded: (groups >> UInt64(truncatingIfNeeded: x >> 2)) & 7)
        return playfieldLaneWords[bits &<< 2 | x & 3]
    }

    private func buildCollision() {
        let p0 = TIATables.p0Bit, m0 = TIATables.m0Bit, p1 = TIATables.p1Bit
        let m1 = TIATables.m1Bit, bl = TIATables.blBit, pf = TIATables.pfBit
        // Latch bit order: M0P1 M0P0 M1P0 M1P1 P0PF P0BL P1PF P1BL M0PF M0BL M1PF M1BL BLPF P0P1 M0M1.
        let pairs: [(UInt8, UInt8)] = [(m0, p1), (m0, p0), (m1, p0), (m1, p1), (p0, pf), (p0, bl),
                                       (p1, pf), (p1, bl), (m0, pf), (m0, bl), (m1, pf), (m1, bl),
                                       (bl, pf), (p0, p1), (m0, m1)]
        for i in 0..<64 {
            var bits: UInt16 = 0
            for (n, pair) in pairs.enumerated() where UInt8(i) & pair.0 != 0 && UInt8(i) & pair.1 != 0 {
                bits |= 1 << UInt16(n)
            }
            collision[i] = bits
        }
    }

    private func buildPriority() {
        let p0 = TIATables.p0Bit, m0 = TIATables.m0Bit, p1 = TIATables.p1Bit
        let m1 = TIATables.m1Bit, bl = TIATables.blBit, pf = TIATables.pfBit
        for half in 0..<2 {
            for enabled in 0..<256 {
                let e = UInt8(enabled)
                var color: UInt8 = 0
                if e & TIATables.priorityBit != 0 {
                    if e & (p1 | m1) != 0 { color = 3 }
                    if e & (p0 | m0) != 0 { color = 2 }
                    if e & bl != 0 { color = 1 }
                    if e & pf != 0 { color = 1 }
                } else {
                    if e & bl != 0 { color = 1 }
                    if e & pf != 0 { color = e & TIATables.scoreBit != 0 ? (half == 0 ? 2 : 3) : 1 }
                    if e & (p1 | m1) != 0 { color = color != 2 ? 3 : 2 }
                    if e & (p0 | m0) != 0 { color = 2 }
                }
                priority[half * 256 + enabled] = color
            }
        }
    }

    private func buildPlayerResetWhen() {
        let copies: [[Int]] = [[0], [0, 16], [0, 32], [0, 16, 32], [0, 64], [0], [0, 32, 64], [0]]
        for mode in 0..<8 {
            let width = mode == 5 ? 16 : (mode == 7 ? 32 : 8)
            for old in 0..<160 {
                let row = playerResetWhen + (mode * 160 + old) * 160
                for x in 0..<160 { row[x] = 0 }
                for newX in 0..<(160 + 72 + 5) {
                    for start in copies[mode] where newX >= old + start && newX < old + start + 4 {
                        row[newX % 160] = -1
                        break
                    }
                    for start in copies[mode] where newX >= old + start + 4 && newX < old + start + 4 + width {
                        row[newX % 160] = 1
                        break
                    }
                }
            }
        }
    }

    private func buildReflect() {
        for i in 0..<256 {
            var r: UInt8 = 0
            for bit in 0..<8 where i & (1 << bit) != 0 { r |= 0x80 >> UInt8(bit) }
            reflect[i] = r
        }
    }

    /// HMOVE's motion by the CPU cycle of the line it is strobed at and the HMxx nibble.
    static let completeMotion: [[Int]] = {
        var rows = [[Int]]()
        let hblank = [0, -1, -2, -3, -4, -5, -6, -7, 8, 7, 6, 5, 4, 3, 2, 1]
        rows.append(hblank); rows.append(hblank); rows.append(hblank); rows.append(hblank)
        rows.append([0, -1, -2, -3, -4, -5, -6, -6, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -3, -4, -5, -5, -5, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -3, -4, -5, -5, -5, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -3, -4, -4, -4, -4, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -3, -3, -3, -3, -3, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -2, -2, -2, -2, -2, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -2, -2, -2, -2, -2, -2, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, -1, -1, -1, -1, -1, -1, -1, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([1, 1, 1, 1, 1, 1, 1, 1, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([1, 1, 1, 1, 1, 1, 1, 1, 8, 7, 6, 5, 4, 3, 2, 1])
        rows.append([2, 2, 2, 2, 2, 2, 2, 2, 8, 7, 6, 5, 4, 3, 2, 2])
        rows.append([3, 3, 3, 3, 3, 3, 3, 3, 8, 7, 6, 5, 4, 3, 3, 3])
        rows.append([4, 4, 4, 4, 4, 4, 4, 4, 8, 7, 6, 5, 4, 4, 4, 4])
        rows.append([4, 4, 4, 4, 4, 4, 4, 4, 8, 7, 6, 5, 4, 4, 4, 4])
        rows.append([5, 5, 5, 5, 5, 5, 5, 5, 8, 7, 6, 5, 5, 5, 5, 5])
        rows.append([6, 6, 6, 6, 6, 6, 6, 6, 8, 7, 6, 6, 6, 6, 6, 6])
        for _ in 21..<55 { rows.append([Int](repeating: 0, count: 16)) }
        rows.append([0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, 0, 0, 0, 0, -1, -2, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, 0, 0, 0, -1, -2, -3, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, 0, 0, 0, -1, -2, -3, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, 0, 0, -1, -2, -3, -4, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, 0, -1, -2, -3, -4, -5, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, -1, -2, -3, -4, -5, -6, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, 0, -1, -2, -3, -4, -5, -6, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([0, -1, -2, -3, -4, -5, -6, -7, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([-1, -2, -3, -4, -5, -6, -7, -8, 0, 0, 0, 0, 0, 0, 0, 0])
        rows.append([-2, -3, -4, -5, -6, -7, -8, -9, 0, 0, 0, 0, 0, 0, 0, -1])
        rows.append([-2, -3, -4, -5, -6, -7, -8, -9, 0, 0, 0, 0, 0, 0, 0, -1])
        rows.append([-3, -4, -5, -6, -7, -8, -9, -10, 0, 0, 0, 0, 0, 0, -1, -2])
        rows.append([-4, -5, -6, -7, -8, -9, -10, -11, 0, 0, 0, 0, 0, -1, -2, -3])
        rows.append([-5, -6, -7, -8, -9, -10, -11, -12, 0, 0, 0, 0, -1, -2, -3, -4])
        rows.append([-5, -6, -7, -8, -9, -10, -11, -12, 0, 0, 0, 0, -1, -2, -3, -4])
        rows.append([-6, -7, -8, -9, -10, -11, -12, -13, 0, 0, 0, -1, -2, -3, -4, -5])
        rows.append([-7, -8, -9, -10, -11, -12, -13, -14, 0, 0, -1, -2, -3, -4, -5, -6])
        rows.append([-8, -9, -10, -11, -12, -13, -14, -15, 0, -1, -2, -3, -4, -5, -6, -7])
        rows.append([-8, -9, -10, -11, -12, -13, -14, -15, 0, -1, -2, -3, -4, -5, -6, -7])
        rows.append(hblank)
        precondition(rows.count == 76, "HMOVE motion table must have one row per CPU cycle of a line")
        return rows
    }()

    /// CPU cycles of a line at which HMOVE starts the 8-pixel HBLANK extension ("comb").
    static let hmoveBlankCycles: [Bool] = (0..<76).map { $0 <= 20 || $0 == 75 }

    /// Colour clocks after a write before the register takes effect on screen (-1: playfield,
    /// whose delay depends on the clock within the 4-clock playfield pixel).
    static let pokeDelay: [Int] = [
        0, 1, 0, 0, 8, 8, 0, 0, 0, 0, 0, 1, 1, -1, -1, -1,
        0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
}
