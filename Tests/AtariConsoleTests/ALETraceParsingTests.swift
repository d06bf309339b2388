// ale_trace.py's JSON lines as `rl atari trace` and the parity tests read them: ale-py's own
// stdout banner before the first record is skipped (it prints one when ALE_ROMS_DIR is set),
// anything else that is not a record is an error naming the line.
import AtariConsole
import Testing

@Suite("ALE trace parsing") struct ALETraceParsingTests {
    static let records = """
        {"frame": 0, "ram": "00ff", "screen_md5": "abc"}
        {"frame": 1, "action": 3, "ram": "01ff", "screen_md5": "abd"}
        {"frame": 2, "reset": true, "ram": "00ff", "screen_md5": "abc"}
        """

    @Test func aBannerBeforeTheFirstRecordIsSkipped() throws {
        let text = "Loading roms from /somewhere/roms...\n" + Self.records
        let parsed = try ALETrace.parse(text)
        #expect(parsed.map(\.frame) == [0, 1, 2])
        #expect(parsed.map(\.action) == [nil, 3, nil])
        #expect(parsed.map(\.isReset) == [false, false, true])
        #expect(parsed[1].ramHex == "01ff" && parsed[1].screenMD5 == "abd")
        #expect(try ALETrace.parse(Self.records).map(\.frame) == [0, 1, 2])
    }

    @Test func aLineAfterTheFirstRecordMustBeARecord() {
        let text = Self.records.replacingOccurrences(of: "{\"frame\": 1,", with: "Loading roms...\n{\"frame\": 1,")
        #expect { try ALETrace.parse(text, source: "t.jsonl") } throws: { error in
            "\(error)" == "t.jsonl line 2: not a JSON object"
        }
    }

    @Test func aStepWithoutAnActionOrATraceWithoutRecordsIsRejected() {
        let noAction = Self.records.replacingOccurrences(of: "\"action\": 3, ", with: "")
        #expect { try ALETrace.parse(noAction, source: "t") } throws: { "\($0)" == "t line 2: no integer \"action\"" }
        #expect { try ALETrace.parse("Loading roms from x...\n", source: "t") } throws: {
            "\($0)".contains("the first line must be the state after loading")
        }
    }
}
