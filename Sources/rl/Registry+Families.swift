// The environment registry of the `rl` command: every family registers its identifiers here,
// once, at startup (RL itself knows no family). A new family adds one line.
import ALE
import GridMaze
import RL

extension EnvironmentRegistry {
    /// Every family the command knows.
    static func standard() -> EnvironmentRegistry {
        var registry = EnvironmentRegistry()
        GridMazeFamily.register(into: &registry)
        AtariFamily.register(into: &registry)
        return registry
    }

    /// Builds `identifier` with `key=value` options, as the command line gives them.
    func make(_ identifier: String, optionPairs: [String]) throws -> any Environment {
        try make(identifier, options: EnvironmentOptions.parse(optionPairs))
    }
}
