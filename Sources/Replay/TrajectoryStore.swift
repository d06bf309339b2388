// The on-disk trajectory store of one run directory: SQLite in WAL mode through GRDB, holding
// the run, an index row per episode and the episode's steps as zstd-compressed chunks. Every
// episode is inserted in one transaction when it ends, so a process killed at any moment
// leaves a store that opens cleanly with every completed episode readable. Readers never
// write, and everything that comes from outside fails with a `TrajectoryStoreError`.
import Foundation
import GRDB
import RL

/// The trajectory store of a run directory (`DIR/episodes.sqlite`).
public final class TrajectoryStore: Sendable {
    /// The store's file name inside a run directory.
    public static let fileName = "episodes.sqlite"
    /// The format this build writes and reads.
    public static let formatVersion = 1

    /// The run directory.
    public let runDirectory: URL
    /// The SQLite file.
    public let fileURL: URL
    /// Reads: a read-only connection for stores opened to read, the pool for stores opened to record.
    let reader: any DatabaseReader
    /// Writes: the WAL pool of a store opened with `create`; nil for a store opened to read.
    let writer: DatabasePool?

    /// Opens the store of an existing run directory to read it, through a read-only connection
    /// (while another process may be recording into it). Throws `.notADirectory`,
    /// `.notARunDirectory` (naming what the directory holds), `.corrupted` or
    /// `.unsupportedFormat`; never creates or changes a file.
    public convenience init(runDirectory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw TrajectoryStoreError.notADirectory(path: runDirectory.path)
        }
        let file = runDirectory.appendingPathComponent(Self.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: runDirectory.path))?
                .filter { !$0.hasPrefix(".") }.sorted() ?? []
            throw TrajectoryStoreError.notARunDirectory(path: runDirectory.path, contents: contents)
        }
        try self.init(file: file, runDirectory: runDirectory, creating: false)
    }

    /// Opens `file` read-only and checks that it is a store of a format this build reads.
    private static func checkStoreReadOnly(_ file: URL) throws {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: configuration)
            try queue.read { db in try checkSchema(db, path: file.path) }
            try queue.close()
        } catch {
            throw storeError(error, path: file.path)
        }
    }

    /// Throws unless `db` has the store's tables and a format version this build reads.
    private static func checkSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("store_format"), try db.tableExists("episodes"),
              try db.tableExists("chunks"), try db.tableExists("runs") else {
            throw TrajectoryStoreError.corrupted(path: path, detail: "it is an SQLite file without the store's tables")
        }
        let value = try DatabaseValue.fetchOne(db, sql: "SELECT version FROM store_format") ?? .null
        guard let version = Int.fromDatabaseValue(value) else {
            throw TrajectoryStoreError.corrupted(path: path, detail: "it has no readable format version")
        }
        guard version <= formatVersion else {
            throw TrajectoryStoreError.unsupportedFormat(path: path, version: version)
        }
    }

    /// Opens the store of `runDirectory` for recording, creating the directory and the store
    /// where missing. An existing file that is not a store is reported, never overwritten.
    public static func create(runDirectory: URL) throws -> TrajectoryStore {
        do {
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrajectoryStoreError.accessFailed(path: runDirectory.path, detail: error.localizedDescription)
        }
        let file = runDirectory.appendingPathComponent(fileName)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        if size > 0 { try checkStoreReadOnly(file) }
        return try TrajectoryStore(file: file, runDirectory: runDirectory, creating: true)
    }

    private init(file: URL, runDirectory: URL, creating: Bool) throws {
        self.runDirectory = runDirectory
        self.fileURL = file
        let path = file.path
        var configuration = Configuration()
        // Several processes may share a store (training records while the viewer reads).
        configuration.busyMode = .timeout(10)
        do {
            if creating {
                configuration.prepareDatabase { db in
                    // In WAL mode, NORMAL still makes every commit survive a killed process;
                    // only a power cut may lose the last commits, never corrupt the file.
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
                let pool = try DatabasePool(path: path, configuration: configuration)
                try pool.write { db in
                    for statement in TrajectoryStoreSchema.statements { try db.execute(sql: statement) }
                    if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM store_format") == 0 {
                        try db.execute(sql: "INSERT INTO store_format (version) VALUES (?)",
                                       arguments: [Self.formatVersion])
                    }
                }
                writer = pool
                reader = pool
            } else {
                // Read-only: GRDB's pool writes on opening (it switches the journal to WAL and
                // makes sure a WAL file exists), and a reader must never change a file.
                configuration.readonly = true
                writer = nil
                reader = try DatabaseQueue(path: path, configuration: configuration)
            }
            try reader.read { db in try Self.checkSchema(db, path: path) }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    // MARK: Runs

    /// The id of the run named `name`, inserting it on first use. A store normally holds the
    /// one run of its directory; human play and later evaluations may add runs beside it.
    public func run(named name: String, configuration: String? = nil) throws -> Int64 {
        try guarded { () throws -> Int64 in
            try writable().write { db in
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE name = ?", arguments: [name]) {
                    return id
                }
                try db.execute(sql: "INSERT INTO runs (name, created_at, configuration) VALUES (?, ?, ?)",
                               arguments: [name, Date().timeIntervalSince1970, configuration])
                return db.lastInsertedRowID
            }
        }
    }

    // MARK: Queries

    /// The episodes that match `filter`, in its order.
    public func episodes(matching filter: EpisodeFilter = EpisodeFilter()) throws -> [EpisodeRecord] {
        let (whereSQL, arguments) = filter.whereClause
        let sql = "SELECT \(TrajectoryStoreSchema.episodeColumns) FROM episodes" + whereSQL
            + filter.orderAndLimitClause
        let rows = try guarded { try reader.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) } }
        return try rows.map { try record(from: $0, column: 0) }
    }

    /// The episode with `id`; `.noSuchEpisode` names the ids that exist.
    public func episode(id: Int64) throws -> EpisodeRecord {
        let sql = "SELECT \(TrajectoryStoreSchema.episodeColumns) FROM episodes WHERE id = ?"
        let row = try guarded { try reader.read { db in try Row.fetchOne(db, sql: sql, arguments: [id]) } }
        guard let row else {
            throw TrajectoryStoreError.noSuchEpisode(id: id, existing: try describeEpisodeIDs())
        }
        return try record(from: row, column: 0)
    }

    /// Every episode id, ascending.
    public func episodeIDs() throws -> [Int64] {
        try guarded { try reader.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM episodes ORDER BY id") } }
    }

    /// "it holds episodes 1-4, 7" or "it holds no episodes", for error messages.
    public func describeEpisodeIDs() throws -> String {
        let ids = try episodeIDs()
        guard !ids.isEmpty else { return "it holds no episodes" }
        var ranges: [String] = []
        var start = ids[0], end = ids[0]
        for id in ids.dropFirst() + [Int64.min] {
            if id == end + 1 { end = id; continue }
            ranges.append(start == end ? "\(start)" : "\(start)-\(end)")
            start = id
            end = id
        }
        return "it holds episode\(ids.count == 1 ? "" : "s") " + ranges.joined(separator: ", ")
    }

    /// Runs SQLite's full integrity check (reads every page): `.corrupted` with SQLite's
    /// findings where the file is damaged.
    public func verifyIntegrity() throws {
        let findings = try guarded { try reader.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } }
        guard findings == ["ok"] else {
            throw TrajectoryStoreError.corrupted(path: fileURL.path, detail: findings.prefix(3).joined(separator: "; "))
        }
    }

    // MARK: Across runs

    /// One episode of a listing across run directories.
    public struct RunEpisode: Sendable, Equatable {
        public var runDirectory: URL
        public var episode: EpisodeRecord
        public init(runDirectory: URL, episode: EpisodeRecord) {
            self.runDirectory = runDirectory
            self.episode = episode
        }
    }

    /// The episodes of several run directories that match `filter`, in its order, through one
    /// SQL query over the stores attached to an in-memory database (in groups of ten, SQLite's
    /// default limit of attached databases; groups are merged in the filter's order).
    public static func episodes(inRuns runDirectories: [URL],
                                matching filter: EpisodeFilter = EpisodeFilter()) throws -> [RunEpisode] {
        // Opening each first reports a missing or damaged store by name before anything is attached.
        let stores = try runDirectories.map { try TrajectoryStore(runDirectory: $0) }
        let hub: DatabaseQueue
        do { hub = try DatabaseQueue() } catch { throw storeError(error, path: ":memory:") }
        var found: [RunEpisode] = []
        for groupStart in stride(from: 0, to: stores.count, by: 10) {
            let group = Array(stores[groupStart..<min(stores.count, groupStart + 10)])
            let (whereSQL, arguments) = filter.whereClause
            let selects = group.indices.map {
                "SELECT \($0) AS run_index, \(TrajectoryStoreSchema.episodeColumns) FROM run\($0).episodes" + whereSQL
            }
            let sql = selects.joined(separator: " UNION ALL ") + filter.orderAndLimitClause
            var allArguments = StatementArguments()
            for _ in group { allArguments += arguments }
            let finalArguments = allArguments
            let rows: [Row]
            do {
                rows = try hub.inDatabase { db in
                    for (index, store) in group.enumerated() {
                        try db.execute(sql: "ATTACH DATABASE ? AS run\(index)", arguments: [store.fileURL.path])
                    }
                    defer {
                        for index in group.indices { try? db.execute(sql: "DETACH DATABASE run\(index)") }
                    }
                    return try Row.fetchAll(db, sql: sql, arguments: finalArguments)
                }
            } catch {
                throw storeError(error, path: group.map(\.fileURL.path).joined(separator: ", "))
            }
            for row in rows {
                let store = group[try stores[0].column(row, 0, "run index") as Int]
                found.append(RunEpisode(runDirectory: store.runDirectory,
                                        episode: try store.record(from: row, column: 1)))
            }
        }
        if stores.count > 10 {
            found.sort { a, b in filter.order.areInIncreasingOrder(a.episode, b.episode) }
            if let limit = filter.limit { found = Array(found.prefix(max(0, limit))) }
        }
        return found
    }

    // MARK: Writing (through EpisodeRecorder)

    /// A compressed chunk ready for insertion.
    struct CompressedChunk {
        var firstStep: Int
        var stepCount: Int
        var scalars: Data
        var frames: Data
    }

    /// Inserts an episode row and its chunks in one transaction and returns the episode's id.
    func insert(_ episode: EpisodeRecord, chunks: [CompressedChunk]) throws -> Int64 {
        try guarded { () throws -> Int64 in
            try writable().write { db in
                try db.execute(sql: """
                    INSERT INTO episodes (run_id, env, agent, checkpoint, seed, kind, return, length,
                        start_time, end_time, terminated, truncated, observation_space, render_space,
                        action_space, action_names, output_kind, output_width, chunk_count, stored_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        episode.runID, episode.environmentID, episode.agent, episode.checkpoint,
                        episode.seed.map { Int64(bitPattern: $0) }, episode.kind.rawValue,
                        episode.episodeReturn, episode.length,
                        episode.startTime.timeIntervalSince1970, episode.endTime.timeIntervalSince1970,
                        episode.terminated, episode.truncated, episode.observationSpace.storeJSON,
                        episode.renderSpace?.storeJSON, episode.actionSpace.storeJSON,
                        Self.jsonText(episode.actionNames), episode.outputKind.rawValue,
                        episode.outputWidth, chunks.count, episode.storedBytes,
                    ])
                let id = db.lastInsertedRowID
                for (index, chunk) in chunks.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO chunks (episode_id, chunk_index, first_step, step_count, codec, scalars, frames)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, index, chunk.firstStep, chunk.stepCount,
                                         TrajectoryStoreSchema.codec, chunk.scalars, chunk.frames])
                }
                return id
            }
        }
    }

    // MARK: Reading chunks (through EpisodeReader)

    /// One chunk's place in its episode.
    struct ChunkEntry {
        var index: Int
        var firstStep: Int
        var stepCount: Int
    }

    /// The chunks of an episode in order, with their scalars blobs.
    func chunkScalars(episode id: Int64) throws -> [(ChunkEntry, Data)] {
        let rows = try guarded {
            try reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT chunk_index, first_step, step_count, codec, scalars FROM chunks
                    WHERE episode_id = ? ORDER BY chunk_index
                    """, arguments: [id])
            }
        }
        return try rows.map { row in
            let codec: String = try column(row, 3, "chunk codec")
            guard codec == TrajectoryStoreSchema.codec else {
                throw TrajectoryStoreError.corrupted(path: fileURL.path,
                                                     detail: "episode \(id) has a chunk with unknown codec \(codec)")
            }
            let entry = ChunkEntry(index: try column(row, 0, "chunk index"), firstStep: try column(row, 1, "first step"),
                                   stepCount: try column(row, 2, "step count"))
            return (entry, try column(row, 4, "chunk scalars") as Data)
        }
    }

    /// The frames blob of one chunk.
    func chunkFrames(episode id: Int64, chunk index: Int) throws -> Data {
        let value = try guarded {
            try reader.read { db in
                try DatabaseValue.fetchOne(db, sql: "SELECT frames FROM chunks WHERE episode_id = ? AND chunk_index = ?",
                                           arguments: [id, index])
            }
        }
        guard let value, let blob = Data.fromDatabaseValue(value) else {
            throw TrajectoryStoreError.corrupted(path: fileURL.path, detail: "episode \(id) lacks its chunk \(index)")
        }
        return blob
    }

    // MARK: Helpers

    /// The writer, or `.invalidArgument` for a store opened to read.
    private func writable() throws -> DatabasePool {
        guard let writer else {
            throw TrajectoryStoreError.invalidArgument(
                "the store \(fileURL.path) was opened to read; open it with TrajectoryStore.create(runDirectory:) to record")
        }
        return writer
    }

    /// Runs `body`, turning SQLite's errors into `TrajectoryStoreError`s that name this file.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Self.storeError(error, path: fileURL.path) }
    }

    static func storeError(_ error: Error, path: String) -> TrajectoryStoreError {
        if let error = error as? TrajectoryStoreError { return error }
        if let error = error as? DatabaseError {
            let detail = error.message ?? error.description
            switch error.resultCode {
            case .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_BUSY,
                 .SQLITE_LOCKED, .SQLITE_AUTH, .SQLITE_NOMEM:
                return .accessFailed(path: path, detail: detail)
            default:
                return .corrupted(path: path, detail: detail)
            }
        }
        return .corrupted(path: path, detail: String(describing: error))
    }

    private static func jsonText(_ strings: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The value at `index` of `row` as `T`, or `.corrupted` where a damaged file holds
    /// something else there (GRDB's subscripts would stop the process instead).
    func column<T: DatabaseValueConvertible>(_ row: Row, _ index: Int, _ what: String) throws -> T {
        guard let value = T.fromDatabaseValue(row[index] as DatabaseValue) else {
            throw TrajectoryStoreError.corrupted(path: fileURL.path, detail: "unreadable \(what) in a row")
        }
        return value
    }

    /// Like `column`, where NULL is allowed.
    func optionalColumn<T: DatabaseValueConvertible>(_ row: Row, _ index: Int, _ what: String) throws -> T? {
        let value = row[index] as DatabaseValue
        if value.isNull { return nil }
        return try column(row, index, what) as T
    }

    /// Decodes the episode columns of `row` starting at `column` (in `episodeColumns`' order).
    func record(from row: Row, column c: Int) throws -> EpisodeRecord {
        func damaged(_ what: String) -> TrajectoryStoreError {
            .corrupted(path: fileURL.path, detail: "an episode row has \(what)")
        }
        guard let kind = EpisodeKind(rawValue: try column(row, c + 6, "kind")) else { throw damaged("an unknown kind") }
        guard let observationSpace = Space(storeJSON: try column(row, c + 13, "observation space")) else {
            throw damaged("an unreadable observation space")
        }
        var renderSpace: Space? = nil
        if let renderText: String = try optionalColumn(row, c + 14, "render space") {
            guard let space = Space(storeJSON: renderText) else { throw damaged("an unreadable render space") }
            renderSpace = space
        }
        guard let actionSpace = Space(storeJSON: try column(row, c + 15, "action space")) else {
            throw damaged("an unreadable action space")
        }
        let namesText: String = try column(row, c + 16, "action names")
        guard let names = (try? JSONSerialization.jsonObject(with: Data(namesText.utf8))) as? [String] else {
            throw damaged("unreadable action names")
        }
        guard let outputKind = AgentOutputKind(rawValue: try column(row, c + 17, "output kind")) else {
            throw damaged("an unknown agent output kind")
        }
        let seed: Int64? = try optionalColumn(row, c + 5, "seed")
        let length: Int = try column(row, c + 8, "length"), outputWidth: Int = try column(row, c + 18, "output width")
        // Bounds a damaged row could break, so that readers never overflow or allocate without limit.
        guard length >= 0 && length < 1 << 40 else { throw damaged("an implausible length \(length)") }
        guard outputWidth >= 0 && outputWidth <= 1 << 16 else { throw damaged("an implausible output width \(outputWidth)") }
        return EpisodeRecord(
            id: try column(row, c, "id"), runID: try column(row, c + 1, "run id"),
            environmentID: try column(row, c + 2, "env"), agent: try column(row, c + 3, "agent"),
            checkpoint: try optionalColumn(row, c + 4, "checkpoint"), seed: seed.map { UInt64(bitPattern: $0) },
            kind: kind, episodeReturn: try column(row, c + 7, "return"), length: length,
            startTime: Date(timeIntervalSince1970: try column(row, c + 9, "start time")),
            endTime: Date(timeIntervalSince1970: try column(row, c + 10, "end time")),
            terminated: try column(row, c + 11, "terminated"), truncated: try column(row, c + 12, "truncated"),
            observationSpace: observationSpace, renderSpace: renderSpace, actionSpace: actionSpace,
            actionNames: names, outputKind: outputKind, outputWidth: outputWidth,
            storedBytes: try column(row, c + 19, "stored bytes"))
    }
}

extension EpisodeOrder {
    /// The Swift twin of `sql`, for merging listings of several groups of stores.
    func areInIncreasingOrder(_ a: EpisodeRecord, _ b: EpisodeRecord) -> Bool {
        switch self {
        case .recorded: return a.id < b.id
        case .best: return a.episodeReturn != b.episodeReturn ? a.episodeReturn > b.episodeReturn : a.id < b.id
        case .worst: return a.episodeReturn != b.episodeReturn ? a.episodeReturn < b.episodeReturn : a.id < b.id
        case .longest: return a.length != b.length ? a.length > b.length : a.id < b.id
        case .shortest: return a.length != b.length ? a.length < b.length : a.id < b.id
        }
    }
}
