// Cycle counts and bus-access order of representative instructions, against the NMOS 6502
// timing tables (MOS programming manual; "6502.txt"/64doc cycle-by-cycle listings) and ALE's
// M6502Hi.m4, which makes exactly those accesses: every access is one cycle.
import AtariConsole
import Testing

/// A 64 KiB RAM bus that logs every access in order.
final class RecordingBus: CPUBus {
    enum Access: Equatable, CustomStringConvertible {
        case read(UInt16)
        case write(UInt16, UInt8)
        var description: String {
            switch self {
            case .read(let a): return "R \(hex(a))"
            case .write(let a, let v): return "W \(hex(a))=\(v)"
            }
        }
    }
    var memory = [UInt8](repeating: 0, count: 0x10000)
    var log: [Access] = []
    func read(_ address: UInt16) -> UInt8 {
        log.append(.read(address))
        return memory[Int(address)]
    }
    func write(_ address: UInt16, _ value: UInt8) {
        log.append(.write(address, value))
        memory[Int(address)] = value
    }
}

/// Runs one instruction placed at `origin` and returns the CPU after it, the bus and the cycles.
func runOne(_ program: [UInt8], at origin: UInt16 = 0x0200,
            setup: (inout CPU6502, RecordingBus) -> Void = { _, _ in })
    -> (cpu: CPU6502, bus: RecordingBus, cycles: Int)
{
    let bus = RecordingBus()
    for (offset, byte) in program.enumerated() { bus.memory[Int(origin) + offset] = byte }
    var cpu = CPU6502()
    cpu.reset(resetVector: origin)
    setup(&cpu, bus)
    bus.log = []
    let cycles = cpu.step(bus: bus)
    #expect(cycles == bus.log.count, "cycles must equal bus accesses")
    return (cpu, bus, cycles)
}

@Suite struct CPUCycleTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let program: [UInt8]
        let x: UInt8, y: UInt8
        let cycles: Int
        var description: String { name }
    }

    // Zero-page pointers used by the indirect cases: $80/$81 -> $12F0.
    static let cases: [Case] = [
        Case(name: "LDA #", program: [0xA9, 0x01], x: 0, y: 0, cycles: 2),
        Case(name: "LDA zp", program: [0xA5, 0x80], x: 0, y: 0, cycles: 3),
        Case(name: "LDA zp,X", program: [0xB5, 0x80], x: 1, y: 0, cycles: 4),
        Case(name: "LDA abs", program: [0xAD, 0x00, 0x12], x: 0, y: 0, cycles: 4),
        Case(name: "LDA abs,X same page", program: [0xBD, 0x00, 0x12], x: 0x10, y: 0, cycles: 4),
        Case(name: "LDA abs,X page cross", program: [0xBD, 0xF8, 0x12], x: 0x10, y: 0, cycles: 5),
        Case(name: "LDA abs,Y page cross", program: [0xB9, 0xF8, 0x12], x: 0, y: 0x10, cycles: 5),
        Case(name: "LDA (zp,X)", program: [0xA1, 0x7F], x: 1, y: 0, cycles: 6),
        Case(name: "LDA (zp),Y same page", program: [0xB1, 0x80], x: 0, y: 0x01, cycles: 5),
        Case(name: "LDA (zp),Y page cross", program: [0xB1, 0x80], x: 0, y: 0x20, cycles: 6),
        Case(name: "STA abs,X no cross", program: [0x9D, 0x00, 0x12], x: 1, y: 0, cycles: 5),
        Case(name: "STA (zp),Y no cross", program: [0x91, 0x80], x: 0, y: 1, cycles: 6),
        Case(name: "STA zp,X", program: [0x95, 0x80], x: 1, y: 0, cycles: 4),
        Case(name: "ASL A", program: [0x0A], x: 0, y: 0, cycles: 2),
        Case(name: "ASL zp", program: [0x06, 0x80], x: 0, y: 0, cycles: 5),
        Case(name: "INC abs", program: [0xEE, 0x00, 0x12], x: 0, y: 0, cycles: 6),
        Case(name: "ROR abs,X", program: [0x7E, 0x00, 0x12], x: 1, y: 0, cycles: 7),
        Case(name: "DEC zp,X", program: [0xD6, 0x80], x: 1, y: 0, cycles: 6),
        Case(name: "JMP abs", program: [0x4C, 0x00, 0x12], x: 0, y: 0, cycles: 3),
        Case(name: "JMP (ind)", program: [0x6C, 0x80, 0x00], x: 0, y: 0, cycles: 5),
        Case(name: "JSR", program: [0x20, 0x00, 0x12], x: 0, y: 0, cycles: 6),
        Case(name: "RTS", program: [0x60], x: 0, y: 0, cycles: 6),
        Case(name: "RTI", program: [0x40], x: 0, y: 0, cycles: 6),
        Case(name: "BRK", program: [0x00], x: 0, y: 0, cycles: 7),
        Case(name: "PHA", program: [0x48], x: 0, y: 0, cycles: 3),
        Case(name: "PHP", program: [0x08], x: 0, y: 0, cycles: 3),
        Case(name: "PLA", program: [0x68], x: 0, y: 0, cycles: 4),
        Case(name: "PLP", program: [0x28], x: 0, y: 0, cycles: 4),
        Case(name: "NOP", program: [0xEA], x: 0, y: 0, cycles: 2),
        Case(name: "TAX", program: [0xAA], x: 0, y: 0, cycles: 2),
        // Branches: reset leaves Z clear, so BNE is taken and BEQ is not.
        Case(name: "BEQ not taken", program: [0xF0, 0x10], x: 0, y: 0, cycles: 2),
        Case(name: "BNE taken same page", program: [0xD0, 0x10], x: 0, y: 0, cycles: 3),
        Case(name: "BNE taken page cross", program: [0xD0, 0x7F], x: 0, y: 0, cycles: 4),
        // Undocumented opcodes (NMOS 6510 unintended opcodes document, timing tables).
        Case(name: "SLO zp", program: [0x07, 0x80], x: 0, y: 0, cycles: 5),
        Case(name: "SLO abs,X", program: [0x1F, 0x00, 0x12], x: 1, y: 0, cycles: 7),
        Case(name: "RLA abs,Y", program: [0x3B, 0x00, 0x12], x: 0, y: 1, cycles: 7),
        Case(name: "SRE (zp,X)", program: [0x43, 0x7F], x: 1, y: 0, cycles: 8),
        Case(name: "RRA (zp),Y", program: [0x73, 0x80], x: 0, y: 1, cycles: 8),
        Case(name: "DCP abs", program: [0xCF, 0x00, 0x12], x: 0, y: 0, cycles: 6),
        Case(name: "ISB zp,X", program: [0xF7, 0x80], x: 1, y: 0, cycles: 6),
        Case(name: "SAX zp", program: [0x87, 0x80], x: 0, y: 0, cycles: 3),
        Case(name: "SAX (zp,X)", program: [0x83, 0x7F], x: 1, y: 0, cycles: 6),
        Case(name: "LAX zp,Y", program: [0xB7, 0x80], x: 0, y: 1, cycles: 4),
        Case(name: "LAX abs,Y page cross", program: [0xBF, 0xF8, 0x12], x: 0, y: 0x10, cycles: 5),
        Case(name: "LAX (zp),Y page cross", program: [0xB3, 0x80], x: 0, y: 0x20, cycles: 6),
        Case(name: "ANC #", program: [0x0B, 0xFF], x: 0, y: 0, cycles: 2),
        Case(name: "SBX #", program: [0xCB, 0x01], x: 0, y: 0, cycles: 2),
        Case(name: "LAS abs,Y", program: [0xBB, 0x00, 0x12], x: 0, y: 1, cycles: 4),
        Case(name: "SHA abs,Y", program: [0x9F, 0x00, 0x12], x: 0, y: 1, cycles: 5),
        Case(name: "SHA (zp),Y", program: [0x93, 0x80], x: 0, y: 1, cycles: 6),
        Case(name: "SHS abs,Y", program: [0x9B, 0x00, 0x12], x: 0, y: 1, cycles: 5),
        Case(name: "SHX abs,Y", program: [0x9E, 0x00, 0x12], x: 0, y: 1, cycles: 5),
        Case(name: "SHY abs,X", program: [0x9C, 0x00, 0x12], x: 1, y: 0, cycles: 5),
        Case(name: "NOP zp", program: [0x04, 0x80], x: 0, y: 0, cycles: 3),
        Case(name: "NOP zp,X", program: [0x14, 0x80], x: 1, y: 0, cycles: 4),
        Case(name: "NOP abs", program: [0x0C, 0x00, 0x12], x: 0, y: 0, cycles: 4),
        Case(name: "NOP abs,X page cross", program: [0x1C, 0xF8, 0x12], x: 0x10, y: 0, cycles: 5),
        Case(name: "NOP #", program: [0x80, 0x00], x: 0, y: 0, cycles: 2),
        Case(name: "NOP implied 1A", program: [0x1A], x: 0, y: 0, cycles: 2),
    ]

    @Test(arguments: cases)
    func cycleCount(_ testCase: Case) {
        let result = runOne(testCase.program, at: 0x0280) { cpu, bus in
            cpu.x = testCase.x
            cpu.y = testCase.y
            bus.memory[0x80] = 0xF0
            bus.memory[0x81] = 0x12
        }
        #expect(result.cycles == testCase.cycles, "\(testCase.name): \(result.bus.log)")
    }

    @Test func absoluteXReadMakesTheUncarriedDummyReadOnlyWhenCrossing() {
        let crossing = runOne([0xBD, 0xFF, 0x12]) { cpu, _ in cpu.x = 1 }
        #expect(crossing.bus.log == [.read(0x0200), .read(0x0201), .read(0x0202),
                                     .read(0x1200), .read(0x1300)])
        let same = runOne([0xBD, 0x00, 0x12]) { cpu, _ in cpu.x = 1 }
        #expect(same.bus.log == [.read(0x0200), .read(0x0201), .read(0x0202), .read(0x1201)])
    }

    @Test func storeAbsoluteXAlwaysReadsBeforeWriting() {
        let result = runOne([0x9D, 0x00, 0x12]) { cpu, _ in cpu.x = 1; cpu.a = 7 }
        #expect(result.bus.log == [.read(0x0200), .read(0x0201), .read(0x0202),
                                   .read(0x1201), .write(0x1201, 7)])
    }

    @Test func readModifyWriteWritesTheOldValueThenTheNew() {
        let result = runOne([0xE6, 0x10]) { _, bus in bus.memory[0x10] = 0x41 }
        #expect(result.bus.log == [.read(0x0200), .read(0x0201), .read(0x0010),
                                   .write(0x0010, 0x41), .write(0x0010, 0x42)])
    }

    @Test func zeroPageIndexedReadsTheBaseThenWrapsWithinPageZero() {
        let result = runOne([0xB5, 0xF0]) { cpu, _ in cpu.x = 0x20 }
        #expect(result.bus.log == [.read(0x0200), .read(0x0201), .read(0x00F0), .read(0x0010)])
    }

    @Test func impliedInstructionsReadTheNextByte() {
        let result = runOne([0xE8])
        #expect(result.bus.log == [.read(0x0200), .read(0x0201)])
        #expect(result.cpu.x == 1)
    }

    @Test func jsrAndRtsFollowTheNMOSOrder() {
        let call = runOne([0x20, 0x34, 0x12])
        #expect(call.bus.log == [.read(0x0200), .read(0x0201), .read(0x01FF),
                                 .write(0x01FF, 0x02), .write(0x01FE, 0x02), .read(0x0202)])
        #expect(call.cpu.pc == 0x1234)
        #expect(call.cpu.sp == 0xFD)
        let back = runOne([0x60]) { cpu, bus in
            cpu.sp = 0xFD
            bus.memory[0x01FE] = 0x02
            bus.memory[0x01FF] = 0x03
        }
        #expect(back.bus.log == [.read(0x0200), .read(0x0201), .read(0x01FD), .read(0x01FE),
                                 .read(0x01FF), .read(0x0302)])
        #expect(back.cpu.pc == 0x0303)
    }

    @Test func takenBranchAcrossAPageReadsTheUncarriedTarget() {
        // BNE -128 from $0202 lands on $0182: reads $0202 (next opcode) then $0282.
        let result = runOne([0xD0, 0x80])
        #expect(result.bus.log == [.read(0x0200), .read(0x0201), .read(0x0202), .read(0x0282)])
        #expect(result.cpu.pc == 0x0182)
    }

    @Test func indirectJumpWrapsWithinThePage() {
        let result = runOne([0x6C, 0xFF, 0x12]) { _, bus in
            bus.memory[0x12FF] = 0x34
            bus.memory[0x1200] = 0x56
            bus.memory[0x1300] = 0x99
        }
        #expect(result.cpu.pc == 0x5634)
    }

    @Test func resetStateIsALEs() {
        let bus = RecordingBus()
        bus.memory[0xFFFC] = 0x00
        bus.memory[0xFFFD] = 0xF0
        var cpu = CPU6502()
        cpu.a = 9; cpu.x = 9; cpu.y = 9; cpu.sp = 3; cpu.p = 0xFF
        cpu.reset(bus: bus)
        #expect(cpu.pc == 0xF000)
        #expect(cpu.a == 0 && cpu.x == 0 && cpu.y == 0)
        #expect(cpu.sp == 0xFF)
        #expect(cpu.p == 0x30)
        #expect(bus.log == [.read(0xFFFC), .read(0xFFFD)])
    }

    @Test func phpPushesBAndBit5AndPlpCannotClearThem() {
        let push = runOne([0x08]) { cpu, _ in cpu.p = 0xC3 }
        #expect(push.bus.memory[0x01FF] == 0xF3)
        let pull = runOne([0x28]) { cpu, bus in cpu.sp = 0xFE; bus.memory[0x01FF] = 0x00 }
        #expect(pull.cpu.p == 0x30)
    }

    @Test func jamOpcodesHaltTheCPUWithoutHanging() {
        for opcode: UInt8 in [0x02, 0x12, 0x22, 0x32, 0x42, 0x52, 0x62, 0x72, 0x92, 0xB2, 0xD2, 0xF2] {
            var result = runOne([opcode])
            #expect(result.cpu.halted, "opcode \(opcode)")
            #expect(result.cycles == 1)
            #expect(result.cpu.pc == 0x0201)
            result.bus.log = []
            #expect(result.cpu.step(bus: result.bus) == 0)
            #expect(result.bus.log.isEmpty)
        }
    }

    @Test func everyOtherOpcodeExecutesWithoutHalting() {
        let jams: Set<UInt8> = [0x02, 0x12, 0x22, 0x32, 0x42, 0x52, 0x62, 0x72, 0x92, 0xB2, 0xD2, 0xF2]
        for opcode in 0...255 where !jams.contains(UInt8(opcode)) {
            let result = runOne([UInt8(opcode), 0x10, 0x12])
            #expect(!result.cpu.halted, "opcode \(opcode)")
            #expect((2...8).contains(result.cycles), "opcode \(opcode): \(result.cycles) cycles")
        }
    }

    @Test func copyingTheStructIsASnapshot() {
        let bus = RecordingBus()
        // LDX #$05; loop: DEX; BNE loop; INX
        let program: [UInt8] = [0xA2, 0x05, 0xCA, 0xD0, 0xFD, 0xE8]
        for (offset, byte) in program.enumerated() { bus.memory[0x0200 + offset] = byte }
        var cpu = CPU6502()
        cpu.reset(resetVector: 0x0200)
        _ = cpu.step(bus: bus)
        _ = cpu.step(bus: bus)
        let saved = cpu
        var original: [UInt8] = []
        for _ in 0..<6 { _ = cpu.step(bus: bus); original.append(cpu.x) }
        var restored = saved
        var replay: [UInt8] = []
        for _ in 0..<6 { _ = restored.step(bus: bus); replay.append(restored.x) }
        #expect(original == replay)
        #expect(cpu == restored)
    }
}
