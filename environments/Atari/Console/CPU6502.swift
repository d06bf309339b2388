// The 6507 (a 6502 with 13 address lines) as ALE's Stella core emulates it: one bus access per
// cycle in the NMOS order, dummy reads and writes included, so the TIA sees each access at the
// cycle it happens. The state is a plain value (copying it is the save). The instruction set
// itself is CPUInstructionSet.swift, written once over an "instruction context"; `step` runs
// it over any `CPUBus`, and the console runs it over its own context (ConsoleInterpreter).

/// The console's CPU: registers, flags and the instruction interpreter.
///
/// Facts followed (ALE's `M6502`, `M6502Hi` and `M6502.m4`): reset clears A, X, Y, sets SP to
/// $FF and the status to $20 with B set (no randomisation), and loads PC from $FFFC/$FFFD;
/// the B flag reads as 1 at all times (the 6507 has no interrupt lines, PLP/RTI cannot clear
/// it); decimal mode uses Stella's BCD tables, which behave as real NMOS parts for valid BCD
/// operands; the twelve KIL opcodes ($02, $12, ..., $F2) are not implemented by ALE and stop
/// the CPU with a fatal error, reported here as `halted`.
public struct CPU6502: Sendable, Equatable {
    /// Accumulator and index registers.
    public var a: UInt8 = 0
    public var x: UInt8 = 0
    public var y: UInt8 = 0
    /// Stack pointer (the stack is page 1).
    public var sp: UInt8 = 0xFF
    /// Program counter: a full 16-bit value even though only 13 lines leave the chip (the FE
    /// cartridge scheme looks at A13, so the console must pass the full address on).
    public var pc: UInt16 {
        @inline(__always) get { UInt16(truncatingIfNeeded: programCounter) }
        @inline(__always) set { programCounter = UInt32(newValue) }
    }

    /// The program counter's storage, 32 bits wide so that every load and store of it has
    /// the same width: with a 16-bit field LLVM widened the opcode fetch's load to 32 bits,
    /// which cannot be forwarded from the previous instruction's 16-bit store and stalled
    /// every instruction (a third of the CPU's time in the console).
    var programCounter: UInt32 = 0

    /// Status flags. B is not stored: it always reads as 1 on ALE's 6507.
    public var negative = false
    public var overflow = false
    public var decimal = false
    public var interruptDisable = false
    public var zero = false
    public var carry = false

    /// True once the CPU executed a KIL/JAM opcode (ALE's fatal error). A halted CPU makes no
    /// further bus access: `step` returns 0 until `reset`. The console must end the frame.
    public var halted = false

    public init() {}

    /// The status register as a byte: NV1BDIZC with bit 5 and B always set.
    ///
    /// Both accessors are always inlined. SwiftPM's release builds generate code one file at
    /// a time (`-num-threads`), so LLVM cannot inline a call into another file; an outlined
    /// setter takes the CPU's address, and in the console's CPU loop (ConsoleInterpreter) that
    /// kept the clock and much of the loop's context in memory: Pong ran 16% slower.
    public var p: UInt8 {
        @inline(__always) get {
            var value: UInt8 = 0x30
            if negative { value |= 0x80 }
            if overflow { value |= 0x40 }
            if decimal { value |= 0x08 }
            if interruptDisable { value |= 0x04 }
            if zero { value |= 0x02 }
            if carry { value |= 0x01 }
            return value
        }
        @inline(__always) set {
            negative = newValue & 0x80 != 0
            overflow = newValue & 0x40 != 0
            decimal = newValue & 0x08 != 0
            interruptDisable = newValue & 0x04 != 0
            zero = newValue & 0x02 != 0
            carry = newValue & 0x01 != 0
        }
    }

    /// Power-on/reset as ALE does it: registers cleared, SP = $FF, P = $20 (B set, all other
    /// flags clear), PC from the reset vector.
    ///
    /// ALE reads the vector with `System::peek`, which does not advance the clock; this
    /// method reads it through `bus` (two calls), so a console that counts cycles on its bus
    /// should use `reset(resetVector:)` with a peek of its own instead when the cycle count
    /// matters.
    public mutating func reset(bus: some CPUBus) {
        let low = UInt16(bus.read(0xFFFC))
        let high = UInt16(bus.read(0xFFFD))
        reset(resetVector: low | high << 8)
    }

    /// Reset with the vector already read (see `reset(bus:)`).
    public mutating func reset(resetVector: UInt16) {
        a = 0; x = 0; y = 0
        sp = 0xFF
        p = 0x20
        pc = resetVector
        halted = false
    }

    /// Executes one instruction and returns its cycles, which equal the bus accesses it made.
    /// Returns 0 without touching the bus when the CPU is halted.
    ///
    /// Never inlined: inlined into a loop over a local copy of the CPU, LLVM promotes every
    /// register to SSA across the 256-way switch and compiling the module takes many minutes.
    /// The console does not use this per-instruction entry (see ConsoleInterpreter).
    @inline(never)
    public mutating func step<Bus: CPUBus>(bus: Bus) -> Int {
        if halted { return 0 }
        var context = BusContext(cpu: self, bus: bus)
        context.executeInstruction()
        self = context.cpu
        return context.accesses
    }
}

/// The instruction set over any `CPUBus`, counting the accesses (the instruction's cycles).
struct BusContext<Bus: CPUBus>: CPUInstructionContext {
    var cpu: CPU6502
    let bus: Bus
    var pc: UInt16 {
        @inline(__always) get { cpu.pc }
        @inline(__always) set { cpu.pc = newValue }
    }
    var accesses = 0

    init(cpu: CPU6502, bus: Bus) {
        self.cpu = cpu
        self.bus = bus
    }

    @inline(__always)
    mutating func read(_ address: UInt16) -> UInt8 {
        accesses &+= 1
        return bus.read(address)
    }

    @inline(__always)
    mutating func write(_ address: UInt16, _ value: UInt8) {
        accesses &+= 1
        bus.write(address, value)
    }

    mutating func halt() {
        cpu.halted = true
    }
}
