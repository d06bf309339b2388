// Layouts as text files, for hand-made levels and for loading MiniGrid's layouts in the parity
// tests. One line per grid row, one whitespace-separated token per cell, so colours fit beside
// object letters and a ragged row or a stray character is reported at its line and column.
import Foundation

/// A text-map syntax error, naming where and what was expected.
public struct TextMapError: Error, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(source: String, line: Int, column: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }
}

/// Reads and writes the text-map format (see README.md):
///
///     ; a comment
///     #  #  #  #  #
///     #  >  .  Ky #
///     #  .  ~  .  #
///     #  .  Ly G  #
///     #  #  #  #  #
///
/// `#` wall, `.` empty, `G` goal, `~` lava, `D<c>`/`O<c>`/`L<c>` closed/open/locked door,
/// `K<c>` key, `B<c>` ball, `>` `v` `<` `^` the agent on an empty cell facing right/down/left/up;
/// colours `r g b p y e` (red green blue purple yellow grey).
public enum TextMap {
    static let expectedToken = "a cell token (# . G ~ D<c> O<c> L<c> K<c> B<c> > v < ^, colour c in r g b p y e)"
    static let headings: [Character] = [">", "v", "<", "^"]

    /// Parses `text`; `source` names the file in errors.
    public static func parse(_ text: String, source: String = "map") throws -> MazeLayout {
        var rows: [[Cell]] = []
        var agent: (x: Int, y: Int, heading: Int, line: Int, column: Int)? = nil
        var firstRowLine = 0
        for (lineIndex, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = lineIndex + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix(";") { continue }
            var row: [Cell] = []
            var column = 1
            var index = line.startIndex
            while index < line.endIndex {
                if line[index] == " " || line[index] == "\t" {
                    index = line.index(after: index); column += 1; continue
                }
                let tokenStart = column
                var token = ""
                while index < line.endIndex && line[index] != " " && line[index] != "\t" {
                    token.append(line[index]); index = line.index(after: index); column += 1
                }
                if token.count == 1, let heading = headings.firstIndex(of: token.first!) {
                    if let previous = agent {
                        throw TextMapError(source: source, line: lineNumber, column: tokenStart,
                                           message: "a second agent; the first is at line \(previous.line), column \(previous.column)")
                    }
                    agent = (row.count, rows.count, heading, lineNumber, tokenStart)
                    row.append(.empty)
                    continue
                }
                guard let cell = cell(token) else {
                    throw TextMapError(source: source, line: lineNumber, column: tokenStart,
                                       message: "expected \(expectedToken), found '\(token)'")
                }
                row.append(cell)
            }
            if rows.isEmpty { firstRowLine = lineNumber }
            if let width = rows.first?.count, row.count != width {
                throw TextMapError(source: source, line: lineNumber, column: column,
                                   message: "expected \(width) cells in this row (as in line \(firstRowLine)), found \(row.count)")
            }
            rows.append(row)
        }
        guard let width = rows.first?.count, rows.count >= 3, width >= 3 else {
            throw TextMapError(source: source, line: 1, column: 1,
                               message: "expected a grid of at least 3 rows of 3 cells, found \(rows.count) rows")
        }
        guard let agent else {
            throw TextMapError(source: source, line: firstRowLine, column: 1,
                               message: "expected one agent (> v < ^), found none")
        }
        var grid = MazeGrid(width: width, height: rows.count)
        for (y, row) in rows.enumerated() { for (x, cell) in row.enumerated() { grid[x, y] = cell } }
        return MazeLayout(grid: grid, agentX: agent.x, agentY: agent.y, agentHeading: agent.heading)
    }

    /// Reads a map file; an unreadable file is a `TextMapError` at line 0.
    public static func load(path: String) throws -> MazeLayout {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextMapError(source: path, line: 0, column: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextMapError(source: path, line: 0, column: 0, message: "expected UTF-8 text")
        }
        return try parse(text, source: path)
    }

    private static func cell(_ token: String) -> Cell? {
        switch token {
        case "#": return .wall
        case ".": return .empty
        case "G": return .goal
        case "~": return .lava
        default: break
        }
        let chars = Array(token)
        guard chars.count == 2, let color = CellColor(letter: chars[1]) else { return nil }
        switch chars[0] {
        case "D": return .door(color, .closed)
        case "O": return .door(color, .open)
        case "L": return .door(color, .locked)
        case "K": return .key(color)
        case "B": return .ball(color)
        default: return nil
        }
    }

    /// The text of `layout`, with the agent at its start.
    public static func format(_ layout: MazeLayout) -> String {
        var lines: [String] = []
        for y in 0..<layout.grid.height {
            var tokens: [String] = []
            for x in 0..<layout.grid.width {
                if x == layout.agentX && y == layout.agentY {
                    tokens.append(String(headings[layout.agentHeading])); continue
                }
                tokens.append(token(layout.grid[x, y]))
            }
            lines.append(tokens.map { $0.padding(toLength: 2, withPad: " ", startingAt: 0) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func token(_ cell: Cell) -> String {
        let c = String(cell.color.letter)
        switch cell.kind {
        case .wall: return "#"
        case .goal: return "G"
        case .lava: return "~"
        case .door: return ["O", "D", "L"][Int(min(cell.state, 2))] + c
        case .key: return "K" + c
        case .ball: return "B" + c
        default: return "."
        }
    }
}
