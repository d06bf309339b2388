// The viewer's typed errors. Without a display the viewer says so in one line and points at
// `rl export`, which needs none.

/// Why the viewer could not open or draw.
public enum ViewerError: Error, Equatable, CustomStringConvertible {
    /// SDL found no display to open a window on (no X server or Wayland compositor).
    case noDisplay(detail: String)
    /// An SDL call failed.
    case sdlFailed(call: String, detail: String)
    /// The run holds no episodes to show.
    case noEpisodes(path: String)

    public var description: String {
        switch self {
        case .noDisplay(let detail):
            return "no display to open a window on (\(detail)); without one, use `rl export DIR --episode N --format png|mp4`"
        case .sdlFailed(let call, let detail):
            return "\(call) failed: \(detail)"
        case .noEpisodes(let path):
            return "\(path) holds no recorded episodes to watch"
        }
    }
}
