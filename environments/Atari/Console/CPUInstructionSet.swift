// The 6502 instruction set written once, over an abstract "instruction context": the CPU's
// registers plus a bus access that costs one cycle. `CPU6502.step` runs it over any `CPUBus`
// (the tests' flat buses); the console runs the same code over `ConsoleInterpreter`, whose
// accesses decode RAM and ROM inline with the registers and the clock held in locals for a
// whole run of instructions. Addressing modes make the exact dummy accesses of ALE's
// M6502Hi.m4; the ALU operations are CPU6502+Operations.swift.

/// What the instruction set needs: the registers and one-cycle bus accesses.
protocol CPUInstructionContext {
    var cpu: CPU6502 { get set }
    /// The program counter (a context may hold it apart from `cpu`, in a register).
    var pc: UInt16 { get set }
    /// One cycle reading `address`.
    mutating func read(_ address: UInt16) -> UInt8
    /// One cycle writing `value` to `address`.
    mutating func write(_ address: UInt16, _ value: UInt8)
    /// A KIL/JAM opcode: sets `cpu.halted` (and lets a run of instructions stop).
    mutating func halt()
}

extension CPUInstructionContext {
    // MARK: Sequencing

    @inline(__always)
    mutating func fetch() -> UInt8 {
        let value = read(pc)
        pc &+= 1
        return value
    }

    /// The dummy read of the next byte that every one-byte instruction makes.
    @inline(__always)
    mutating func implied() {
        _ = read(pc)
    }

    @inline(__always)
    mutating func push(_ value: UInt8) {
        write(0x0100 | UInt16(cpu.sp), value)
        cpu.sp &-= 1
    }

    // MARK: Addressing modes that produce an operand (read instructions).

    @inline(__always)
    mutating func immediate() -> UInt8 { fetch() }

    @inline(__always)
    mutating func readZeroPage() -> UInt8 {
        read(UInt16(fetch()))
    }

    @inline(__always)
    mutating func readZeroPageX() -> UInt8 {
        read(addressZeroPageX())
    }

    @inline(__always)
    mutating func readZeroPageY() -> UInt8 {
        read(addressZeroPageY())
    }

    @inline(__always)
    mutating func readAbsolute() -> UInt8 {
        read(addressAbsolute())
    }

    /// abs,X / abs,Y / (zp),Y reads: the first read is at the un-carried address; only when
    /// the index crosses a page is the right address read again (one more cycle).
    @inline(__always)
    mutating func readIndexed(base: UInt16, index: UInt8) -> UInt8 {
        let low = (base & 0xFF) &+ UInt16(index)
        let high = base & 0xFF00
        let value = read(high | (low & 0xFF))
        if low > 0xFF { return read(base &+ UInt16(index)) }
        return value
    }

    @inline(__always)
    mutating func readAbsoluteX() -> UInt8 {
        readIndexed(base: addressAbsolute(), index: cpu.x)
    }

    @inline(__always)
    mutating func readAbsoluteY() -> UInt8 {
        readIndexed(base: addressAbsolute(), index: cpu.y)
    }

    @inline(__always)
    mutating func readIndirectX() -> UInt8 {
        read(addressIndirectX())
    }

    @inline(__always)
    mutating func readIndirectY() -> UInt8 {
        readIndexed(base: zeroPagePointer(), index: cpu.y)
    }

    // MARK: Addressing modes that produce an address (writes and read-modify-writes).

    @inline(__always)
    mutating func addressZeroPage() -> UInt16 { UInt16(fetch()) }

    @inline(__always)
    mutating func addressZeroPageX() -> UInt16 {
        let base = fetch()
        _ = read(UInt16(base))
        return UInt16(base &+ cpu.x)
    }

    @inline(__always)
    mutating func addressZeroPageY() -> UInt16 {
        let base = fetch()
        _ = read(UInt16(base))
        return UInt16(base &+ cpu.y)
    }

    @inline(__always)
    mutating func addressAbsolute() -> UInt16 {
        let low = UInt16(fetch())
        return low | UInt16(fetch()) << 8
    }

    /// Indexed write and read-modify-write: the dummy read at the un-carried address is
    /// always made, page crossing or not.
    @inline(__always)
    mutating func addressIndexedForWrite(base: UInt16, index: UInt8) -> UInt16 {
        _ = read((base & 0xFF00) | ((base &+ UInt16(index)) & 0xFF))
        return base &+ UInt16(index)
    }

    @inline(__always)
    mutating func addressAbsoluteXForWrite() -> UInt16 {
        addressIndexedForWrite(base: addressAbsolute(), index: cpu.x)
    }

    @inline(__always)
    mutating func addressAbsoluteYForWrite() -> UInt16 {
        addressIndexedForWrite(base: addressAbsolute(), index: cpu.y)
    }

    @inline(__always)
    mutating func addressIndirectX() -> UInt16 {
        var pointer = fetch()
        _ = read(UInt16(pointer))
        pointer &+= cpu.x
        let low = UInt16(read(UInt16(pointer)))
        return low | UInt16(read(UInt16(pointer &+ 1))) << 8
    }

    /// The 16-bit pointer stored at a zero-page address (wrapping within page 0).
    @inline(__always)
    mutating func zeroPagePointer() -> UInt16 {
        let pointer = fetch()
        let low = UInt16(read(UInt16(pointer)))
        return low | UInt16(read(UInt16(pointer &+ 1))) << 8
    }

    @inline(__always)
    mutating func addressIndirectYForWrite() -> UInt16 {
        addressIndexedForWrite(base: zeroPagePointer(), index: cpu.y)
    }

    /// JMP ($nnnn) with the NMOS bug: the high byte comes from the same page as the low.
    @inline(__always)
    mutating func addressIndirect() -> UInt16 {
        let pointer = addressAbsolute()
        let highAddress = (pointer & 0xFF00) | ((pointer &+ 1) & 0x00FF)
        let low = UInt16(read(pointer))
        return low | UInt16(read(highAddress)) << 8
    }

    /// The read, the dummy write of the unmodified value, then the write of the result.
    @inline(__always)
    mutating func modify(_ address: UInt16, _ operation: (inout CPU6502, UInt8) -> UInt8) {
        let value = read(address)
        write(address, value)
        let result = operation(&cpu, value)
        write(address, result)
    }

    /// Relative branch: +1 cycle (a dummy read of the next opcode) when taken, +1 more (a read
    /// at the un-carried target) when the target is on another page.
    @inline(__always)
    mutating func branch(if condition: Bool) {
        let offset = fetch()
        guard condition else { return }
        _ = read(pc)
        let target = pc &+ UInt16(bitPattern: Int16(Int8(bitPattern: offset)))
        if (target ^ pc) & 0xFF00 != 0 {
            _ = read((pc & 0xFF00) | (target & 0x00FF))
        }
        pc = target
    }

    // MARK: The decoder

    /// Executes one instruction (the CPU must not be halted). One switch over `CPUOpcode`
    /// (one jump table, no range test), every addressing mode and ALU operation inlined: a
    /// single jump per instruction.
    @inline(__always)
    mutating func executeInstruction() {
        switch CPUOpcode(fetch()) {
        // Loads and stores.
        case .xA9: cpu.lda(immediate())
        case .xA5: cpu.lda(readZeroPage())
        case .xB5: cpu.lda(readZeroPageX())
        case .xAD: cpu.lda(readAbsolute())
        case .xBD: cpu.lda(readAbsoluteX())
        case .xB9: cpu.lda(readAbsoluteY())
        case .xA1: cpu.lda(readIndirectX())
        case .xB1: cpu.lda(readIndirectY())
        case .xA2: cpu.ldx(immediate())
        case .xA6: cpu.ldx(readZeroPage())
        case .xB6: cpu.ldx(readZeroPageY())
        case .xAE: cpu.ldx(readAbsolute())
        case .xBE: cpu.ldx(readAbsoluteY())
        case .xA0: cpu.ldy(immediate())
        case .xA4: cpu.ldy(readZeroPage())
        case .xB4: cpu.ldy(readZeroPageX())
        case .xAC: cpu.ldy(readAbsolute())
        case .xBC: cpu.ldy(readAbsoluteX())
        case .x85: write(addressZeroPage(), cpu.a)
        case .x95: write(addressZeroPageX(), cpu.a)
        case .x8D: write(addressAbsolute(), cpu.a)
        case .x9D: write(addressAbsoluteXForWrite(), cpu.a)
        case .x99: write(addressAbsoluteYForWrite(), cpu.a)
        case .x81: write(addressIndirectX(), cpu.a)
        case .x91: write(addressIndirectYForWrite(), cpu.a)
        case .x86: write(addressZeroPage(), cpu.x)
        case .x96: write(addressZeroPageY(), cpu.x)
        case .x8E: write(addressAbsolute(), cpu.x)
        case .x84: write(addressZeroPage(), cpu.y)
        case .x94: write(addressZeroPageX(), cpu.y)
        case .x8C: write(addressAbsolute(), cpu.y)

        // Register transfers and stack.
        case .xAA: implied(); cpu.x = cpu.a; cpu.setNZ(cpu.x)
        case .xA8: implied(); cpu.y = cpu.a; cpu.setNZ(cpu.y)
        case .x8A: implied(); cpu.a = cpu.x; cpu.setNZ(cpu.a)
        case .x98: implied(); cpu.a = cpu.y; cpu.setNZ(cpu.a)
        case .xBA: implied(); cpu.x = cpu.sp; cpu.setNZ(cpu.x)
        case .x9A: implied(); cpu.sp = cpu.x
        case .x48: implied(); push(cpu.a)
        case .x08: implied(); push(cpu.p)
        case .x68:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.a = read(0x0100 | UInt16(cpu.sp)); cpu.setNZ(cpu.a)
        case .x28:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.p = read(0x0100 | UInt16(cpu.sp))

        // Logic and arithmetic.
        case .x09: cpu.ora(immediate())
        case .x05: cpu.ora(readZeroPage())
        case .x15: cpu.ora(readZeroPageX())
        case .x0D: cpu.ora(readAbsolute())
        case .x1D: cpu.ora(readAbsoluteX())
        case .x19: cpu.ora(readAbsoluteY())
        case .x01: cpu.ora(readIndirectX())
        case .x11: cpu.ora(readIndirectY())
        case .x29: cpu.and(immediate())
        case .x25: cpu.and(readZeroPage())
        case .x35: cpu.and(readZeroPageX())
        case .x2D: cpu.and(readAbsolute())
        case .x3D: cpu.and(readAbsoluteX())
        case .x39: cpu.and(readAbsoluteY())
        case .x21: cpu.and(readIndirectX())
        case .x31: cpu.and(readIndirectY())
        case .x49: cpu.eor(immediate())
        case .x45: cpu.eor(readZeroPage())
        case .x55: cpu.eor(readZeroPageX())
        case .x4D: cpu.eor(readAbsolute())
        case .x5D: cpu.eor(readAbsoluteX())
        case .x59: cpu.eor(readAbsoluteY())
        case .x41: cpu.eor(readIndirectX())
        case .x51: cpu.eor(readIndirectY())
        case .x69: cpu.adc(immediate())
        case .x65: cpu.adc(readZeroPage())
        case .x75: cpu.adc(readZeroPageX())
        case .x6D: cpu.adc(readAbsolute())
        case .x7D: cpu.adc(readAbsoluteX())
        case .x79: cpu.adc(readAbsoluteY())
        case .x61: cpu.adc(readIndirectX())
        case .x71: cpu.adc(readIndirectY())
        case .xE9, .xEB: cpu.sbc(immediate())
        case .xE5: cpu.sbc(readZeroPage())
        case .xF5: cpu.sbc(readZeroPageX())
        case .xED: cpu.sbc(readAbsolute())
        case .xFD: cpu.sbc(readAbsoluteX())
        case .xF9: cpu.sbc(readAbsoluteY())
        case .xE1: cpu.sbc(readIndirectX())
        case .xF1: cpu.sbc(readIndirectY())
        case .xC9: cpu.compare(cpu.a, immediate())
        case .xC5: cpu.compare(cpu.a, readZeroPage())
        case .xD5: cpu.compare(cpu.a, readZeroPageX())
        case .xCD: cpu.compare(cpu.a, readAbsolute())
        case .xDD: cpu.compare(cpu.a, readAbsoluteX())
        case .xD9: cpu.compare(cpu.a, readAbsoluteY())
        case .xC1: cpu.compare(cpu.a, readIndirectX())
        case .xD1: cpu.compare(cpu.a, readIndirectY())
        case .xE0: cpu.compare(cpu.x, immediate())
        case .xE4: cpu.compare(cpu.x, readZeroPage())
        case .xEC: cpu.compare(cpu.x, readAbsolute())
        case .xC0: cpu.compare(cpu.y, immediate())
        case .xC4: cpu.compare(cpu.y, readZeroPage())
        case .xCC: cpu.compare(cpu.y, readAbsolute())
        case .x24: cpu.bit(readZeroPage())
        case .x2C: cpu.bit(readAbsolute())

        // Increments and decrements.
        case .xE8: implied(); cpu.x &+= 1; cpu.setNZ(cpu.x)
        case .xC8: implied(); cpu.y &+= 1; cpu.setNZ(cpu.y)
        case .xCA: implied(); cpu.x &-= 1; cpu.setNZ(cpu.x)
        case .x88: implied(); cpu.y &-= 1; cpu.setNZ(cpu.y)
        case .xE6: modify(addressZeroPage(), CPU6502.inc)
        case .xF6: modify(addressZeroPageX(), CPU6502.inc)
        case .xEE: modify(addressAbsolute(), CPU6502.inc)
        case .xFE: modify(addressAbsoluteXForWrite(), CPU6502.inc)
        case .xC6: modify(addressZeroPage(), CPU6502.dec)
        case .xD6: modify(addressZeroPageX(), CPU6502.dec)
        case .xCE: modify(addressAbsolute(), CPU6502.dec)
        case .xDE: modify(addressAbsoluteXForWrite(), CPU6502.dec)

        // Shifts and rotates.
        case .x0A: implied(); cpu.a = cpu.asl(cpu.a)
        case .x06: modify(addressZeroPage(), CPU6502.asl)
        case .x16: modify(addressZeroPageX(), CPU6502.asl)
        case .x0E: modify(addressAbsolute(), CPU6502.asl)
        case .x1E: modify(addressAbsoluteXForWrite(), CPU6502.asl)
        case .x4A: implied(); cpu.a = cpu.lsr(cpu.a)
        case .x46: modify(addressZeroPage(), CPU6502.lsr)
        case .x56: modify(addressZeroPageX(), CPU6502.lsr)
        case .x4E: modify(addressAbsolute(), CPU6502.lsr)
        case .x5E: modify(addressAbsoluteXForWrite(), CPU6502.lsr)
        case .x2A: implied(); cpu.a = cpu.rol(cpu.a)
        case .x26: modify(addressZeroPage(), CPU6502.rol)
        case .x36: modify(addressZeroPageX(), CPU6502.rol)
        case .x2E: modify(addressAbsolute(), CPU6502.rol)
        case .x3E: modify(addressAbsoluteXForWrite(), CPU6502.rol)
        case .x6A: implied(); cpu.a = cpu.ror(cpu.a)
        case .x66: modify(addressZeroPage(), CPU6502.ror)
        case .x76: modify(addressZeroPageX(), CPU6502.ror)
        case .x6E: modify(addressAbsolute(), CPU6502.ror)
        case .x7E: modify(addressAbsoluteXForWrite(), CPU6502.ror)

        // Jumps, calls, returns, interrupts.
        case .x4C: pc = addressAbsolute()
        case .x6C: pc = addressIndirect()
        case .x20:
            let low = UInt16(fetch())
            _ = read(0x0100 | UInt16(cpu.sp))
            push(UInt8(truncatingIfNeeded: pc >> 8))
            push(UInt8(truncatingIfNeeded: pc))
            pc = low | UInt16(read(pc)) << 8
        case .x60:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            let low = UInt16(read(0x0100 | UInt16(cpu.sp))); cpu.sp &+= 1
            pc = low | UInt16(read(0x0100 | UInt16(cpu.sp))) << 8
            _ = read(pc); pc &+= 1
        case .x40:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.p = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            let low = UInt16(read(0x0100 | UInt16(cpu.sp))); cpu.sp &+= 1
            pc = low | UInt16(read(0x0100 | UInt16(cpu.sp))) << 8
        case .x00:
            _ = fetch()
            push(UInt8(truncatingIfNeeded: pc >> 8))
            push(UInt8(truncatingIfNeeded: pc))
            push(cpu.p)
            cpu.interruptDisable = true
            let low = UInt16(read(0xFFFE))
            pc = low | UInt16(read(0xFFFF)) << 8

        // Branches.
        case .x10: branch(if: !cpu.negative)
        case .x30: branch(if: cpu.negative)
        case .x50: branch(if: !cpu.overflow)
        case .x70: branch(if: cpu.overflow)
        case .x90: branch(if: !cpu.carry)
        case .xB0: branch(if: cpu.carry)
        case .xD0: branch(if: !cpu.zero)
        case .xF0: branch(if: cpu.zero)

        // Flag instructions.
        case .x18: implied(); cpu.carry = false
        case .x38: implied(); cpu.carry = true
        case .x58: implied(); cpu.interruptDisable = false
        case .x78: implied(); cpu.interruptDisable = true
        case .xB8: implied(); cpu.overflow = false
        case .xD8: implied(); cpu.decimal = false
        case .xF8: implied(); cpu.decimal = true

        // NOPs, official and not (each reads what its addressing mode reads).
        case .xEA, .x1A, .x3A, .x5A, .x7A, .xDA, .xFA: implied()
        case .x80, .x82, .x89, .xC2, .xE2: _ = immediate()
        case .x04, .x44, .x64: _ = readZeroPage()
        case .x14, .x34, .x54, .x74, .xD4, .xF4: _ = readZeroPageX()
        case .x0C: _ = readAbsolute()
        case .x1C, .x3C, .x5C, .x7C, .xDC, .xFC: _ = readAbsoluteX()

        // Undocumented read-modify-write combinations.
        case .x07: modify(addressZeroPage(), CPU6502.slo)
        case .x17: modify(addressZeroPageX(), CPU6502.slo)
        case .x0F: modify(addressAbsolute(), CPU6502.slo)
        case .x1F: modify(addressAbsoluteXForWrite(), CPU6502.slo)
        case .x1B: modify(addressAbsoluteYForWrite(), CPU6502.slo)
        case .x03: modify(addressIndirectX(), CPU6502.slo)
        case .x13: modify(addressIndirectYForWrite(), CPU6502.slo)
        case .x27: modify(addressZeroPage(), CPU6502.rla)
        case .x37: modify(addressZeroPageX(), CPU6502.rla)
        case .x2F: modify(addressAbsolute(), CPU6502.rla)
        case .x3F: modify(addressAbsoluteXForWrite(), CPU6502.rla)
        case .x3B: modify(addressAbsoluteYForWrite(), CPU6502.rla)
        case .x23: modify(addressIndirectX(), CPU6502.rla)
        case .x33: modify(addressIndirectYForWrite(), CPU6502.rla)
        case .x47: modify(addressZeroPage(), CPU6502.sre)
        case .x57: modify(addressZeroPageX(), CPU6502.sre)
        case .x4F: modify(addressAbsolute(), CPU6502.sre)
        case .x5F: modify(addressAbsoluteXForWrite(), CPU6502.sre)
        case .x5B: modify(addressAbsoluteYForWrite(), CPU6502.sre)
        case .x43: modify(addressIndirectX(), CPU6502.sre)
        case .x53: modify(addressIndirectYForWrite(), CPU6502.sre)
        case .x67: modify(addressZeroPage(), CPU6502.rra)
        case .x77: modify(addressZeroPageX(), CPU6502.rra)
        case .x6F: modify(addressAbsolute(), CPU6502.rra)
        case .x7F: modify(addressAbsoluteXForWrite(), CPU6502.rra)
        case .x7B: modify(addressAbsoluteYForWrite(), CPU6502.rra)
        case .x63: modify(addressIndirectX(), CPU6502.rra)
        case .x73: modify(addressIndirectYForWrite(), CPU6502.rra)
        case .xC7: modify(addressZeroPage(), CPU6502.dcp)
        case .xD7: modify(addressZeroPageX(), CPU6502.dcp)
        case .xCF: modify(addressAbsolute(), CPU6502.dcp)
        case .xDF: modify(addressAbsoluteXForWrite(), CPU6502.dcp)
        case .xDB: modify(addressAbsoluteYForWrite(), CPU6502.dcp)
        case .xC3: modify(addressIndirectX(), CPU6502.dcp)
        case .xD3: modify(addressIndirectYForWrite(), CPU6502.dcp)
        case .xE7: modify(addressZeroPage(), CPU6502.isb)
        case .xF7: modify(addressZeroPageX(), CPU6502.isb)
        case .xEF: modify(addressAbsolute(), CPU6502.isb)
        case .xFF: modify(addressAbsoluteXForWrite(), CPU6502.isb)
        case .xFB: modify(addressAbsoluteYForWrite(), CPU6502.isb)
        case .xE3: modify(addressIndirectX(), CPU6502.isb)
        case .xF3: modify(addressIndirectYForWrite(), CPU6502.isb)

        // Undocumented loads and stores.
        case .xA7: cpu.lax(readZeroPage())
        case .xB7: cpu.lax(readZeroPageY())
        case .xAF: cpu.lax(readAbsolute())
        case .xBF: cpu.lax(readAbsoluteY())
        case .xA3: cpu.lax(readIndirectX())
        case .xB3: cpu.lax(readIndirectY())
        case .x87: write(addressZeroPage(), cpu.a & cpu.x)
        case .x97: write(addressZeroPageY(), cpu.a & cpu.x)
        case .x8F: write(addressAbsolute(), cpu.a & cpu.x)
        case .x83: write(addressIndirectX(), cpu.a & cpu.x)
        case .x93:
            let address = addressIndirectYForWrite()
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case .x9F:
            let address = addressAbsoluteYForWrite()
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case .x9B:
            let address = addressAbsoluteYForWrite()
            cpu.sp = cpu.a & cpu.x
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case .x9E:
            let address = addressAbsoluteYForWrite()
            write(address, cpu.x & CPU6502.highBytePlusOne(address))
        case .x9C:
            let address = addressAbsoluteXForWrite()
            write(address, cpu.y & CPU6502.highBytePlusOne(address))
        case .xBB:
            let value = cpu.sp & readAbsoluteY()
            cpu.a = value; cpu.x = value; cpu.sp = value; cpu.setNZ(value)

        // Undocumented immediate operations.
        case .x0B, .x2B: cpu.anc(immediate())
        case .x4B: cpu.asr(immediate())
        case .x6B: cpu.arr(immediate())
        case .x8B: cpu.a = (cpu.a | 0xEE) & cpu.x & immediate(); cpu.setNZ(cpu.a)
        case .xAB: cpu.a = (cpu.a | 0xEE) & immediate(); cpu.x = cpu.a; cpu.setNZ(cpu.a)
        case .xCB: cpu.sbx(immediate())

        // KIL/JAM ($02, $12, $22, $32, $42, $52, $62, $72, $92, $B2, $D2, $F2).
        default:
            halt()
        }
    }
}
