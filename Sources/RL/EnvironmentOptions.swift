// The `key=value` options of an environment identifier: their declarations (for validation and
// `rl envs`) and typed accessors whose errors name the option and the values it accepts.

/// An option an identifier accepts, for validation and for `rl envs`.
public struct OptionSpec: Sendable, Equatable {
    public var name: String
    /// What values are accepted, for error messages: "an integer in 5...63", "symbolic|rgb".
    public var accepted: String
    public var defaultValue: String
    public init(_ name: String, accepted: String, default defaultValue: String) {
        self.name = name
        self.accepted = accepted
        self.defaultValue = defaultValue
    }
}

/// The options handed to a constructor, already checked against its `OptionSpec`s; typed
/// accessors turn a bad value into `RegistryError.badOptionValue` naming the accepted values.
public struct EnvironmentOptions: Sendable, Equatable {
    public private(set) var values: [String: String]
    private var specs: [String: OptionSpec]

    public init(_ values: [String: String] = [:], specs: [OptionSpec] = []) {
        self.values = values
        self.specs = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Parses `key=value` strings (as given to `--set` or `--option`).
    public static func parse(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw RegistryError.malformedOption(pair)
            }
            result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return result
    }

    private func raw(_ name: String) -> String? {
        values[name] ?? specs[name]?.defaultValue
    }

    private func accepted(_ name: String, _ fallback: String) -> String {
        specs[name]?.accepted ?? fallback
    }

    /// The string value of `name` (or its default); nil when neither exists.
    public func string(_ name: String) -> String? { raw(name) }

    /// One of `choices`.
    public func choice(_ name: String, _ choices: [String]) throws -> String {
        let value = raw(name) ?? ""
        guard choices.contains(value) else {
            throw RegistryError.badOptionValue(option: name, value: value,
                                               accepted: accepted(name, choices.joined(separator: "|")))
        }
        return value
    }

    /// An integer in `range`.
    public func int(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        let value = raw(name) ?? ""
        guard let n = Int(value), range.contains(n) else {
            throw RegistryError.badOptionValue(
                option: name, value: value,
                accepted: accepted(name, "an integer in \(range.lowerBound)...\(range.upperBound)"))
        }
        return n
    }

    /// A number in `range`.
    public func double(_ name: String, in range: ClosedRange<Double>) throws -> Double {
        let value = raw(name) ?? ""
        guard let x = Double(value), x.isFinite, range.contains(x) else {
            throw RegistryError.badOptionValue(
                option: name, value: value,
                accepted: accepted(name, "a number in \(range.lowerBound)...\(range.upperBound)"))
        }
        return x
    }

    /// `true` or `false`.
    public func bool(_ name: String) throws -> Bool {
        switch raw(name) {
        case "true": return true
        case "false": return false
        default:
            throw RegistryError.badOptionValue(option: name, value: raw(name) ?? "",
                                               accepted: accepted(name, "true|false"))
        }
    }
}
