// The TIA's drawing reads the playfield as 40 group bits and skips stretches where no object
// can show using gap tables; both are derived from the mask tables (ALE's layout, which the
// ALE-parity tests verify) and checked against them here.
import AtariConsole
import Testing

@Suite("TIA drawing tables")
struct TIADrawingTablesTests {
    @Test("playfield group bits give the mask table's pixels, normal and reflected")
    func playfieldGroupsAgreeWithMaskTable() {
        #expect(TIA.playfieldGroupsDisagreement(count: 4000) == nil)
    }

    @Test("object gap tables give the distance to the next set mask entry")
    func gapsAgreeWithMaskTables() {
        #expect(TIA.objectGapsDisagreement() == nil)
    }
}
