// The Atari 2600 as ALE's Stella core assembles it: a 6507 on a bus shared by the TIA, the
// RIOT and a cartridge, decoded on address lines A12, A9 and A7 as the hardware does. The
// console is the bus: each CPU access advances the system clock by one cycle before the
// access (as Stella's M6502High does), remembers the value left on the data bus (the TIA
// does not drive the low six bits of its reads) and whether it was a read (WSYNC only halts
// the CPU on a write that follows a read). A frame is one TIA update: run the CPU until the
// TIA ends the frame or 25,000 instructions have run, the cut-off ALE applies.

/// One console: CPU, RIOT, TIA and cartridge, with the controller inputs ALE drives.
public final class Console: CPUBus {
    @exclusivity(unchecked) public internal(set) var cpu = CPU6502()
    @exclusivity(unchecked) public internal(set) var riot = RIOT()
    public let tia: TIA
    public let cartridge: Cartridge
    public let properties: ConsoleProperties
    /// ALE's system generator (power-on RAM, RIOT timer, Superchip RAM).
    @exclusivity(unchecked) public internal(set) var random: ConsoleRandom
    /// The controllers and console switches as ALE's events set them.
    public var inputs = ConsoleInputs()
    /// The display format in use once detection (if any) has run.
    @exclusivity(unchecked) public internal(set) var isPAL = false

    /// System cycles since the current frame began (ALE resets its counter at each frame).
    @exclusivity(unchecked) var cycles = 0
    @exclusivity(unchecked) var dataBus: UInt8 = 0
    @exclusivity(unchecked) var lastAccessWasRead = true
    /// The console-switch register as the RIOT last read it (ALE's Switches keeps state).
    @exclusivity(unchecked) var switches: UInt8 = 0xFF
    let watchesCartridge: Bool
    /// The live RIOT RAM. The CPU reads and writes it through this pointer (no array
    /// bounds or uniqueness checks on the hottest path); `riot.ram` is its copy as of the
    /// last frame boundary (`syncRAMToRIOT`), which is what state saving and callers see.
    let ramBytes: UnsafeMutablePointer<UInt8>

    /// Whether the CPU loop fast-forwards idle loops that wait on the RIOT timer (exact: see
    /// `ConsoleInterpreter.skipTimerLoop`). On by default; off only to compare the two.
    public let skipsTimerLoops: Bool

    /// The instructions ALE lets one frame run before it gives up on the frame.
    public static let instructionsPerFrame = 25_000

    /// Powers the console on as ALE's Console constructor does: RIOT RAM from the system
    /// generator, the display format detected over 60 frames when it is not known, then a
    /// system reset. `skipsTimerLoops` (see the property) and `defersUndrawnTIAWrites` (the
    /// TIA leaves the drawing at a write that changes nothing drawn to its next draw: see
    /// `TIA.write`) exist to compare the fast and the plain ways; both are exact.
    public init(cartridge: Cartridge, properties: ConsoleProperties,
                systemSeed: UInt32 = ConsoleRandom.aleSystemSeed, skipsTimerLoops: Bool = true,
                defersUndrawnTIAWrites: Bool = true) {
        self.skipsTimerLoops = skipsTimerLoops
        self.cartridge = cartridge
        self.properties = properties
        watchesCartridge = cartridge.watchesEveryAccess
        ramBytes = .allocate(capacity: 128)
        ramBytes.initialize(repeating: 0, count: 128)
        random = ConsoleRandom(seed: systemSeed)
        tia = TIA(yStart: properties.yStart, height: properties.height,
                  allowHMOVEBlanks: properties.hmoveBlanks, pal: properties.format == .pal,
                  defersUndrawnWrites: defersUndrawnTIAWrites)
        isPAL = properties.format == .pal
        switches = 0xFF
        if !properties.rightDifficultyA { switches &= ~0x80 }
        if !properties.leftDifficultyA { switches &= ~0x40 }
        // Schemes that keep time (DPC's music) read the console's cycle counter.
        cartridge.systemCycles = { [unowned self] in self.cycles }
        riot.randomizeRAM(&random)
        syncRAMFromRIOT()
        riot.reset(&random)
        if properties.format == .auto {
            systemReset()
            var palFrames = 0
            for frame in 0..<60 {
                runFrame()
                if frame >= 30 && scanlines > 285 { palFrames += 1 }
            }
            if palFrames >= 15 {
                isPAL = true
                tia.configure(yStart: properties.yStart,
                              height: properties.height == 210 ? 250 : properties.height, pal: true)
            }
        }
        systemReset()
    }

    deinit { ramBytes.deallocate() }

    /// Copies `riot.ram` into the live RAM (after it was set from outside: power-on, restore).
    func syncRAMFromRIOT() {
        riot.ram.withUnsafeBufferPointer { ramBytes.update(from: $0.baseAddress!, count: 128) }
    }

    /// Copies the live RAM into `riot.ram` (at the end of every run of the CPU).
    func syncRAMToRIOT() {
        riot.ram.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: ramBytes, count: 128) }
    }

    /// Lines run in the current frame so far.
    var scanlines: Int { (cycles * 3 - tia.clockWhenFrameStarted) / 228 }

    // MARK: Reset and frames

    /// ALE's System::reset: the cycle counter goes to 0, the RIOT, TIA and cartridge reset
    /// (drawing from the system generator), then the CPU loads its reset vector.
    public func systemReset() {
        resetCycles()
        riot.reset(&random)
        tia.reset(cycles: cycles)
        cartridge.reset(nextRandom: { [unowned self] in self.random.next() })
        lastAccessWasRead = true
        // ALE reads the vector with System::peek: the bus sees it, the clock does not move.
        let low = UInt16(peek(0xFFFC))
        let high = UInt16(peek(0xFFFD))
        cpu.reset(resetVector: low | high << 8)
    }

    /// Emulates one frame (ALE's TIA::update).
    public func runFrame() {
        if !tia.partialFrame {
            let clocks = tia.swapBuffersForNewFrame(cycles: cycles)
            resetCycles()
            tia.beginFrame(clocksIntoLine: clocks)
        }
        tia.partialFrame = true
        tia.frameEnded = false
        applyInputs()
        if watchesCartridge {
            // A scheme that must see every access runs on the generic bus path.
            var processor = cpu
            var budget = Console.instructionsPerFrame
            while budget > 0 && !tia.frameEnded && !processor.halted {
                _ = processor.step(bus: self)
                budget -= 1
            }
            cpu = processor
        } else {
            runInterpreter(instructions: Console.instructionsPerFrame)
        }
        syncRAMToRIOT()
        tia.finishUpdate(cycles: cycles)
    }

    private func resetCycles() {
        riot.systemCyclesReset(UInt32(truncatingIfNeeded: cycles))
        tia.systemCyclesReset(cycles)
        cartridge.systemCyclesReset()
        cycles = 0
    }

    /// The picture: `screenHeight` rows of 160 palette indices (even values; see Palette).
    public var screen: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: tia.currentFrame, count: screenHeight * TIA.width)
    }

    /// Rows of the picture ALE returns (the display height, at least 200).
    public var screenHeight: Int { max(200, tia.height) }

    /// The 128 bytes of RIOT RAM ($80-$FF) as of the end of the last `runFrame` (or the last
    /// reset or restore); writes made through this console's `CPUBus` methods outside a frame
    /// show here only after the next frame.
    public var ram: [UInt8] { riot.ram }

    // MARK: Bus

    @inline(__always)
    public func read(_ address: UInt16) -> UInt8 {
        cycles &+= 1
        let value = peek(address)
        lastAccessWasRead = true
        return value
    }

    @inline(__always)
    public func write(_ address: UInt16, _ value: UInt8) {
        cycles &+= 1
        poke(address, value)
    }

    /// The device side of a write at the current cycle (the clock already advanced): may
    /// advance the clock further (WSYNC).
    @inline(__always)
    func poke(_ address: UInt16, _ value: UInt8) {
        if address & 0x1000 != 0 {
            cartridge.write(address, value)
        } else if address & 0x80 == 0 {
            cycles &+= tia.write(address, value, cycles: cycles, lastAccessWasRead: lastAccessWasRead)
        } else if address & 0x200 == 0 {
            ramBytes[Int(address & 0x7F)] = value
        } else {
            riot.write(address, value, cycles: UInt32(truncatingIfNeeded: cycles))
        }
        if watchesCartridge { cartridge.watch(address, value) }
        dataBus = value
        lastAccessWasRead = false
    }

    /// A read without a clock tick (ALE's System::peek), used for the reset vector and RAM.
    @inline(__always)
    func peek(_ address: UInt16) -> UInt8 {
        let value: UInt8
        if address & 0x1000 != 0 {
            value = cartridge.read(address)
        } else if address & 0x80 == 0 {
            value = tia.read(address, cycles: cycles, dataBus: dataBus)
        } else if address & 0x200 == 0 {
            value = ramBytes[Int(address & 0x7F)]
        } else {
            value = riot.read(address, cycles: UInt32(truncatingIfNeeded: cycles),
                              portA: portA, portB: switches)
        }
        if watchesCartridge { cartridge.watch(address, value) }
        dataBus = value
        return value
    }

    // MARK: Inputs

    @exclusivity(unchecked) var portA: UInt8 = 0xFF

    /// Latches the controller lines for this frame (ALE's events only change between frames).
    private func applyInputs() {
        let left = portLines(jack: 0), right = portLines(jack: 1)
        portA = left.nibble << 4 | right.nibble
        tia.input4High = left.six
        tia.input5High = right.six
        tia.inputResistance = (left.nine, left.five, right.nine, right.five)
        if inputs.leftDifficultyA == true { switches |= 0x40 } else if inputs.leftDifficultyA == false { switches &= ~0x40 }
        if inputs.rightDifficultyA == true { switches |= 0x80 } else if inputs.rightDifficultyA == false { switches &= ~0x80 }
        if inputs.select { switches &= ~0x02 } else { switches |= 0x02 }
        if inputs.reset { switches &= ~0x01 } else { switches |= 0x01 }
    }

    /// The pins of the controller read through `jack` (0 left, 1 right): the four digital
    /// pins as a SWCHA nibble, the fire pin (INPT4/5) and the two paddle pots.
    private func portLines(jack: Int) -> (nibble: UInt8, six: Bool, nine: Int, five: Int) {
        // With swapped ports the controller in the left socket answers for the right jack.
        let socket = properties.swapPorts ? 1 - jack : jack
        let kind = socket == 0 ? properties.leftController : properties.rightController
        switch kind {
        case .joystick:
            let stick = socket == 0 ? inputs.joystick0 : inputs.joystick1
            var nibble: UInt8 = 0
            if stick & ConsoleInputs.up == 0 { nibble |= 0x1 }
            if stick & ConsoleInputs.down == 0 { nibble |= 0x2 }
            if stick & ConsoleInputs.left == 0 { nibble |= 0x4 }
            if stick & ConsoleInputs.right == 0 { nibble |= 0x8 }
            return (nibble, stick & ConsoleInputs.fire == 0, Int(Int32.max), Int(Int32.max))
        case .paddles:
            // Pins 3 and 4 are the two paddles' buttons, pins 5 and 9 their pots.
            let first = socket == 0 ? 0 : 2
            let (pin3, pin4, pin5, pin9) = properties.swapPaddles
                ? (first, first + 1, first, first + 1) : (first + 1, first, first + 1, first)
            var nibble: UInt8 = 0x3
            if inputs.paddleFire & (1 << UInt8(pin3)) == 0 { nibble |= 0x4 }
            if inputs.paddleFire & (1 << UInt8(pin4)) == 0 { nibble |= 0x8 }
            return (nibble, true, inputs.paddleResistance[pin9], inputs.paddleResistance[pin5])
        }
    }
}
