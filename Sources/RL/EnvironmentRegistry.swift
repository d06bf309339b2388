// Identifiers (`maze/four-rooms`) to constructors with string options (`size=9`). RL knows no
// family: the `rl` command registers each family at startup, so a new family is a new folder
// plus one registration call, and RL never imports an environment module.

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

/// Errors of building an environment from an identifier and options.
public enum RegistryError: Error, Equatable, CustomStringConvertible {
    case unknownEnvironment(String, known: [String])
    case unknownOption(String, environment: String, accepted: [String])
    case badOptionValue(option: String, value: String, accepted: String)
    case malformedOption(String)
    case duplicateIdentifier(String)

    public var description: String {
        switch self {
        case .unknownEnvironment(let id, let known):
            return "unknown environment '\(id)'; known: \(known.joined(separator: ", "))"
        case .unknownOption(let name, let id, let accepted):
            let list = accepted.isEmpty ? "none" : accepted.joined(separator: ", ")
            return "environment '\(id)' has no option '\(name)'; accepted options: \(list)"
        case .badOptionValue(let name, let value, let accepted):
            return "option '\(name)': bad value '\(value)'; expected \(accepted)"
        case .malformedOption(let text):
            return "option '\(text)' is not of the form key=value"
        case .duplicateIdentifier(let id):
            return "environment '\(id)' is registered twice"
        }
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

/// Identifiers to constructors. A value type: the `rl` command builds one at startup and
/// passes it down, so there is no global mutable registry.
public struct EnvironmentRegistry: Sendable {
    /// One registered identifier.
    public struct Entry: Sendable {
        public var identifier: String
        public var summary: String
        public var options: [OptionSpec]
        public var make: @Sendable (EnvironmentOptions) throws -> any Environment
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Adds an identifier. Registering one twice is a programmer error of the startup code.
    public mutating func register(
        _ identifier: String, summary: String, options: [OptionSpec],
        make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment
    ) {
        precondition(entries[identifier] == nil, "EnvironmentRegistry.register: '\(identifier)' registered twice")
        entries[identifier] = Entry(identifier: identifier, summary: summary, options: options, make: make)
    }

    /// Every identifier, sorted.
    public var identifiers: [String] { entries.keys.sorted() }

    /// Builds the environment of `identifier` with `options`. Unknown identifiers and options
    /// and bad values throw `RegistryError`.
    public func make(_ identifier: String, options: [String: String] = [:]) throws -> any Environment {
        guard let entry = entries[identifier] else {
            throw RegistryError.unknownEnvironment(identifier, known: identifiers)
        }
        let acceptedNames = entry.options.map(\.name)
        for name in options.keys.sorted() where !acceptedNames.contains(name) {
            throw RegistryError.unknownOption(name, environment: identifier, accepted: acceptedNames)
        }
        return try entry.make(EnvironmentOptions(options, specs: entry.options))
    }
}
