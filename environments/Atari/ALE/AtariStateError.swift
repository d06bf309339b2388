// Why an Atari environment refuses a saved state. A state restored into an environment of
// another game, or of another configuration (frame skip, sticky actions, no-op starts, stack,
// ...), would continue differently from the one it was saved from, so it is refused before
// anything changes, with the two sides named.

/// A saved Atari state that does not fit the environment it is restored into.
public enum AtariStateError: Error, Equatable, CustomStringConvertible {
    /// The state was saved from another game (ROM MD5s).
    case wrongGame(expected: String, found: String)
    /// The state was saved from an environment configured differently.
    case wrongConfiguration(expected: String, found: String)

    public var description: String {
        switch self {
        case .wrongGame(let expected, let found):
            return "the state was saved from the ROM \(found); this environment runs \(expected)"
        case .wrongConfiguration(let expected, let found):
            return "the state was saved from an environment configured as \(found); this one is \(expected)"
        }
    }
}
