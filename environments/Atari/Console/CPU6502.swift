// The 6507 (a 6502 with 13 address lines) as ALE's Stella core emulates it: one bus access per
// cycle in the NMOS order, dummy reads and writes included, so the TIA sees each access at the
// cycle it happens. The state is a plain value (copying it is the save); the instruction
// decoder is one switch in `step` with addressing modes and ALU operations inlined from
// CPU6502+Operations.swift, which keeps dispatch to a single jump per instruction.

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

    /// Bus accesses made by the instruction in progress (the cycle count `step` returns).
    var accesses = 0

    public init() {}

    /// The status register as a byte: NV1BDIZC with bit 5 and B always set.
    public var p: UInt8 {
        get {
            var value: UInt8 = 0x30
            if negative { value |= 0x80 }
            if overflow { value |= 0x40 }
            if decimal { value |= 0x08 }
            if interruptDisable { value |= 0x04 }
            if zero { value |= 0x02 }
            if carry { value |= 0x01 }
            return value
        }
        set {
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
        accesses = 0
    }

    /// Executes one instruction and returns its cycles, which equal the bus accesses it made.
    /// Returns 0 without touching the bus when the CPU is halted.
    ///
    /// Never inlined: inlined into a loop over a local copy of the CPU, LLVM promotes every
    /// register to SSA across the 256-way switch and compiling the module takes many minutes.
    /// A call per instruction costs far less than that is worth.
    @inline(never)
    public mutating func step<Bus: CPUBus>(bus: Bus) -> Int {
        if halted { return 0 }
        accesses = 0
        let opcode = fetch(bus)
        switch opcode {
        // Loads and stores.
        case 0xA9: lda(immediate(bus))
        case 0xA5: lda(readZeroPage(bus))
        case 0xB5: lda(readZeroPageX(bus))
        case 0xAD: lda(readAbsolute(bus))
        case 0xBD: lda(readAbsoluteX(bus))
        case 0xB9: lda(readAbsoluteY(bus))
        case 0xA1: lda(readIndirectX(bus))
        case 0xB1: lda(readIndirectY(bus))
        case 0xA2: ldx(immediate(bus))
        case 0xA6: ldx(readZeroPage(bus))
        case 0xB6: ldx(readZeroPageY(bus))
        case 0xAE: ldx(readAbsolute(bus))
        case 0xBE: ldx(readAbsoluteY(bus))
        case 0xA0: ldy(immediate(bus))
        case 0xA4: ldy(readZeroPage(bus))
        case 0xB4: ldy(readZeroPageX(bus))
        case 0xAC: ldy(readAbsolute(bus))
        case 0xBC: ldy(readAbsoluteX(bus))
        case 0x85: write(bus, addressZeroPage(bus), a)
        case 0x95: write(bus, addressZeroPageX(bus), a)
        case 0x8D: write(bus, addressAbsolute(bus), a)
        case 0x9D: write(bus, addressAbsoluteXForWrite(bus), a)
        case 0x99: write(bus, addressAbsoluteYForWrite(bus), a)
        case 0x81: write(bus, addressIndirectX(bus), a)
        case 0x91: write(bus, addressIndirectYForWrite(bus), a)
        case 0x86: write(bus, addressZeroPage(bus), x)
        case 0x96: write(bus, addressZeroPageY(bus), x)
        case 0x8E: write(bus, addressAbsolute(bus), x)
        case 0x84: write(bus, addressZeroPage(bus), y)
        case 0x94: write(bus, addressZeroPageX(bus), y)
        case 0x8C: write(bus, addressAbsolute(bus), y)

        // Register transfers and stack.
        case 0xAA: implied(bus); x = a; setNZ(x)
        case 0xA8: implied(bus); y = a; setNZ(y)
        case 0x8A: implied(bus); a = x; setNZ(a)
        case 0x98: implied(bus); a = y; setNZ(a)
        case 0xBA: implied(bus); x = sp; setNZ(x)
        case 0x9A: implied(bus); sp = x
        case 0x48: implied(bus); push(bus, a)
        case 0x08: implied(bus); push(bus, p)
        case 0x68:
            implied(bus)
            _ = read(bus, 0x0100 | UInt16(sp)); sp &+= 1
            a = read(bus, 0x0100 | UInt16(sp)); setNZ(a)
        case 0x28:
            implied(bus)
            _ = read(bus, 0x0100 | UInt16(sp)); sp &+= 1
            p = read(bus, 0x0100 | UInt16(sp))

        // Logic and arithmetic.
        case 0x09: ora(immediate(bus))
        case 0x05: ora(readZeroPage(bus))
        case 0x15: ora(readZeroPageX(bus))
        case 0x0D: ora(readAbsolute(bus))
        case 0x1D: ora(readAbsoluteX(bus))
        case 0x19: ora(readAbsoluteY(bus))
        case 0x01: ora(readIndirectX(bus))
        case 0x11: ora(readIndirectY(bus))
        case 0x29: and(immediate(bus))
        case 0x25: and(readZeroPage(bus))
        case 0x35: and(readZeroPageX(bus))
        case 0x2D: and(readAbsolute(bus))
        case 0x3D: and(readAbsoluteX(bus))
        case 0x39: and(readAbsoluteY(bus))
        case 0x21: and(readIndirectX(bus))
        case 0x31: and(readIndirectY(bus))
        case 0x49: eor(immediate(bus))
        case 0x45: eor(readZeroPage(bus))
        case 0x55: eor(readZeroPageX(bus))
        case 0x4D: eor(readAbsolute(bus))
        case 0x5D: eor(readAbsoluteX(bus))
        case 0x59: eor(readAbsoluteY(bus))
        case 0x41: eor(readIndirectX(bus))
        case 0x51: eor(readIndirectY(bus))
        case 0x69: adc(immediate(bus))
        case 0x65: adc(readZeroPage(bus))
        case 0x75: adc(readZeroPageX(bus))
        case 0x6D: adc(readAbsolute(bus))
        case 0x7D: adc(readAbsoluteX(bus))
        case 0x79: adc(readAbsoluteY(bus))
        case 0x61: adc(readIndirectX(bus))
        case 0x71: adc(readIndirectY(bus))
        case 0xE9, 0xEB: sbc(immediate(bus))
        case 0xE5: sbc(readZeroPage(bus))
        case 0xF5: sbc(readZeroPageX(bus))
        case 0xED: sbc(readAbsolute(bus))
        case 0xFD: sbc(readAbsoluteX(bus))
        case 0xF9: sbc(readAbsoluteY(bus))
        case 0xE1: sbc(readIndirectX(bus))
        case 0xF1: sbc(readIndirectY(bus))
        case 0xC9: compare(a, immediate(bus))
        case 0xC5: compare(a, readZeroPage(bus))
        case 0xD5: compare(a, readZeroPageX(bus))
        case 0xCD: compare(a, readAbsolute(bus))
        case 0xDD: compare(a, readAbsoluteX(bus))
        case 0xD9: compare(a, readAbsoluteY(bus))
        case 0xC1: compare(a, readIndirectX(bus))
        case 0xD1: compare(a, readIndirectY(bus))
        case 0xE0: compare(x, immediate(bus))
        case 0xE4: compare(x, readZeroPage(bus))
        case 0xEC: compare(x, readAbsolute(bus))
        case 0xC0: compare(y, immediate(bus))
        case 0xC4: compare(y, readZeroPage(bus))
        case 0xCC: compare(y, readAbsolute(bus))
        case 0x24: bit(readZeroPage(bus))
        case 0x2C: bit(readAbsolute(bus))

        // Increments and decrements.
        case 0xE8: implied(bus); x &+= 1; setNZ(x)
        case 0xC8: implied(bus); y &+= 1; setNZ(y)
        case 0xCA: implied(bus); x &-= 1; setNZ(x)
        case 0x88: implied(bus); y &-= 1; setNZ(y)
        case 0xE6: modify(bus, addressZeroPage(bus), CPU6502.inc)
        case 0xF6: modify(bus, addressZeroPageX(bus), CPU6502.inc)
        case 0xEE: modify(bus, addressAbsolute(bus), CPU6502.inc)
        case 0xFE: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.inc)
        case 0xC6: modify(bus, addressZeroPage(bus), CPU6502.dec)
        case 0xD6: modify(bus, addressZeroPageX(bus), CPU6502.dec)
        case 0xCE: modify(bus, addressAbsolute(bus), CPU6502.dec)
        case 0xDE: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.dec)

        // Shifts and rotates.
        case 0x0A: implied(bus); a = asl(a)
        case 0x06: modify(bus, addressZeroPage(bus), CPU6502.asl)
        case 0x16: modify(bus, addressZeroPageX(bus), CPU6502.asl)
        case 0x0E: modify(bus, addressAbsolute(bus), CPU6502.asl)
        case 0x1E: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.asl)
        case 0x4A: implied(bus); a = lsr(a)
        case 0x46: modify(bus, addressZeroPage(bus), CPU6502.lsr)
        case 0x56: modify(bus, addressZeroPageX(bus), CPU6502.lsr)
        case 0x4E: modify(bus, addressAbsolute(bus), CPU6502.lsr)
        case 0x5E: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.lsr)
        case 0x2A: implied(bus); a = rol(a)
        case 0x26: modify(bus, addressZeroPage(bus), CPU6502.rol)
        case 0x36: modify(bus, addressZeroPageX(bus), CPU6502.rol)
        case 0x2E: modify(bus, addressAbsolute(bus), CPU6502.rol)
        case 0x3E: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.rol)
        case 0x6A: implied(bus); a = ror(a)
        case 0x66: modify(bus, addressZeroPage(bus), CPU6502.ror)
        case 0x76: modify(bus, addressZeroPageX(bus), CPU6502.ror)
        case 0x6E: modify(bus, addressAbsolute(bus), CPU6502.ror)
        case 0x7E: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.ror)

        // Jumps, calls, returns, interrupts.
        case 0x4C: pc = addressAbsolute(bus)
        case 0x6C: pc = addressIndirect(bus)
        case 0x20:
            let low = UInt16(fetch(bus))
            _ = read(bus, 0x0100 | UInt16(sp))
            push(bus, UInt8(truncatingIfNeeded: pc >> 8))
            push(bus, UInt8(truncatingIfNeeded: pc))
            pc = low | UInt16(read(bus, pc)) << 8
        case 0x60:
            implied(bus)
            _ = read(bus, 0x0100 | UInt16(sp)); sp &+= 1
            let low = UInt16(read(bus, 0x0100 | UInt16(sp))); sp &+= 1
            pc = low | UInt16(read(bus, 0x0100 | UInt16(sp))) << 8
            _ = read(bus, pc); pc &+= 1
        case 0x40:
            implied(bus)
            _ = read(bus, 0x0100 | UInt16(sp)); sp &+= 1
            p = read(bus, 0x0100 | UInt16(sp)); sp &+= 1
            let low = UInt16(read(bus, 0x0100 | UInt16(sp))); sp &+= 1
            pc = low | UInt16(read(bus, 0x0100 | UInt16(sp))) << 8
        case 0x00:
            _ = fetch(bus)
            push(bus, UInt8(truncatingIfNeeded: pc >> 8))
            push(bus, UInt8(truncatingIfNeeded: pc))
            push(bus, p)
            interruptDisable = true
            let low = UInt16(read(bus, 0xFFFE))
            pc = low | UInt16(read(bus, 0xFFFF)) << 8

        // Branches.
        case 0x10: branch(bus, if: !negative)
        case 0x30: branch(bus, if: negative)
        case 0x50: branch(bus, if: !overflow)
        case 0x70: branch(bus, if: overflow)
        case 0x90: branch(bus, if: !carry)
        case 0xB0: branch(bus, if: carry)
        case 0xD0: branch(bus, if: !zero)
        case 0xF0: branch(bus, if: zero)

        // Flag instructions.
        case 0x18: implied(bus); carry = false
        case 0x38: implied(bus); carry = true
        case 0x58: implied(bus); interruptDisable = false
        case 0x78: implied(bus); interruptDisable = true
        case 0xB8: implied(bus); overflow = false
        case 0xD8: implied(bus); decimal = false
        case 0xF8: implied(bus); decimal = true

        // NOPs, official and not (each reads what its addressing mode reads).
        case 0xEA, 0x1A, 0x3A, 0x5A, 0x7A, 0xDA, 0xFA: implied(bus)
        case 0x80, 0x82, 0x89, 0xC2, 0xE2: _ = immediate(bus)
        case 0x04, 0x44, 0x64: _ = readZeroPage(bus)
        case 0x14, 0x34, 0x54, 0x74, 0xD4, 0xF4: _ = readZeroPageX(bus)
        case 0x0C: _ = readAbsolute(bus)
        case 0x1C, 0x3C, 0x5C, 0x7C, 0xDC, 0xFC: _ = readAbsoluteX(bus)

        // Undocumented read-modify-write combinations.
        case 0x07: modify(bus, addressZeroPage(bus), CPU6502.slo)
        case 0x17: modify(bus, addressZeroPageX(bus), CPU6502.slo)
        case 0x0F: modify(bus, addressAbsolute(bus), CPU6502.slo)
        case 0x1F: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.slo)
        case 0x1B: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.slo)
        case 0x03: modify(bus, addressIndirectX(bus), CPU6502.slo)
        case 0x13: modify(bus, addressIndirectYForWrite(bus), CPU6502.slo)
        case 0x27: modify(bus, addressZeroPage(bus), CPU6502.rla)
        case 0x37: modify(bus, addressZeroPageX(bus), CPU6502.rla)
        case 0x2F: modify(bus, addressAbsolute(bus), CPU6502.rla)
        case 0x3F: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.rla)
        case 0x3B: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.rla)
        case 0x23: modify(bus, addressIndirectX(bus), CPU6502.rla)
        case 0x33: modify(bus, addressIndirectYForWrite(bus), CPU6502.rla)
        case 0x47: modify(bus, addressZeroPage(bus), CPU6502.sre)
        case 0x57: modify(bus, addressZeroPageX(bus), CPU6502.sre)
        case 0x4F: modify(bus, addressAbsolute(bus), CPU6502.sre)
        case 0x5F: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.sre)
        case 0x5B: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.sre)
        case 0x43: modify(bus, addressIndirectX(bus), CPU6502.sre)
        case 0x53: modify(bus, addressIndirectYForWrite(bus), CPU6502.sre)
        case 0x67: modify(bus, addressZeroPage(bus), CPU6502.rra)
        case 0x77: modify(bus, addressZeroPageX(bus), CPU6502.rra)
        case 0x6F: modify(bus, addressAbsolute(bus), CPU6502.rra)
        case 0x7F: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.rra)
        case 0x7B: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.rra)
        case 0x63: modify(bus, addressIndirectX(bus), CPU6502.rra)
        case 0x73: modify(bus, addressIndirectYForWrite(bus), CPU6502.rra)
        case 0xC7: modify(bus, addressZeroPage(bus), CPU6502.dcp)
        case 0xD7: modify(bus, addressZeroPageX(bus), CPU6502.dcp)
        case 0xCF: modify(bus, addressAbsolute(bus), CPU6502.dcp)
        case 0xDF: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.dcp)
        case 0xDB: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.dcp)
        case 0xC3: modify(bus, addressIndirectX(bus), CPU6502.dcp)
        case 0xD3: modify(bus, addressIndirectYForWrite(bus), CPU6502.dcp)
        case 0xE7: modify(bus, addressZeroPage(bus), CPU6502.isb)
        case 0xF7: modify(bus, addressZeroPageX(bus), CPU6502.isb)
        case 0xEF: modify(bus, addressAbsolute(bus), CPU6502.isb)
        case 0xFF: modify(bus, addressAbsoluteXForWrite(bus), CPU6502.isb)
        case 0xFB: modify(bus, addressAbsoluteYForWrite(bus), CPU6502.isb)
        case 0xE3: modify(bus, addressIndirectX(bus), CPU6502.isb)
        case 0xF3: modify(bus, addressIndirectYForWrite(bus), CPU6502.isb)

        // Undocumented loads and stores.
        case 0xA7: lax(readZeroPage(bus))
        case 0xB7: lax(readZeroPageY(bus))
        case 0xAF: lax(readAbsolute(bus))
        case 0xBF: lax(readAbsoluteY(bus))
        case 0xA3: lax(readIndirectX(bus))
        case 0xB3: lax(readIndirectY(bus))
        case 0x87: write(bus, addressZeroPage(bus), a & x)
        case 0x97: write(bus, addressZeroPageY(bus), a & x)
        case 0x8F: write(bus, addressAbsolute(bus), a & x)
        case 0x83: write(bus, addressIndirectX(bus), a & x)
        case 0x93:
            let address = addressIndirectYForWrite(bus)
            write(bus, address, a & x & CPU6502.highBytePlusOne(address))
        case 0x9F:
            let address = addressAbsoluteYForWrite(bus)
            write(bus, address, a & x & CPU6502.highBytePlusOne(address))
        case 0x9B:
            let address = addressAbsoluteYForWrite(bus)
            sp = a & x
            write(bus, address, a & x & CPU6502.highBytePlusOne(address))
        case 0x9E:
            let address = addressAbsoluteYForWrite(bus)
            write(bus, address, x & CPU6502.highBytePlusOne(address))
        case 0x9C:
            let address = addressAbsoluteXForWrite(bus)
            write(bus, address, y & CPU6502.highBytePlusOne(address))
        case 0xBB:
            let value = sp & readAbsoluteY(bus)
            a = value; x = value; sp = value; setNZ(value)

        // Undocumented immediate operations.
        case 0x0B, 0x2B: anc(immediate(bus))
        case 0x4B: asr(immediate(bus))
        case 0x6B: arr(immediate(bus))
        case 0x8B: a = (a | 0xEE) & x & immediate(bus); setNZ(a)
        case 0xAB: a = (a | 0xEE) & immediate(bus); x = a; setNZ(a)
        case 0xCB: sbx(immediate(bus))

        // KIL/JAM ($02, $12, $22, $32, $42, $52, $62, $72, $92, $B2, $D2, $F2).
        default:
            halted = true
        }
        return accesses
    }
}
