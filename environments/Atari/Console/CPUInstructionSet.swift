// The 6502 instruction set written once, over an abstract "instruction context": the CPU's
// registers plus a bus access that costs one cycle. `CPU6502.step` runs it over any `CPUBus`
// (the tests' flat buses); the console runs the same code over `ConsoleInterpreter`, whose
// accesses decode RAM and ROM inline with the registers and the clock held in locals for a
// whole run of instructions. Addressing modes make the exact dummy accesses of ALE's
// M6502Hi.m4; the ALU operations are CPU6502+Operations.swift.

/// What the instruction set needs: the registers and one-cycle bus accesses.
protocol CPUInstructionContext {
    var cpu: CPU6502 { get set }
    /// One cycle reading `address`.
    mutating func read(_ address: UInt16) -> UInt8
    /// One cycle writing `value` to `address`.
    mutating func write(_ address: UInt16, _ value: UInt8)
}

extension CPUInstructionContext {
    // MARK: Sequencing

    @inline(__always)
    mutating func fetch() -> UInt8 {
        let value = read(cpu.pc)
        cpu.pc &+= 1
        return value
    }

    /// The dummy read of the next byte that every one-byte instruction makes.
    @inline(__always)
    mutating func implied() {
        _ = read(cpu.pc)
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
        _ = read(cpu.pc)
        let target = cpu.pc &+ UInt16(bitPattern: Int16(Int8(bitPattern: offset)))
        if (target ^ cpu.pc) & 0xFF00 != 0 {
            _ = read((cpu.pc & 0xFF00) | (target & 0x00FF))
        }
        cpu.pc = target
    }

    // MARK: The decoder

    /// Executes one instruction (the CPU must not be halted). One switch, every addressing
    /// mode and ALU operation inlined: a single jump per instruction.
    @inline(__always)
    mutating func executeInstruction() {
        let opcode = fetch()
        switch opcode {
        // Loads and stores.
        case 0xA9: cpu.lda(immediate())
        case 0xA5: cpu.lda(readZeroPage())
        case 0xB5: cpu.lda(readZeroPageX())
        case 0xAD: cpu.lda(readAbsolute())
        case 0xBD: cpu.lda(readAbsoluteX())
        case 0xB9: cpu.lda(readAbsoluteY())
        case 0xA1: cpu.lda(readIndirectX())
        case 0xB1: cpu.lda(readIndirectY())
        case 0xA2: cpu.ldx(immediate())
        case 0xA6: cpu.ldx(readZeroPage())
        case 0xB6: cpu.ldx(readZeroPageY())
        case 0xAE: cpu.ldx(readAbsolute())
        case 0xBE: cpu.ldx(readAbsoluteY())
        case 0xA0: cpu.ldy(immediate())
        case 0xA4: cpu.ldy(readZeroPage())
        case 0xB4: cpu.ldy(readZeroPageX())
        case 0xAC: cpu.ldy(readAbsolute())
        case 0xBC: cpu.ldy(readAbsoluteX())
        case 0x85: write(addressZeroPage(), cpu.a)
        case 0x95: write(addressZeroPageX(), cpu.a)
        case 0x8D: write(addressAbsolute(), cpu.a)
        case 0x9D: write(addressAbsoluteXForWrite(), cpu.a)
        case 0x99: write(addressAbsoluteYForWrite(), cpu.a)
        case 0x81: write(addressIndirectX(), cpu.a)
        case 0x91: write(addressIndirectYForWrite(), cpu.a)
        case 0x86: write(addressZeroPage(), cpu.x)
        case 0x96: write(addressZeroPageY(), cpu.x)
        case 0x8E: write(addressAbsolute(), cpu.x)
        case 0x84: write(addressZeroPage(), cpu.y)
        case 0x94: write(addressZeroPageX(), cpu.y)
        case 0x8C: write(addressAbsolute(), cpu.y)

        // Register transfers and stack.
        case 0xAA: implied(); cpu.x = cpu.a; cpu.setNZ(cpu.x)
        case 0xA8: implied(); cpu.y = cpu.a; cpu.setNZ(cpu.y)
        case 0x8A: implied(); cpu.a = cpu.x; cpu.setNZ(cpu.a)
        case 0x98: implied(); cpu.a = cpu.y; cpu.setNZ(cpu.a)
        case 0xBA: implied(); cpu.x = cpu.sp; cpu.setNZ(cpu.x)
        case 0x9A: implied(); cpu.sp = cpu.x
        case 0x48: implied(); push(cpu.a)
        case 0x08: implied(); push(cpu.p)
        case 0x68:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.a = read(0x0100 | UInt16(cpu.sp)); cpu.setNZ(cpu.a)
        case 0x28:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.p = read(0x0100 | UInt16(cpu.sp))

        // Logic and arithmetic.
        case 0x09: cpu.ora(immediate())
        case 0x05: cpu.ora(readZeroPage())
        case 0x15: cpu.ora(readZeroPageX())
        case 0x0D: cpu.ora(readAbsolute())
        case 0x1D: cpu.ora(readAbsoluteX())
        case 0x19: cpu.ora(readAbsoluteY())
        case 0x01: cpu.ora(readIndirectX())
        case 0x11: cpu.ora(readIndirectY())
        case 0x29: cpu.and(immediate())
        case 0x25: cpu.and(readZeroPage())
        case 0x35: cpu.and(readZeroPageX())
        case 0x2D: cpu.and(readAbsolute())
        case 0x3D: cpu.and(readAbsoluteX())
        case 0x39: cpu.and(readAbsoluteY())
        case 0x21: cpu.and(readIndirectX())
        case 0x31: cpu.and(readIndirectY())
        case 0x49: cpu.eor(immediate())
        case 0x45: cpu.eor(readZeroPage())
        case 0x55: cpu.eor(readZeroPageX())
        case 0x4D: cpu.eor(readAbsolute())
        case 0x5D: cpu.eor(readAbsoluteX())
        case 0x59: cpu.eor(readAbsoluteY())
        case 0x41: cpu.eor(readIndirectX())
        case 0x51: cpu.eor(readIndirectY())
        case 0x69: cpu.adc(immediate())
        case 0x65: cpu.adc(readZeroPage())
        case 0x75: cpu.adc(readZeroPageX())
        case 0x6D: cpu.adc(readAbsolute())
        case 0x7D: cpu.adc(readAbsoluteX())
        case 0x79: cpu.adc(readAbsoluteY())
        case 0x61: cpu.adc(readIndirectX())
        case 0x71: cpu.adc(readIndirectY())
        case 0xE9, 0xEB: cpu.sbc(immediate())
        case 0xE5: cpu.sbc(readZeroPage())
        case 0xF5: cpu.sbc(readZeroPageX())
        case 0xED: cpu.sbc(readAbsolute())
        case 0xFD: cpu.sbc(readAbsoluteX())
        case 0xF9: cpu.sbc(readAbsoluteY())
        case 0xE1: cpu.sbc(readIndirectX())
        case 0xF1: cpu.sbc(readIndirectY())
        case 0xC9: cpu.compare(cpu.a, immediate())
        case 0xC5: cpu.compare(cpu.a, readZeroPage())
        case 0xD5: cpu.compare(cpu.a, readZeroPageX())
        case 0xCD: cpu.compare(cpu.a, readAbsolute())
        case 0xDD: cpu.compare(cpu.a, readAbsoluteX())
        case 0xD9: cpu.compare(cpu.a, readAbsoluteY())
        case 0xC1: cpu.compare(cpu.a, readIndirectX())
        case 0xD1: cpu.compare(cpu.a, readIndirectY())
        case 0xE0: cpu.compare(cpu.x, immediate())
        case 0xE4: cpu.compare(cpu.x, readZeroPage())
        case 0xEC: cpu.compare(cpu.x, readAbsolute())
        case 0xC0: cpu.compare(cpu.y, immediate())
        case 0xC4: cpu.compare(cpu.y, readZeroPage())
        case 0xCC: cpu.compare(cpu.y, readAbsolute())
        case 0x24: cpu.bit(readZeroPage())
        case 0x2C: cpu.bit(readAbsolute())

        // Increments and decrements.
        case 0xE8: implied(); cpu.x &+= 1; cpu.setNZ(cpu.x)
        case 0xC8: implied(); cpu.y &+= 1; cpu.setNZ(cpu.y)
        case 0xCA: implied(); cpu.x &-= 1; cpu.setNZ(cpu.x)
        case 0x88: implied(); cpu.y &-= 1; cpu.setNZ(cpu.y)
        case 0xE6: modify(addressZeroPage(), CPU6502.inc)
        case 0xF6: modify(addressZeroPageX(), CPU6502.inc)
        case 0xEE: modify(addressAbsolute(), CPU6502.inc)
        case 0xFE: modify(addressAbsoluteXForWrite(), CPU6502.inc)
        case 0xC6: modify(addressZeroPage(), CPU6502.dec)
        case 0xD6: modify(addressZeroPageX(), CPU6502.dec)
        case 0xCE: modify(addressAbsolute(), CPU6502.dec)
        case 0xDE: modify(addressAbsoluteXForWrite(), CPU6502.dec)

        // Shifts and rotates.
        case 0x0A: implied(); cpu.a = cpu.asl(cpu.a)
        case 0x06: modify(addressZeroPage(), CPU6502.asl)
        case 0x16: modify(addressZeroPageX(), CPU6502.asl)
        case 0x0E: modify(addressAbsolute(), CPU6502.asl)
        case 0x1E: modify(addressAbsoluteXForWrite(), CPU6502.asl)
        case 0x4A: implied(); cpu.a = cpu.lsr(cpu.a)
        case 0x46: modify(addressZeroPage(), CPU6502.lsr)
        case 0x56: modify(addressZeroPageX(), CPU6502.lsr)
        case 0x4E: modify(addressAbsolute(), CPU6502.lsr)
        case 0x5E: modify(addressAbsoluteXForWrite(), CPU6502.lsr)
        case 0x2A: implied(); cpu.a = cpu.rol(cpu.a)
        case 0x26: modify(addressZeroPage(), CPU6502.rol)
        case 0x36: modify(addressZeroPageX(), CPU6502.rol)
        case 0x2E: modify(addressAbsolute(), CPU6502.rol)
        case 0x3E: modify(addressAbsoluteXForWrite(), CPU6502.rol)
        case 0x6A: implied(); cpu.a = cpu.ror(cpu.a)
        case 0x66: modify(addressZeroPage(), CPU6502.ror)
        case 0x76: modify(addressZeroPageX(), CPU6502.ror)
        case 0x6E: modify(addressAbsolute(), CPU6502.ror)
        case 0x7E: modify(addressAbsoluteXForWrite(), CPU6502.ror)

        // Jumps, calls, returns, interrupts.
        case 0x4C: cpu.pc = addressAbsolute()
        case 0x6C: cpu.pc = addressIndirect()
        case 0x20:
            let low = UInt16(fetch())
            _ = read(0x0100 | UInt16(cpu.sp))
            push(UInt8(truncatingIfNeeded: cpu.pc >> 8))
            push(UInt8(truncatingIfNeeded: cpu.pc))
            cpu.pc = low | UInt16(read(cpu.pc)) << 8
        case 0x60:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            let low = UInt16(read(0x0100 | UInt16(cpu.sp))); cpu.sp &+= 1
            cpu.pc = low | UInt16(read(0x0100 | UInt16(cpu.sp))) << 8
            _ = read(cpu.pc); cpu.pc &+= 1
        case 0x40:
            implied()
            _ = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            cpu.p = read(0x0100 | UInt16(cpu.sp)); cpu.sp &+= 1
            let low = UInt16(read(0x0100 | UInt16(cpu.sp))); cpu.sp &+= 1
            cpu.pc = low | UInt16(read(0x0100 | UInt16(cpu.sp))) << 8
        case 0x00:
            _ = fetch()
            push(UInt8(truncatingIfNeeded: cpu.pc >> 8))
            push(UInt8(truncatingIfNeeded: cpu.pc))
            push(cpu.p)
            cpu.interruptDisable = true
            let low = UInt16(read(0xFFFE))
            cpu.pc = low | UInt16(read(0xFFFF)) << 8

        // Branches.
        case 0x10: branch(if: !cpu.negative)
        case 0x30: branch(if: cpu.negative)
        case 0x50: branch(if: !cpu.overflow)
        case 0x70: branch(if: cpu.overflow)
        case 0x90: branch(if: !cpu.carry)
        case 0xB0: branch(if: cpu.carry)
        case 0xD0: branch(if: !cpu.zero)
        case 0xF0: branch(if: cpu.zero)

        // Flag instructions.
        case 0x18: implied(); cpu.carry = false
        case 0x38: implied(); cpu.carry = true
        case 0x58: implied(); cpu.interruptDisable = false
        case 0x78: implied(); cpu.interruptDisable = true
        case 0xB8: implied(); cpu.overflow = false
        case 0xD8: implied(); cpu.decimal = false
        case 0xF8: implied(); cpu.decimal = true

        // NOPs, official and not (each reads what its addressing mode reads).
        case 0xEA, 0x1A, 0x3A, 0x5A, 0x7A, 0xDA, 0xFA: implied()
        case 0x80, 0x82, 0x89, 0xC2, 0xE2: _ = immediate()
        case 0x04, 0x44, 0x64: _ = readZeroPage()
        case 0x14, 0x34, 0x54, 0x74, 0xD4, 0xF4: _ = readZeroPageX()
        case 0x0C: _ = readAbsolute()
        case 0x1C, 0x3C, 0x5C, 0x7C, 0xDC, 0xFC: _ = readAbsoluteX()

        // Undocumented read-modify-write combinations.
        case 0x07: modify(addressZeroPage(), CPU6502.slo)
        case 0x17: modify(addressZeroPageX(), CPU6502.slo)
        case 0x0F: modify(addressAbsolute(), CPU6502.slo)
        case 0x1F: modify(addressAbsoluteXForWrite(), CPU6502.slo)
        case 0x1B: modify(addressAbsoluteYForWrite(), CPU6502.slo)
        case 0x03: modify(addressIndirectX(), CPU6502.slo)
        case 0x13: modify(addressIndirectYForWrite(), CPU6502.slo)
        case 0x27: modify(addressZeroPage(), CPU6502.rla)
        case 0x37: modify(addressZeroPageX(), CPU6502.rla)
        case 0x2F: modify(addressAbsolute(), CPU6502.rla)
        case 0x3F: modify(addressAbsoluteXForWrite(), CPU6502.rla)
        case 0x3B: modify(addressAbsoluteYForWrite(), CPU6502.rla)
        case 0x23: modify(addressIndirectX(), CPU6502.rla)
        case 0x33: modify(addressIndirectYForWrite(), CPU6502.rla)
        case 0x47: modify(addressZeroPage(), CPU6502.sre)
        case 0x57: modify(addressZeroPageX(), CPU6502.sre)
        case 0x4F: modify(addressAbsolute(), CPU6502.sre)
        case 0x5F: modify(addressAbsoluteXForWrite(), CPU6502.sre)
        case 0x5B: modify(addressAbsoluteYForWrite(), CPU6502.sre)
        case 0x43: modify(addressIndirectX(), CPU6502.sre)
        case 0x53: modify(addressIndirectYForWrite(), CPU6502.sre)
        case 0x67: modify(addressZeroPage(), CPU6502.rra)
        case 0x77: modify(addressZeroPageX(), CPU6502.rra)
        case 0x6F: modify(addressAbsolute(), CPU6502.rra)
        case 0x7F: modify(addressAbsoluteXForWrite(), CPU6502.rra)
        case 0x7B: modify(addressAbsoluteYForWrite(), CPU6502.rra)
        case 0x63: modify(addressIndirectX(), CPU6502.rra)
        case 0x73: modify(addressIndirectYForWrite(), CPU6502.rra)
        case 0xC7: modify(addressZeroPage(), CPU6502.dcp)
        case 0xD7: modify(addressZeroPageX(), CPU6502.dcp)
        case 0xCF: modify(addressAbsolute(), CPU6502.dcp)
        case 0xDF: modify(addressAbsoluteXForWrite(), CPU6502.dcp)
        case 0xDB: modify(addressAbsoluteYForWrite(), CPU6502.dcp)
        case 0xC3: modify(addressIndirectX(), CPU6502.dcp)
        case 0xD3: modify(addressIndirectYForWrite(), CPU6502.dcp)
        case 0xE7: modify(addressZeroPage(), CPU6502.isb)
        case 0xF7: modify(addressZeroPageX(), CPU6502.isb)
        case 0xEF: modify(addressAbsolute(), CPU6502.isb)
        case 0xFF: modify(addressAbsoluteXForWrite(), CPU6502.isb)
        case 0xFB: modify(addressAbsoluteYForWrite(), CPU6502.isb)
        case 0xE3: modify(addressIndirectX(), CPU6502.isb)
        case 0xF3: modify(addressIndirectYForWrite(), CPU6502.isb)

        // Undocumented loads and stores.
        case 0xA7: cpu.lax(readZeroPage())
        case 0xB7: cpu.lax(readZeroPageY())
        case 0xAF: cpu.lax(readAbsolute())
        case 0xBF: cpu.lax(readAbsoluteY())
        case 0xA3: cpu.lax(readIndirectX())
        case 0xB3: cpu.lax(readIndirectY())
        case 0x87: write(addressZeroPage(), cpu.a & cpu.x)
        case 0x97: write(addressZeroPageY(), cpu.a & cpu.x)
        case 0x8F: write(addressAbsolute(), cpu.a & cpu.x)
        case 0x83: write(addressIndirectX(), cpu.a & cpu.x)
        case 0x93:
            let address = addressIndirectYForWrite()
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case 0x9F:
            let address = addressAbsoluteYForWrite()
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case 0x9B:
            let address = addressAbsoluteYForWrite()
            cpu.sp = cpu.a & cpu.x
            write(address, cpu.a & cpu.x & CPU6502.highBytePlusOne(address))
        case 0x9E:
            let address = addressAbsoluteYForWrite()
            write(address, cpu.x & CPU6502.highBytePlusOne(address))
        case 0x9C:
            let address = addressAbsoluteXForWrite()
            write(address, cpu.y & CPU6502.highBytePlusOne(address))
        case 0xBB:
            let value = cpu.sp & readAbsoluteY()
            cpu.a = value; cpu.x = value; cpu.sp = value; cpu.setNZ(value)

        // Undocumented immediate operations.
        case 0x0B, 0x2B: cpu.anc(immediate())
        case 0x4B: cpu.asr(immediate())
        case 0x6B: cpu.arr(immediate())
        case 0x8B: cpu.a = (cpu.a | 0xEE) & cpu.x & immediate(); cpu.setNZ(cpu.a)
        case 0xAB: cpu.a = (cpu.a | 0xEE) & immediate(); cpu.x = cpu.a; cpu.setNZ(cpu.a)
        case 0xCB: cpu.sbx(immediate())

        // KIL/JAM ($02, $12, $22, $32, $42, $52, $62, $72, $92, $B2, $D2, $F2).
        default:
            cpu.halted = true
        }
    }
}
