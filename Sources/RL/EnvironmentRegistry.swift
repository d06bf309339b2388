// Identifiers (`maze/four-rooms`) to constructors with string options (`size=9`). RL knows no
// family: the `rl` command registers each family at startup, so a new family is a new folder
// plus one registration call, and RL never imports an environment module.

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
            let hint = EnvironmentRegistry.closest(to: id, among: known).map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown environment '\(id)'\(hint); valid environments: \(known.joined(separator: ", "))"
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

    /// The identifier a mistyped `identifier` most likely meant: the same name with ale-py's or
    /// Gymnasium's spelling (`atari/ms_pacman`, `atari/MsPacman`, any case), else the one
    /// within two edits, if exactly one is that close.
    public static func closest(to identifier: String, among known: [String]) -> String? {
        func folded(_ s: String) -> String { s.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " } }
        let key = folded(identifier)
        if let same = known.first(where: { folded($0) == key }) { return same }
        let near = known.filter { editDistance(Array(identifier.lowercased()), Array($0), limit: 2) <= 2 }
        return near.count == 1 ? near[0] : nil
    }

    /// Levenshtein distance, or `limit + 1` once every alignment costs more than `limit`.
    private static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            if current.min()! > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

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

extension EnvironmentRegistry {
    /// `count` environments of `identifier` with the same options, as one vector stepped on
    /// `threads` threads (`chunkSize` as in `VectorEnvironment.init`).
    public func makeVector(_ identifier: String, options: [String: String] = [:], count: Int,
                           threads: Int = 1, chunkSize: Int? = nil) throws -> VectorEnvironment {
        precondition(count >= 1, "EnvironmentRegistry.makeVector: count \(count) must be at least 1")
        return VectorEnvironment(try (0..<count).map { _ in try make(identifier, options: options) },
                                 threads: threads, chunkSize: chunkSize)
    }
}
