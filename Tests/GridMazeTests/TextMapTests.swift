// The text-map format: everything it can describe round-trips, and malformed maps are reported at
// their line and column with what was expected.
import GridMaze
import Testing

@Suite("Text maps")
struct TextMapTests {
    let sample = """
    ; every kind of cell
    #  #  #  #  #  #  #
    #  >  .  Ky Kb Bg #
    #  .  ~  Dr Or Lp #
    #  .  .  .  .  G  #
    #  #  #  #  #  #  #
    """

    @Test func parsesEveryCellKind() throws {
        let layout = try TextMap.parse(sample)
        #expect(layout.grid.width == 7 && layout.grid.height == 5)
        #expect(layout.agentX == 1 && layout.agentY == 1 && layout.agentHeading == 0)
        #expect(layout.grid[3, 1] == .key(.yellow))
        #expect(layout.grid[4, 1] == .key(.blue))
        #expect(layout.grid[5, 1] == .ball(.green))
        #expect(layout.grid[2, 2] == .lava)
        #expect(layout.grid[3, 2] == .door(.red, .closed))
        #expect(layout.grid[4, 2] == .door(.red, .open))
        #expect(layout.grid[5, 2] == .door(.purple, .locked))
        #expect(layout.grid[5, 3] == .goal)
        #expect(layout.grid[0, 0] == .wall)
        #expect(try TextMap.parse(TextMap.format(layout)) == layout)
    }

    @Test func headings() throws {
        for (symbol, heading) in [(">", 0), ("v", 1), ("<", 2), ("^", 3)] {
            #expect(try TextMap.parse("# # #\n# \(symbol) #\n# # #").agentHeading == heading)
        }
    }

    @Test func unknownTokenNamesLineAndColumn() {
        #expect(throws: TextMapError(source: "m", line: 2, column: 5,
                                     message: "expected a cell token (# . G ~ D<c> O<c> L<c> K<c> B<c> > v < ^, colour c in r g b p y e), found 'X'")) {
            try TextMap.parse("# # # #\n# > X #\n# # # #", source: "m")  // X is the 5th character
        }
        #expect(throws: TextMapError.self) { try TextMap.parse("# # # #\n# > Dz #\n# # # #") }
    }

    @Test func raggedRowsAreReported() {
        #expect {
            try TextMap.parse("# # # #\n# > . #\n# # #", source: "m")
        } throws: { error in
            guard let e = error as? TextMapError else { return false }
            return e.line == 3 && e.message == "expected 4 cells in this row (as in line 1), found 3"
        }
    }

    @Test func agentCountIsChecked() {
        #expect {
            try TextMap.parse("# # # #\n# . . #\n# # # #")
        } throws: { ($0 as? TextMapError)?.message == "expected one agent (> v < ^), found none" }
        #expect {
            try TextMap.parse("# # # #\n# > < #\n# # # #")
        } throws: { error in
            guard let e = error as? TextMapError else { return false }
            return e.line == 2 && e.column == 5 && e.message.contains("second agent")
        }
        #expect(throws: TextMapError.self) { try TextMap.parse("# >\n# #") }
    }
}
