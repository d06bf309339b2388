// The TIA draws runs of pixels with mixed objects by applying the priority rules to 8 pixels at
// once; this compares that with the priority table (ALE's encoder) for every object combination,
// start position and priority/score mode. The table itself is what the ALE-parity tests verify.
import AtariConsole
import Testing

@Suite("TIA mixed-run colours")
struct MixedColoursTests {
    @Test("8-pixel priority rules agree with the priority table")
    func agreesWithTable() {
        #expect(TIA.mixedColoursDisagreement() == nil)
    }
}
