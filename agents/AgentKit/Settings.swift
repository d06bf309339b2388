// `--set key=value` for configurations that are plain structs: each tunable field is one
// `Setting` row (name, accepted values, how to read and write it), so unknown keys and bad
// values get errors naming the key and what it accepts, and a resolved configuration can be
// written to config.json as strings and rebuilt from them on resume.

/// Errors of applying `--set key=value` pairs.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
    case unknownKey(String, valid: [String])
    case badValue(key: String, value: String, accepted: String)
    case malformed(String)
    case unknownPreset(String, agent: String, valid: [String])

    public var description: String {
        switch self {
        case .unknownKey(let key, let valid):
            return "unknown setting '\(key)'; valid settings: \(valid.joined(separator: ", "))"
        case .badValue(let key, let value, let accepted):
            return "setting '\(key)': bad value '\(value)'; accepted: \(accepted)"
        case .malformed(let text):
            return "'\(text)' is not of the form key=value"
        case .unknownPreset(let preset, let agent, let valid):
            return "unknown preset '\(preset)' for agent '\(agent)'; valid presets: \(valid.joined(separator: ", "))"
        }
    }
}

/// One settable field of `Configuration`.
public struct Setting<Configuration> {
    public let name: String
    /// The accepted values, for errors and `rl agents`.
    public let accepted: String
    public let help: String
    public let read: (Configuration) -> String
    /// Writes the parsed value; returns false for a value outside what `accepted` says.
    public let write: (inout Configuration, String) -> Bool

    public init(_ name: String, accepted: String, help: String,
                read: @escaping (Configuration) -> String, write: @escaping (inout Configuration, String) -> Bool) {
        self.name = name
        self.accepted = accepted
        self.help = help
        self.read = read
        self.write = write
    }

    /// An integer field within `range`.
    public static func int(_ name: String, _ keyPath: WritableKeyPath<Configuration, Int>, _ range: ClosedRange<Int>,
                           _ help: String) -> Setting {
        Setting(name, accepted: "an integer in \(range.lowerBound)...\(range.upperBound)", help: help,
                read: { String($0[keyPath: keyPath]) },
                write: { config, text in
                    guard let v = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(v) else { return false }
                    config[keyPath: keyPath] = v
                    return true
                })
    }

    /// A real field within `range`.
    public static func double(_ name: String, _ keyPath: WritableKeyPath<Configuration, Double>, _ range: ClosedRange<Double>,
                              _ help: String) -> Setting {
        Setting(name, accepted: "a number in \(range.lowerBound)...\(range.upperBound)", help: help,
                read: { "\($0[keyPath: keyPath])" },
                write: { config, text in
                    guard let v = Double(text), v.isFinite, range.contains(v) else { return false }
                    config[keyPath: keyPath] = v
                    return true
                })
    }

    /// A true/false field.
    public static func bool(_ name: String, _ keyPath: WritableKeyPath<Configuration, Bool>, _ help: String) -> Setting {
        Setting(name, accepted: "true|false", help: help,
                read: { $0[keyPath: keyPath] ? "true" : "false" },
                write: { config, text in
                    switch text {
                    case "true": config[keyPath: keyPath] = true
                    case "false": config[keyPath: keyPath] = false
                    default: return false
                    }
                    return true
                })
    }

    /// A field taking one of a string enumeration's raw values.
    public static func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ keyPath: WritableKeyPath<Configuration, E>,
                                                                  _ help: String) -> Setting where E.RawValue == String {
        Setting(name, accepted: E.allCases.map(\.rawValue).joined(separator: "|"), help: help,
                read: { $0[keyPath: keyPath].rawValue },
                write: { config, text in
                    guard let v = E(rawValue: text) else { return false }
                    config[keyPath: keyPath] = v
                    return true
                })
    }
}

extension Array {
    /// Applies `values` (key → text) to `configuration` through these settings, in key order
    /// so errors are deterministic.
    public func apply<C>(_ values: [String: String], to configuration: inout C) throws where Element == Setting<C> {
        for key in values.keys.sorted() {
            guard let setting = first(where: { $0.name == key }) else {
                throw SettingsError.unknownKey(key, valid: map(\.name))
            }
            guard setting.write(&configuration, values[key]!) else {
                throw SettingsError.badValue(key: key, value: values[key]!, accepted: setting.accepted)
            }
        }
    }

    /// Every setting's current value, for config.json.
    public func values<C>(of configuration: C) -> [String: String] where Element == Setting<C> {
        Dictionary(uniqueKeysWithValues: map { ($0.name, $0.read(configuration)) })
    }
}

/// Parses `key=value` strings (the `--set` options), the last one of a key winning.
public func parseSettings(_ pairs: [String]) throws -> [String: String] {
    var result: [String: String] = [:]
    for pair in pairs {
        guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw SettingsError.malformed(pair) }
        result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    return result
}
