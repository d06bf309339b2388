// The ALU operations of ALE's M6502.m4 (decimal mode and the undocumented opcodes
// included), as mutations of the registers. Everything is `@inline(__always)` so the
// decoder's switch (CPUInstructionSet.swift) compiles to straight-line code per opcode.

extension CPU6502 {
    // MARK: ALU.

    @inline(__always)
    mutating func setNZ(_ value: UInt8) {
        zero = value == 0
        negative = value & 0x80 != 0
    }

    @inline(__always) mutating func lda(_ value: UInt8) { a = value; setNZ(value) }
    @inline(__always) mutating func ldx(_ value: UInt8) { x = value; setNZ(value) }
    @inline(__always) mutating func ldy(_ value: UInt8) { y = value; setNZ(value) }
    @inline(__always) mutating func lax(_ value: UInt8) { a = value; x = value; setNZ(value) }
    @inline(__always) mutating func ora(_ value: UInt8) { a |= value; setNZ(a) }
    @inline(__always) mutating func and(_ value: UInt8) { a &= value; setNZ(a) }
    @inline(__always) mutating func eor(_ value: UInt8) { a ^= value; setNZ(a) }

    @inline(__always)
    mutating func compare(_ register: UInt8, _ value: UInt8) {
        let difference = register &- value
        setNZ(difference)
        carry = register >= value
    }

    @inline(__always)
    mutating func bit(_ value: UInt8) {
        zero = a & value == 0
        negative = value & 0x80 != 0
        overflow = value & 0x40 != 0
    }

    /// Stella's `ourBCDTable[0]`: a packed-BCD byte's value, also for non-BCD digits.
    @inline(__always)
    static func bcdValue(_ byte: UInt8) -> Int {
        Int(byte >> 4) * 10 + Int(byte & 0x0F)
    }

    /// Stella's `ourBCDTable[1]` for 0...255.
    @inline(__always)
    static func bcdByte(_ value: Int) -> UInt8 {
        UInt8(((value % 100) / 10) << 4 | (value % 10))
    }

    @inline(__always)
    mutating func adc(_ value: UInt8) {
        let carryIn = carry ? 1 : 0
        if !decimal {
            let signed = Int(Int8(bitPattern: a)) + Int(Int8(bitPattern: value)) + carryIn
            overflow = signed > 127 || signed < -128
            let sum = Int(a) + Int(value) + carryIn
            a = UInt8(truncatingIfNeeded: sum)
            carry = sum > 0xFF
            setNZ(a)
        } else {
            let oldA = a
            let sum = CPU6502.bcdValue(a) + CPU6502.bcdValue(value) + carryIn
            carry = sum > 99
            a = CPU6502.bcdByte(sum & 0xFF)
            setNZ(a)
            overflow = (oldA ^ a) & 0x80 != 0 && (a ^ value) & 0x80 != 0
        }
    }

    @inline(__always)
    mutating func sbc(_ value: UInt8) {
        if !decimal {
            adcBinary(~value)
        } else {
            let oldA = a
            let borrow = carry ? 0 : 1
            var difference = CPU6502.bcdValue(a) - CPU6502.bcdValue(value) - borrow
            if difference < 0 { difference += 100 }
            // Stella indexes its second BCD table with the difference; a difference still
            // negative (non-BCD operands only) lands in the first table, 256 entries back.
            a = difference >= 0
                ? CPU6502.bcdByte(difference)
                : UInt8(CPU6502.bcdValue(UInt8(256 + difference)))
            setNZ(a)
            carry = Int(oldA) >= Int(value) + borrow
            overflow = (oldA ^ a) & 0x80 != 0 && (a ^ value) & 0x80 != 0
        }
    }

    @inline(__always)
    mutating func adcBinary(_ value: UInt8) {
        let carryIn = carry ? 1 : 0
        let signed = Int(Int8(bitPattern: a)) + Int(Int8(bitPattern: value)) + carryIn
        overflow = signed > 127 || signed < -128
        let sum = Int(a) + Int(value) + carryIn
        a = UInt8(truncatingIfNeeded: sum)
        carry = sum > 0xFF
        setNZ(a)
    }

    @inline(__always)
    mutating func asl(_ value: UInt8) -> UInt8 {
        carry = value & 0x80 != 0
        let result = value << 1
        setNZ(result)
        return result
    }

    @inline(__always)
    mutating func lsr(_ value: UInt8) -> UInt8 {
        carry = value & 0x01 != 0
        let result = value >> 1
        setNZ(result)
        return result
    }

    @inline(__always)
    mutating func rol(_ value: UInt8) -> UInt8 {
        let result = value << 1 | (carry ? 1 : 0)
        carry = value & 0x80 != 0
        setNZ(result)
        return result
    }

    @inline(__always)
    mutating func ror(_ value: UInt8) -> UInt8 {
        let result = value >> 1 | (carry ? 0x80 : 0)
        carry = value & 0x01 != 0
        setNZ(result)
        return result
    }

    // Read-modify-write operations as static functions, so `modify` can take them as thin
    // function values that inline away.

    @inline(__always)
    static func asl(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 { cpu.asl(value) }
    @inline(__always)
    static func lsr(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 { cpu.lsr(value) }
    @inline(__always)
    static func rol(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 { cpu.rol(value) }
    @inline(__always)
    static func ror(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 { cpu.ror(value) }

    @inline(__always)
    static func inc(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = value &+ 1
        cpu.setNZ(result)
        return result
    }

    @inline(__always)
    static func dec(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = value &- 1
        cpu.setNZ(result)
        return result
    }

    /// SLO: ASL memory, then ORA.
    @inline(__always)
    static func slo(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = cpu.asl(value)
        cpu.ora(result)
        return result
    }

    /// RLA: ROL memory, then AND.
    @inline(__always)
    static func rla(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = cpu.rol(value)
        cpu.and(result)
        return result
    }

    /// SRE: LSR memory, then EOR.
    @inline(__always)
    static func sre(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = cpu.lsr(value)
        cpu.eor(result)
        return result
    }

    /// RRA: ROR memory, then ADC (with the carry the rotate produced).
    @inline(__always)
    static func rra(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = cpu.ror(value)
        cpu.adc(result)
        return result
    }

    /// DCP: DEC memory, then CMP.
    @inline(__always)
    static func dcp(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = value &- 1
        cpu.compare(cpu.a, result)
        return result
    }

    /// ISB (ISC): INC memory, then SBC.
    @inline(__always)
    static func isb(_ cpu: inout CPU6502, _ value: UInt8) -> UInt8 {
        let result = value &+ 1
        cpu.sbc(result)
        return result
    }

    /// SHA/SHS/SHX/SHY's mask as ALE computes it: the high byte of the final (indexed)
    /// address plus one. (Real NMOS parts use the base address's high byte and corrupt the
    /// target on page crossing; ALE does not model that.)
    @inline(__always)
    static func highBytePlusOne(_ address: UInt16) -> UInt8 {
        UInt8(truncatingIfNeeded: address >> 8) &+ 1
    }

    /// ANC: AND, then C = N.
    @inline(__always)
    mutating func anc(_ value: UInt8) {
        and(value)
        carry = negative
    }

    /// ASR (ALR): AND, then LSR A.
    @inline(__always)
    mutating func asr(_ value: UInt8) {
        a = lsr(a & value)
    }

    /// ARR: AND, then ROR A with 64doc's flags (and its decimal-mode fix-ups).
    @inline(__always)
    mutating func arr(_ value: UInt8) {
        if !decimal {
            a = (a & value) >> 1 | (carry ? 0x80 : 0)
            carry = a & 0x40 != 0
            overflow = (a & 0x40) ^ ((a & 0x20) << 1) != 0
            setNZ(a)
        } else {
            let anded = a & value
            a = anded >> 1 | (carry ? 0x80 : 0)
            negative = carry
            zero = a == 0
            overflow = (anded ^ a) & 0x40 != 0
            if (anded & 0x0F) + (anded & 0x01) > 0x05 {
                a = (a & 0xF0) | ((a &+ 0x06) & 0x0F)
            }
            if UInt16(anded & 0xF0) + UInt16(anded & 0x10) > 0x50 {
                a = a &+ 0x60
                carry = true
            } else {
                carry = false
            }
        }
    }

    /// SBX (AXS): X = (A & X) - operand, flags as CMP.
    @inline(__always)
    mutating func sbx(_ value: UInt8) {
        let anded = a & x
        x = anded &- value
        setNZ(x)
        carry = anded >= value
    }
}
