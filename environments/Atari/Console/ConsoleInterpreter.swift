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
///
/// A trivial value whose address is never taken, so that LLVM keeps the program counter, the
/// clock, the budget and the data bus in machine registers for the whole loop. Two things
/// used to keep it in memory, where every access loaded and stored them: device
/// accesses as `mutating` calls (taking the context `inout`), and a strong `Console`
/// reference, whose release at the end was an outlined call given the context's address.
/// So the device paths are static functions that take the values they need and return
/// the ones they change, and the console is `Unmanaged`. This form costs compile time in the
/// Swift optimizer's escape analysis (SIL, over the inlined 256-way switch): about a third
/// more for this module than with the context in memory. Earlier attempts stopped such
/// compiles at about 7 minutes believing them runaway; they finish.
struct ConsoleInterpreter<Window: ROMWindowIndexing>: CPUInstructionContext {
    var cpu: CPU6502
    /// The program counter, apart from `cpu` so that it can live in a register.
    var pc: UInt16
    /// The console's clock, data bus and last-access kind while the run lasts.
    var cycles: Int
    var dataBus: UInt8
    var lastAccessWasRead: Bool
    let ram: UnsafeMutablePointer<UInt8>
    /// The plain-ROM window (indexed by `Window`).
    let window: UnsafeMutablePointer<UInt8>
    let fastStart: UInt16
    let fastCount: UInt16
    /// Instructions left in this run (ALE's per-frame cut-off). Set to 0 when the TIA ends
    /// the frame or the CPU halts, so that the loop tests one counter per instruction.
    var budget: Int
    /// Unmanaged: the context is then a trivial value that LLVM splits into registers (a
    /// strong reference made its destruction an outlined call taking the context's address),
    /// and a device access retains nothing. Safe: the console runs the loop, so it outlives it.
    let console: Unmanaged<Console>

    init(console: Console, budget: Int) {
        self.console = Unmanaged.passUnretained(console)
        self.budget = budget
        cpu = console.cpu
        pc = console.cpu.pc
        cycles = console.cycles
        dataBus = console.dataBus
        lastAccessWasRead = console.lastAccessWasRead
        ram = console.ramBytes
        (window, fastStart, fastCount) = console.cartridge.interpreterWindow
    }

    /// Hands the state back to the console.
    func finish() {
        let console = console.takeUnretainedValue()
        console.cpu = cpu
        console.cpu.pc = pc
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
            let result = Self.readDevice(console, address, cycles: cycles, dataBus: dataBus,
                                         pc: pc, budget: budget, window: window,
                                         fastStart: fastStart, fastCount: fastCount)
            value = result.value
            cycles = result.cycles
            budget = result.budget
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
            let result = Self.writeDevice(console, address, value, cycles: cycles, dataBus: dataBus,
                                          lastAccessWasRead: lastAccessWasRead)
            cycles = result.cycles
            if result.frameEnded { budget = 0 }
        }
        dataBus = value
        lastAccessWasRead = false
    }

    /// TIA, RIOT ports and timer, cartridge hotspots: through the console at this cycle.
    /// Never inlined, and static: the context stays in registers around the call.
    @inline(never)
    static func readDevice(_ console: Unmanaged<Console>, _ address: UInt16, cycles: Int, dataBus: UInt8,
                           pc: UInt16, budget: Int, window: UnsafeMutablePointer<UInt8>,
                           fastStart: UInt16, fastCount: UInt16) -> (value: UInt8, cycles: Int, budget: Int) {
        console._withUnsafeGuaranteedRef { console in
            var cycles = cycles, budget = budget
            // INTIM (any mirror: RIOT I/O, A2 set, A0 clear) may be read by an idle loop.
            if address & 0x1285 == 0x0284 && console.skipsTimerLoops {
                skipTimerLoop(console, address, pc: pc, cycles: &cycles, budget: &budget,
                              window: window, fastStart: fastStart, fastCount: fastCount)
            }
            console.cycles = cycles
            console.dataBus = dataBus
            return (console.peek(address), cycles, budget)
        }
    }

    /// Fast-forwards an idle loop `L: LDA/LDX/LDY INTIM; BNE L` that is reading the timer.
    ///
    /// Called at the loop's read of INTIM, with `cycles` the cycle of that read. Each further
    /// turn of the loop takes the same cycles and touches only plain ROM and the timer, whose
    /// reads before expiry change nothing; while they read non-zero, the branch is taken and
    /// no register, flag or bus value outlives the next turn. So the turns whose read is
    /// certainly non-zero are skipped whole (their cycles and their two instructions each
    /// added), and this read is made at the cycle of the first turn that may read 0: the
    /// loader's registers, flags and the data bus then end as the loop would have left them.
    /// The skip stops where the instruction budget would have run out.
    static func skipTimerLoop(_ console: Console, _ address: UInt16, pc: UInt16,
                              cycles: inout Int, budget: inout Int,
                              window: UnsafeMutablePointer<UInt8>, fastStart: UInt16, fastCount: UInt16) {
        // The loop's ROM accesses: the load (pc-3...pc-1), the branch (pc, pc+1), the dummy
        // read of the next opcode (pc+2) and, when the target is on another page, the read at
        // the un-carried target. All must be plain ROM of the window (no hotspot).
        @inline(__always) func plain(_ a: UInt16) -> Bool {
            a & 0x1000 != 0 && (a & 0x0FFF) &- fastStart < fastCount
        }
        let start = pc &- 3, next = pc &+ 2
        let crossesPage = (start ^ next) & 0xFF00 != 0
        guard plain(start), plain(next), (start ^ next) & 0xF000 == 0,
              !crossesPage || plain((next & 0xFF00) | (start & 0x00FF)) else { return }
        @inline(__always) func byte(_ a: UInt16) -> UInt8 { window[Window.index(a)] }
        let opcode = byte(start)
        guard opcode == 0xAD || opcode == 0xAE || opcode == 0xAC,
              byte(pc &- 2) == UInt8(truncatingIfNeeded: address),
              byte(pc &- 1) == UInt8(truncatingIfNeeded: address >> 8),
              byte(pc) == 0xD0, byte(pc &+ 1) == 0xFB else { return }
        let turn = crossesPage ? 8 : 7
        let turns = console.riot.timerReadsNonZero(from: UInt32(truncatingIfNeeded: cycles), every: turn)
        // Turn j (j = 0 ..< skipped) is skipped; the read happens in turn `skipped`, whose
        // load must still be within the budget (this load counts 1 when it completes).
        let skipped = min(turns, (budget - 1) / 2)
        guard skipped > 0 else { return }
        cycles &+= skipped * turn
        budget -= 2 * skipped
    }

    @inline(never)
    static func writeDevice(_ console: Unmanaged<Console>, _ address: UInt16, _ value: UInt8, cycles: Int,
                            dataBus: UInt8, lastAccessWasRead: Bool) -> (cycles: Int, frameEnded: Bool) {
        console._withUnsafeGuaranteedRef { console in
            console.cycles = cycles
            console.dataBus = dataBus
            console.lastAccessWasRead = lastAccessWasRead
            console.poke(address, value)
            // Only a TIA write ends a frame.
            return (console.cycles, console.tia.frameEnded)
        }
    }

    mutating func halt() {
        cpu.halted = true
        budget = 0
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
        var context = ConsoleInterpreter<Window>(console: self, budget: instructions)
        // `budget` goes to 0 when the frame ends or the CPU halts (see `writeDevice`, `halt`).
        if tia.frameEnded || cpu.halted { context.budget = 0 }
        while context.budget > 0 {
            context.executeInstruction()
            context.budget &-= 1
        }
        context.finish()
    }
}
