// The 6532 RIOT (RAM, I/O, timer) as ALE's Stella core models it. The interval timer is not
// clocked cycle by cycle: it remembers the cycle it was written at and computes its value on
// each read, exactly as ALE's M6532 does, including that model's behaviour after expiry
// (the counter keeps running down once per cycle and the interrupt flag reads back once).
// Cycle values are the console's frame-relative system cycles; the console rebases them at
// each frame start through `systemCyclesReset`.

/// RIOT state: 128 bytes of RAM, the interval timer and the port data-direction registers.
public struct RIOT: Sendable, Equatable {
    /// The 128 bytes of RAM at $80-$FF (mirrored wherever A7 is set and A9, A12 clear).
    public var ram = [UInt8](repeating: 0, count: 128)

    /// The value last written to the timer.
    var timer: UInt32 = 0
    /// log2 of the prescaler: 0, 3, 6 or 10 for 1, 8, 64, 1024 cycles per count.
    var intervalShift: UInt32 = 6
    /// System cycle at which the timer was written (wraps as ALE's uint32 does).
    var cyclesWhenTimerSet: UInt32 = 0
    /// System cycle at which the expired timer was first read (ALE's "interrupt reset").
    var cyclesWhenInterruptReset: UInt32 = 0
    /// Whether the timer was read after it expired.
    var timerReadAfterInterrupt = false
    /// Port A and B data-direction registers (ALE ignores writes to DDRB; it reads back 0).
    public var ddra: UInt8 = 0
    public var ddrb: UInt8 = 0

    public init() {}

    /// Power-on RAM: one draw per byte from the system generator, as ALE's M6532 constructor.
    mutating func randomizeRAM(_ random: inout ConsoleRandom) {
        for index in 0..<128 { ram[index] = UInt8(truncatingIfNeeded: random.next()) }
    }

    /// ALE's M6532::reset: the timer starts at 25 + (draw % 75) with the /64 prescaler,
    /// the DDRs are cleared; RAM is left as it is.
    mutating func reset(_ random: inout ConsoleRandom) {
        timer = 25 + random.next() % 75
        intervalShift = 6
        cyclesWhenTimerSet = 0
        cyclesWhenInterruptReset = 0
        timerReadAfterInterrupt = false
        ddra = 0
        ddrb = 0
    }

    /// The system's cycle counter is about to be set back by `cycles`.
    mutating func systemCyclesReset(_ cycles: UInt32) {
        cyclesWhenTimerSet &-= cycles
        cyclesWhenInterruptReset &-= cycles
    }

    /// A read of the I/O and timer registers (addresses with A9 set). `portA` and `portB` are
    /// the live controller and switch lines; `cycles` the system cycle of this access.
    mutating func read(_ address: UInt16, cycles: UInt32, portA: UInt8, portB: UInt8) -> UInt8 {
        switch address & 0x07 {
        case 0x00: return portA
        case 0x01: return ddra
        case 0x02: return portB
        case 0x03: return ddrb
        case 0x04, 0x06: return readTimer(cycles: cycles)
        default: return readInterruptFlag(cycles: cycles)
        }
    }

    /// INTIM as ALE computes it: the count until expiry, then a count that continues down
    /// once per cycle from the first read after expiry.
    private mutating func readTimer(cycles: UInt32) -> UInt8 {
        let delta = (cycles &- 1) &- cyclesWhenTimerSet
        var value = Int(Int32(bitPattern: timer)) - Int(Int32(bitPattern: delta >> intervalShift)) - 1
        if value >= 0 { return UInt8(truncatingIfNeeded: value) }
        value = Int(Int32(bitPattern: timer << intervalShift)) - Int(Int32(bitPattern: delta)) - 1
        if value <= -2 && !timerReadAfterInterrupt {
            timerReadAfterInterrupt = true
            cyclesWhenInterruptReset = cycles
        }
        if timerReadAfterInterrupt {
            let offset = Int32(bitPattern: cyclesWhenInterruptReset
                &- (cyclesWhenTimerSet &+ (timer << intervalShift)))
            value = Int(Int32(bitPattern: timer)) - Int(Int32(bitPattern: delta >> intervalShift))
                - Int(offset)
        }
        return UInt8(truncatingIfNeeded: value)
    }

    /// How many reads of INTIM, the first at system cycle `cycles` and then one every
    /// `every` cycles, certainly read a non-zero count before expiry (the reads that change
    /// nothing in the timer: `readTimer`'s first case with a value of at least 1). 0 when
    /// the timer is not counting down in that regime now.
    func timerReadsNonZero(from cycles: UInt32, every: Int) -> Int {
        let delta = (cycles &- 1) &- cyclesWhenTimerSet
        // A read at delta d gives timer - (d >> shift) - 1, at least 1 while
        // d <= ((timer - 1) << shift) - 1; far-away deltas (wrapped counters) are left alone.
        guard timer >= 2, delta < 0x4000_0000 else { return 0 }
        let limit = Int((timer - 1) << intervalShift) - 1
        let first = Int(delta)
        guard first <= limit else { return 0 }
        return (limit - first) / every + 1
    }

    /// TIMINT: bit 7 set once the timer expired and until the timer is read after expiry.
    private func readInterruptFlag(cycles: UInt32) -> UInt8 {
        let delta = (cycles &- 1) &- cyclesWhenTimerSet
        let value = Int(Int32(bitPattern: timer)) - Int(Int32(bitPattern: delta >> intervalShift)) - 1
        return (value >= 0 || timerReadAfterInterrupt) ? 0x00 : 0x80
    }

    /// A write to the I/O and timer registers. SWCHA and SWCHB writes reach no device in
    /// ALE (joysticks and paddles ignore output), DDRB writes are dropped.
    mutating func write(_ address: UInt16, _ value: UInt8, cycles: UInt32) {
        if address & 0x07 == 0x01 {
            ddra = value
        } else if address & 0x07 == 0x00 || address & 0x07 == 0x02 || address & 0x07 == 0x03 {
            return
        } else if address & 0x14 == 0x14 {
            timer = UInt32(value)
            switch address & 0x03 {
            case 0: intervalShift = 0
            case 1: intervalShift = 3
            case 2: intervalShift = 6
            default: intervalShift = 10
            }
            cyclesWhenTimerSet = cycles
            timerReadAfterInterrupt = false
        }
        // Edge-detect control ((address & 0x14) == 0x04) has no effect in ALE.
    }

    /// Appends the state to `out` (see Console's state format).
    func save(into out: inout StateWriter) {
        out.bytes(ram)
        out.u32(timer); out.u32(intervalShift); out.u32(cyclesWhenTimerSet)
        out.u32(cyclesWhenInterruptReset); out.bool(timerReadAfterInterrupt)
        out.u8(ddra); out.u8(ddrb)
    }

    mutating func restore(from input: inout StateReader) throws {
        ram = try input.bytes(128)
        timer = try input.u32(); intervalShift = try input.u32()
        cyclesWhenTimerSet = try input.u32(); cyclesWhenInterruptReset = try input.u32()
        timerReadAfterInterrupt = try input.bool()
        ddra = try input.u8(); ddrb = try input.u8()
    }
}
