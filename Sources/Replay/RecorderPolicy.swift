// Which episodes a recorder keeps. Evaluation episodes by default: they are the ones people
// watch and compare, and recording only them keeps the cost off the training loop.

/// Which episodes `EpisodeRecorder` stores.
public enum RecorderPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Every episode.
    case all
    /// Every Nth training episode (the first, the N+1th, ...), and every evaluation and human one.
    case everyNth(Int)
    /// Evaluation and human episodes only (the default).
    case evaluationOnly
    /// Nothing.
    case none

    public static let `default` = RecorderPolicy.evaluationOnly

    /// Parses `all`, `every-N`, `evaluation` or `none` (the spelling of `--set record=...`).
    public init(parsing text: String) throws {
        switch text {
        case "all": self = .all
        case "evaluation", "eval": self = .evaluationOnly
        case "none": self = .none
        default:
            if text.hasPrefix("every-"), let n = Int(text.dropFirst(6)), n >= 1 {
                self = .everyNth(n)
            } else {
                throw TrajectoryStoreError.invalidArgument(
                    "unknown recording policy '\(text)': use all, every-N (N >= 1), evaluation or none")
            }
        }
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .everyNth(let n): return "every-\(n)"
        case .evaluationOnly: return "evaluation"
        case .none: return "none"
        }
    }

    /// Whether to record an episode of `kind`; `trainingIndex` counts training episodes from 0.
    func records(_ kind: EpisodeKind, trainingIndex: Int) -> Bool {
        switch (self, kind) {
        case (.none, _): return false
        case (.all, _): return true
        case (_, .evaluation), (_, .human): return true
        case (.everyNth(let n), .training): return trainingIndex % max(1, n) == 0
        case (.evaluationOnly, .training): return false
        }
    }
}
