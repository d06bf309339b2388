// Which episodes a listing wants and in what order, as data; the store turns it into one SQL
// WHERE / ORDER BY so the filtering happens in SQLite's index, not in Swift.
import GRDB

/// The order of an episode listing.
public enum EpisodeOrder: String, Sendable, Equatable, CaseIterable {
    /// Oldest first (by id).
    case recorded
    /// Highest return first.
    case best
    /// Lowest return first.
    case worst
    /// Most steps first.
    case longest
    /// Fewest steps first.
    case shortest

    var sql: String {
        switch self {
        case .recorded: return "id ASC"
        case .best: return "\"return\" DESC, id ASC"
        case .worst: return "\"return\" ASC, id ASC"
        case .longest: return "length DESC, id ASC"
        case .shortest: return "length ASC, id ASC"
        }
    }
}

/// A selection of episodes: every field that is set must match.
public struct EpisodeFilter: Sendable, Equatable {
    public var environmentID: String?
    public var agent: String?
    public var kind: EpisodeKind?
    /// Keep episodes whose return is at least this.
    public var minimumReturn: Double?
    /// Keep episodes whose return is at most this.
    public var maximumReturn: Double?
    public var order: EpisodeOrder
    /// At most this many episodes.
    public var limit: Int?

    public init(environmentID: String? = nil, agent: String? = nil, kind: EpisodeKind? = nil,
                minimumReturn: Double? = nil, maximumReturn: Double? = nil,
                order: EpisodeOrder = .recorded, limit: Int? = nil) {
        self.environmentID = environmentID
        self.agent = agent
        self.kind = kind
        self.minimumReturn = minimumReturn
        self.maximumReturn = maximumReturn
        self.order = order
        self.limit = limit
    }

    /// The WHERE clause (empty or starting with " WHERE") and its arguments.
    var whereClause: (sql: String, arguments: StatementArguments) {
        var terms: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let environmentID { terms.append("env = ?"); arguments.append(environmentID) }
        if let agent { terms.append("agent = ?"); arguments.append(agent) }
        if let kind { terms.append("kind = ?"); arguments.append(kind.rawValue) }
        if let minimumReturn { terms.append("\"return\" >= ?"); arguments.append(minimumReturn) }
        if let maximumReturn { terms.append("\"return\" <= ?"); arguments.append(maximumReturn) }
        let sql = terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")
        return (sql, StatementArguments(arguments))
    }

    var orderAndLimitClause: String {
        " ORDER BY \(order.sql)" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
    }
}
