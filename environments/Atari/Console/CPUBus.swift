// The narrow interface between the 6507 and everything on its bus (RAM, RIOT, TIA, the
// cartridge), as Stella shapes it: the CPU makes exactly one bus access per cycle, in the
// order the hardware does (dummy reads included), and the bus advances time on each access.
// That is what lets the TIA see a write at the colour clock it happens on.

/// The bus the CPU drives. Every call is one CPU cycle; the implementation advances the
/// clock (and may stall the CPU further, as WSYNC does) before performing the access.
public protocol CPUBus: AnyObject {
    func read(_ address: UInt16) -> UInt8
    func write(_ address: UInt16, _ value: UInt8)
}
