// The pieces `CPU6502.step` is built from: bus access with cycle counting, the addressing
// modes with the exact dummy accesses of ALE's M6502Hi.m4, and the ALU operations of
// M6502.m4 (decimal mode and the undocumented opcodes included). Everything is
// `@inline(__always)` so the big switch compiles to straight-line code per opcode.

extension CPU6502 {
    // MARK: Bus access: every call is one cycle.

    @inline(__always)
    mutating func read<Bus: CPUBus>(_ bus: Bus, _ address: UInt16) -> UInt8 {
        accesses &+= 1
        return bus.read(address)
    }

    @inline(__always)
    mutating func write<Bus: CPUBus>(_ bus: Bus, _ address: UInt16, _ value: UInt8) {
        accesses &+= 1
        bus.write(address, value)
    }

    @inline(__always)
    mutating func fetch<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        let value = read(bus, pc)
        pc &+= 1
        return value
    }

    /// The dummy read of the next byte that every one-byte instruction makes.
    @inline(__always)
    mutating func implied<Bus: CPUBus>(_ bus: Bus) {
        _ = read(bus, pc)
    }

    @inline(__always)
    mutating func push<Bus: CPUBus>(_ bus: Bus, _ value: UInt8) {
        write(bus, 0x0100 | UInt16(sp), value)
        sp &-= 1
    }

    // MARK: Addressing modes that produce an operand (read instructions).

    @inline(__always)
    mutating func immediate<Bus: CPUBus>(_ bus: Bus) -> UInt8 { fetch(bus) }

    @inline(__always)
    mutating func readZeroPage<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        read(bus, UInt16(fetch(bus)))
    }

    @inline(__always)
    mutating func readZeroPageX<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        read(bus, addressZeroPageX(bus))
    }

    @inline(__always)
    mutating func readZeroPageY<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        read(bus, addressZeroPageY(bus))
    }

    @inline(__always)
    mutating func readAbsolute<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        read(bus, addressAbsolute(bus))
    }

    /// abs,X / abs,Y / (zp),Y reads: the first read is at the un-carried address; only when
    /// the index crosses a page is the right address read again (one more cycle).
    @inline(__always)
    mutating func readIndexed<Bus: CPUBus>(_ bus: Bus, base: UInt16, index: UInt8) -> UInt8 {
        let low = (base & 0xFF) &+ UInt16(index)
        let high = base & 0xFF00
        let value = read(bus, high | (low & 0xFF))
        if low > 0xFF { return read(bus, base &+ UInt16(index)) }
        return value
    }

    @inline(__always)
    mutating func readAbsoluteX<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        readIndexed(bus, base: addressAbsolute(bus), index: x)
    }

    @inline(__always)
    mutating func readAbsoluteY<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        readIndexed(bus, base: addressAbsolute(bus), index: y)
    }

    @inline(__always)
    mutating func readIndirectX<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        read(bus, addressIndirectX(bus))
    }

    @inline(__always)
    mutating func readIndirectY<Bus: CPUBus>(_ bus: Bus) -> UInt8 {
        readIndexed(bus, base: zeroPagePointer(bus), index: y)
    }

    // MARK: Addressing modes that produce an address (writes and read-modify-writes).

    @inline(__always)
    mutating func addressZeroPage<Bus: CPUBus>(_ bus: Bus) -> UInt16 { UInt16(fetch(bus)) }

    @inline(__always)
    mutating func addressZeroPageX<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        let base = fetch(bus)
        _ = read(bus, UInt16(base))
        return UInt16(base &+ x)
    }

    @inline(__always)
    mutating func addressZeroPageY<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        let base = fetch(bus)
        _ = read(bus, UInt16(base))
        return UInt16(base &+ y)
    }

    @inline(__always)
    mutating func addressAbsolute<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        let low = UInt16(fetch(bus))
        return low | UInt16(fetch(bus)) << 8
    }

    /// Indexed write and read-modify-write: the dummy read at the un-carried address is
    /// always made, page crossing or not.
    @inline(__always)
    mutating func addressIndexedForWrite<Bus: CPUBus>(_ bus: Bus, base: UInt16, index: UInt8) -> UInt16 {
        _ = read(bus, (base & 0xFF00) | ((base &+ UInt16(index)) & 0xFF))
        return base &+ UInt16(index)
    }

    @inline(__always)
    mutating func addressAbsoluteXForWrite<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        addressIndexedForWrite(bus, base: addressAbsolute(bus), index: x)
    }

    @inline(__always)
    mutating func addressAbsoluteYForWrite<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        addressIndexedForWrite(bus, base: addressAbsolute(bus), index: y)
    }

    @inline(__always)
    mutating func addressIndirectX<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        var pointer = fetch(bus)
        _ = read(bus, UInt16(pointer))
        pointer &+= x
        let low = UInt16(read(bus, UInt16(pointer)))
        return low | UInt16(read(bus, UInt16(pointer &+ 1))) << 8
    }

    /// The 16-bit pointer stored at a zero-page address (wrapping within page 0).
    @inline(__always)
    mutating func zeroPagePointer<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        let pointer = fetch(bus)
        let low = UInt16(read(bus, UInt16(pointer)))
        return low | UInt16(read(bus, UInt16(pointer &+ 1))) << 8
    }

    @inline(__always)
    mutating func addressIndirectYForWrite<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        addressIndexedForWrite(bus, base: zeroPagePointer(bus), index: y)
    }

    /// JMP ($nnnn) with the NMOS bug: the high byte comes from the same page as the low.
    @inline(__always)
    mutating func addressIndirect<Bus: CPUBus>(_ bus: Bus) -> UInt16 {
        let pointer = addressAbsolute(bus)
        let highAddress = (pointer & 0xFF00) | ((pointer &+ 1) & 0x00FF)
        let low = UInt16(read(bus, pointer))
        return low | UInt16(read(bus, highAddress)) << 8
    }

    /// The read, the dummy write of the unmodified value, then the write of the result.
    @inline(__always)
    mutating func modify<Bus: CPUBus>(
        _ bus: Bus, _ address: UInt16, _ operation: (inout CPU6502, UInt8) -> UInt8
    ) {
        let value = read(bus, address)
        write(bus, address, value)
        let result = operation(&self, value)
        write(bus, address, result)
    }

    /// Relative branch: +1 cycle (a dummy read of the next opcode) when taken, +1 more (a read
    /// at the un-carried target) when the target is on another page.
    @inline(__always)
    mutating func branch<Bus: CPUBus>(_ bus: Bus, if condition: Bool) {
        let offset = fetch(bus)
        guard condition else { return }
        _ = read(bus, pc)
        let target = pc &+ UInt16(bitPattern: Int16(Int8(bitPattern: offset)))
        if (target ^ pc) & 0xFF00 != 0 {
            _ = read(bus, (pc & 0xFF00) | (target & 0x00FF))
        }
        pc = target
    }

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
