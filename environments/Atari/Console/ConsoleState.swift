// Saving and restoring a whole console (ALE's cloneState/restoreState): the CPU, the RIOT, the
// TIA with its frame timing and both frame buffers, the cartridge's banks and RAM, the system
// generator, the bus state and the inputs. A restored console continues bit for bit as the
// saved one would have.

extension Console {
    /// A format tag so that a state from another layout is refused, not misread.
    static let stateFormat: UInt32 = 0x4154_0001

    /// The complete state as bytes.
    public func saveState() -> [UInt8] {
        var out = StateWriter()
        out.u32(Console.stateFormat)
        out.block(Array(cartridge.md5.utf8))
        out.u8(cpu.a); out.u8(cpu.x); out.u8(cpu.y); out.u8(cpu.sp)
        out.u32(UInt32(cpu.pc)); out.u8(cpu.p); out.bool(cpu.halted)
        riot.save(into: &out)
        tia.save(into: &out)
        out.block(cartridge.saveState())
        random.save(into: &out)
        out.i64(cycles); out.u8(dataBus); out.bool(lastAccessWasRead); out.u8(switches); out.u8(portA)
        out.bool(isPAL)
        out.u8(inputs.joystick0); out.u8(inputs.joystick1)
        for r in inputs.paddleResistance { out.i64(r) }
        out.u8(inputs.paddleFire); out.bool(inputs.select); out.bool(inputs.reset)
        out.u8(inputs.leftDifficultyA.map { $0 ? 1 : 0 } ?? 2)
        out.u8(inputs.rightDifficultyA.map { $0 ? 1 : 0 } ?? 2)
        return out.data
    }

    /// Restores a state saved from a console running the same cartridge. Throws, leaving
    /// the console unchanged, when the bytes are not such a state.
    public func restoreState(_ state: [UInt8]) throws {
        var input = StateReader(state)
        guard try input.u32() == Console.stateFormat else { throw ConsoleStateError.wrongFormat }
        let md5 = String(decoding: try input.block(), as: UTF8.self)
        guard md5 == cartridge.md5 else {
            throw ConsoleStateError.wrongCartridge(expected: cartridge.md5, found: md5)
        }
        var newCPU = cpu
        newCPU.a = try input.u8(); newCPU.x = try input.u8(); newCPU.y = try input.u8()
        newCPU.sp = try input.u8(); newCPU.pc = UInt16(truncatingIfNeeded: try input.u32())
        newCPU.p = try input.u8(); newCPU.halted = try input.bool()
        var newRIOT = RIOT()
        try newRIOT.restore(from: &input)
        let tiaState = try TIAState(from: &input)
        let cartridgeState = try input.block()
        var newRandom = random
        try newRandom.restore(from: &input)
        let newCycles = try input.i64()
        let newDataBus = try input.u8(), newLastRead = try input.bool()
        let newSwitches = try input.u8(), newPortA = try input.u8()
        let newPAL = try input.bool()
        var newInputs = ConsoleInputs()
        newInputs.joystick0 = try input.u8(); newInputs.joystick1 = try input.u8()
        for i in 0..<4 { newInputs.paddleResistance[i] = try input.i64() }
        newInputs.paddleFire = try input.u8(); newInputs.select = try input.bool(); newInputs.reset = try input.bool()
        func difficulty(_ v: UInt8) throws -> Bool? {
            switch v { case 0: return false; case 1: return true; case 2: return nil
            default: throw ConsoleStateError.corrupt("difficulty \(v)") }
        }
        newInputs.leftDifficultyA = try difficulty(try input.u8())
        newInputs.rightDifficultyA = try difficulty(try input.u8())
        guard input.offset == state.count else { throw ConsoleStateError.corrupt("trailing bytes") }
        // Everything parsed: now change the console (the cartridge checks its own bytes first).
        try cartridge.restoreState(cartridgeState)
        cpu = newCPU
        riot = newRIOT
        syncRAMFromRIOT()
        tiaState.apply(to: tia)
        random = newRandom
        cycles = newCycles; dataBus = newDataBus; lastAccessWasRead = newLastRead
        switches = newSwitches; portA = newPortA; isPAL = newPAL
        inputs = newInputs
    }
}
