// The ALE-parity protocol on our side: read a trace that /work/shared/anchors/ale_trace.py
// printed (one JSON object per frame), replay its actions and resets on a console driven as
// ALE drives it, and compare RAM and screen frame by frame. The `rl atari trace` command and
// the parity tests share this code.
import Foundation

/// One line of an ale_trace.py trace: the state after frame `frame` (or after a reset).
public struct ALETraceRecord: Sendable, Equatable {
    public var frame: Int
    /// The action taken in this frame; nil for the initial line and for reset lines.
    public var action: Int?
    public var isReset: Bool
    /// RIOT RAM as 256 hex digits.
    public var ramHex: String
    /// MD5 of the palette-index screen.
    public var screenMD5: String

    public init(frame: Int, action: Int?, isReset: Bool, ramHex: String, screenMD5: String) {
        self.frame = frame
        self.action = action
        self.isReset = isReset
        self.ramHex = ramHex
        self.screenMD5 = screenMD5
    }
}

/// A trace file that cannot be used, with the line and the reason.
public struct ALETraceError: Error, CustomStringConvertible {
    public let description: String
}

public enum ALETrace {
    /// Parses ale_trace.py's output (JSON lines). Lines before the first record that are not
    /// JSON are skipped: ale-py prints "Loading roms from ..." on standard output when
    /// `ALE_ROMS_DIR` is set. After the first record every line must be one.
    public static func parse(_ text: String, source: String = "trace") throws -> [ALETraceRecord] {
        var records = [ALETraceRecord]()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let where_ = "\(source) line \(index + 1)"
            if records.isEmpty && !line.hasPrefix("{") { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ALETraceError(description: "\(where_): not a JSON object")
            }
            guard let frame = object["frame"] as? Int else {
                throw ALETraceError(description: "\(where_): no integer \"frame\"")
            }
            let isReset = object["reset"] as? Bool ?? false
            let action = isReset ? nil : object["action"] as? Int
            if !isReset && !records.isEmpty && action == nil {
                throw ALETraceError(description: "\(where_): no integer \"action\"")
            }
            if let action, !(0...17).contains(action) {
                throw ALETraceError(description: "\(where_): action \(action) is not a player-A action (0-17)")
            }
            records.append(ALETraceRecord(frame: frame, action: action, isReset: isReset,
                                          ramHex: object["ram"] as? String ?? "",
                                          screenMD5: object["screen_md5"] as? String ?? ""))
        }
        guard let first = records.first, first.action == nil, !first.isReset else {
            throw ALETraceError(description: "\(source): the first line must be the state after loading (frame 0, no action)")
        }
        return records
    }

    /// Our state in the trace's terms.
    public static func record(of driver: ConsoleDriver, frame: Int, action: Int?, isReset: Bool) -> ALETraceRecord {
        let console = driver.console
        let hex = console.ram.map { byte -> String in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
        return ALETraceRecord(frame: frame, action: action, isReset: isReset, ramHex: hex,
                              screenMD5: ROMDigest.md5Hex(Array(console.screen)))
    }

    /// Replays `records` on `driver` (already reset, as after loadROM) and hands each of our
    /// records with the reference's to `visit`; stops when `visit` returns false.
    public static func replay(_ records: [ALETraceRecord], on driver: ConsoleDriver,
                              visit: (_ ours: ALETraceRecord, _ reference: ALETraceRecord) -> Bool) {
        for reference in records {
            if reference.isReset {
                driver.reset()
            } else if let action = reference.action {
                driver.step(action)
            }
            let ours = record(of: driver, frame: reference.frame, action: reference.action, isReset: reference.isReset)
            if !visit(ours, reference) { return }
        }
    }
}

extension ConsoleDriver {
    /// A console for the ROM at `url`, powered on and reset as ale-py's loadROM leaves it.
    /// `game` is ale-py's ROM name (it selects ALE's mode-selection facts).
    public static func aleLoaded(romURL url: URL, game: String) throws -> ConsoleDriver {
        let cartridge = try Cartridge.load(contentsOf: url)
        let console = Console(cartridge: cartridge, properties: .forROM(md5: cartridge.md5))
        let driver = ConsoleDriver(console: console, modeSelection: .forGame(game))
        driver.reset()
        return driver
    }
}

/// How two trace records differ, in words (first differing RAM byte, or the screen).
public enum ALETraceComparison {
    public static func difference(_ ours: ALETraceRecord, _ reference: ALETraceRecord) -> String? {
        let label = "frame \(reference.frame)\(reference.isReset ? " (after reset)" : "")"
        if ours.ramHex != reference.ramHex {
            let a = Array(ours.ramHex), b = Array(reference.ramHex)
            var bytes = [String]()
            for index in stride(from: 0, to: min(a.count, b.count), by: 2) where a[index..<index + 2] != b[index..<index + 2] {
                bytes.append(String(format: "$%02X ours %@ ale %@", 0x80 + index / 2,
                                    String(a[index..<index + 2]), String(b[index..<index + 2])))
                if bytes.count == 4 { break }
            }
            return "\(label): RAM differs: " + bytes.joined(separator: ", ")
        }
        if ours.screenMD5 != reference.screenMD5 {
            return "\(label): screen differs (RAM identical)"
        }
        return nil
    }
}
