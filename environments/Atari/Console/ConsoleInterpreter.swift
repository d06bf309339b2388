// The console's CPU loop: the instruction set (CPUInstructionSet.swift) over a context that
// holds the registers, the clock, the data bus and the pointers to RAM and to the cartridge's
// plain-ROM window in locals for a whole run of instructions. ROM and RAM accesses, almost
// all of them, decode inline to one load or store; only the TIA, the RIOT's ports and timer,
// and cartridge hotspots go through the console (`Console.peek`/`poke`), with the locals
// written back first so the devices see the exact cycle, as on the generic `CPUBus` path.

/// How an address with A12 set indexes the cartridge's plain-ROM window. A type parameter,
/// not a value, so that the common case costs nothing on the opcode fetch (which every
/// instruction's dispatch waits for).
protocol ROMWindowIndexing {
    static func index(_ address: UInt16) -> Int
}

/// Every scheme but FE: the low 12 bits.
enum PlainROMWindow: ROMWindowIndexing {
    @inline(__always) static func index(_ address: UInt16) -> Int { Int(address & 0x0FFF) }
}

/// FE: A13 set shows the window's first 4 KiB, A13 clear the second.
enum A13BankedROMWindow: ROMWindowIndexing {
    @inline(__always) static func index(_ address: UInt16) -> Int {
        Int(address & 0x0FFF | (~address >> 1) & 0x1000)
    }
}

/// The CPU on the console's bus, for one run of instructions (see `Console.runInterpreter`).
struct ConsoleInterpreter<Window: ROMWindowIndexing>: CPUInstructionContext {
    var cpu: CPU6502
    /// The console's clock, data bus and last-access kind while the run lasts.
    var cycles: Int
    var dataBus: UInt8
    var lastAccessWasRead: Bool
    let ram: UnsafeMutablePointer<UInt8>
    /// The plain-ROM window (indexed by `Window`).
    let window: UnsafeMutablePointer<UInt8>
    let fastStart: UInt16
    let fastCount: UInt16
    // Strong: a +0 use per device access (an unowned reference was retained at every call).
    let console: Console

    init(console: Console) {
        self.console = console
        cpu = console.cpu
        cycles = console.cycles
        dataBus = console.dataBus
        lastAccessWasRead = console.lastAccessWasRead
        ram = console.ramBytes
        (window, fastStart, fastCount) = console.cartridge.interpreterWindow
    }

    /// Hands the state back to the console.
    func finish() {
        console.cpu = cpu
        console.cycles = cycles
        console.dataBus = dataBus
        console.lastAccessWasRead = lastAccessWasRead
    }

    @inline(__always)
    mutating func read(_ address: UInt16) -> UInt8 {
        cycles &+= 1
        let value: UInt8
        if address & 0x1000 != 0 && (address & 0x0FFF) &- fastStart < fastCount {
            value = window[Window.index(address)]
        } else if address & 0x1280 == 0x0080 {
            value = ram[Int(address & 0x7F)]
        } else {
            value = readDevice(address)
        }
        dataBus = value
        lastAccessWasRead = true
        return value
    }

    @inline(__always)
    mutating func write(_ address: UInt16, _ value: UInt8) {
        cycles &+= 1
        if address & 0x1280 == 0x0080 {
            ram[Int(address & 0x7F)] = value
        } else {
            writeDevice(address, value)
        }
        dataBus = value
        lastAccessWasRead = false
    }

    /// TIA, RIOT ports and timer, cartridge hotspots: through the console at this cycle.
    ///
    /// These take the context `inout`, which keeps it in memory (on the stack) for the whole
    /// loop. That is deliberate: with the context's address never taken, LLVM promotes it to
    /// registers across the inlined 256-way switch and compiling this file takes well over
    /// ten minutes; with the switch outlined per instruction instead, the call and the
    /// reloading cost more than the stack traffic (measured: 15% slower on Seaquest).
    @inline(never)
    mutating func readDevice(_ address: UInt16) -> UInt8 {
        console.cycles = cycles
        console.dataBus = dataBus
        return console.peek(address)
    }

    @inline(never)
    mutating func writeDevice(_ address: UInt16, _ value: UInt8) {
        console.cycles = cycles
        console.dataBus = dataBus
        console.lastAccessWasRead = lastAccessWasRead
        console.poke(address, value)
        cycles = console.cycles
    }
}

extension Console {
    /// Runs at most `instructions` instructions, stopping early when the TIA ends the frame
    /// or the CPU halts. Only for cartridges that need not watch every access.
    func runInterpreter(instructions: Int) {
        if cartridge.banksOnA13 {
            runInterpreter(instructions: instructions, window: A13BankedROMWindow.self)
        } else {
            runInterpreter(instructions: instructions, window: PlainROMWindow.self)
        }
    }

    private func runInterpreter<Window: ROMWindowIndexing>(instructions: Int, window: Window.Type) {
        var context = ConsoleInterpreter<Window>(console: self)
        var budget = instructions
        let tia = self.tia
        while budget > 0 && !tia.frameEnded && !context.cpu.halted {
            context.executeInstruction()
            budget -= 1
        }
        context.finish()
    }
}
