// Klaus Dormann's 6502 functional test (../shared/data/6502): every official opcode, all
// addressing modes, flags and decimal mode, run on a flat 64 KiB RAM bus. The test traps in a
// `JMP *` on failure; success is the trap at $3469.
import AtariConsole
import Foundation
import Testing
import TestSupport

/// A flat 64 KiB RAM bus that records nothing: the functional test only needs memory.
final class FlatRAMBus: CPUBus {
    var memory: [UInt8]
    init(_ image: [UInt8]) {
        precondition(image.count <= 0x10000, "FlatRAMBus: image of \(image.count) bytes exceeds 64 KiB")
        memory = image + [UInt8](repeating: 0, count: 0x10000 - image.count)
    }
    func read(_ address: UInt16) -> UInt8 { memory[Int(address)] }
    func write(_ address: UInt16, _ value: UInt8) { memory[Int(address)] = value }
}

@Suite struct CPUFunctionalTests {
    @Test func dormannFunctionalTestReachesTheSuccessTrap() throws {
        guard let url = TestEnvironment.sharedFile("6502/6502_functional_test.bin") else {
            TestEnvironment.note("6502_functional_test.bin absent: Dormann test skipped")
            return
        }
        let bus = FlatRAMBus([UInt8](try Data(contentsOf: url)))
        var cpu = CPU6502()
        cpu.reset(resetVector: 0x0400)
        var instructions = 0
        var cycles = 0
        // The full test is about 30 million instructions; 100 million bounds a runaway.
        while instructions < 100_000_000 {
            let before = cpu.pc
            cycles += cpu.step(bus: bus)
            instructions += 1
            if cpu.pc == before || cpu.halted { break }
        }
        // A trap elsewhere names the failing test: look the PC up in 6502_functional_test.lst.
        #expect(!cpu.halted, "CPU jammed at PC \(hex(cpu.pc))")
        #expect(cpu.pc == 0x3469, "trapped at PC \(hex(cpu.pc)) after \(instructions) instructions")
        #expect(cycles > instructions * 2)
    }
}

func hex(_ value: UInt16) -> String { "$" + String(value, radix: 16, uppercase: true) }
