// The store's SQL schema, in one place. Tables: the store's format version, runs, episodes
// (the index `rl episodes` queries) and chunks (compressed steps). An episode row and all its
// chunks are inserted in one transaction, so a store only ever holds whole episodes.
import GRDB

enum TrajectoryStoreSchema {
    static let statements = [
        "CREATE TABLE IF NOT EXISTS store_format (version INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at REAL NOT NULL,
            configuration TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS episodes (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            env TEXT NOT NULL,
            agent TEXT NOT NULL,
            checkpoint TEXT,
            seed INTEGER,
            kind TEXT NOT NULL,
            return REAL NOT NULL,
            length INTEGER NOT NULL,
            start_time REAL NOT NULL,
            end_time REAL NOT NULL,
            terminated INTEGER NOT NULL,
            truncated INTEGER NOT NULL,
            observation_space TEXT NOT NULL,
            render_space TEXT,
            action_space TEXT NOT NULL,
            action_names TEXT NOT NULL,
            output_kind TEXT NOT NULL,
            output_width INTEGER NOT NULL,
            chunk_count INTEGER NOT NULL,
            stored_bytes INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS episodes_by_env ON episodes(env, agent)",
        "CREATE INDEX IF NOT EXISTS episodes_by_return ON episodes(return)",
        """
        CREATE TABLE IF NOT EXISTS chunks (
            id INTEGER PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            chunk_index INTEGER NOT NULL,
            first_step INTEGER NOT NULL,
            step_count INTEGER NOT NULL,
            codec TEXT NOT NULL,
            scalars BLOB NOT NULL,
            frames BLOB NOT NULL,
            UNIQUE (episode_id, chunk_index))
        """,
    ]

    /// The columns of `episodes` that `EpisodeRecord` is read from, in `record(from:)`'s order.
    static let episodeColumns = """
        id, run_id, env, agent, checkpoint, seed, kind, return, length, start_time, end_time,
        terminated, truncated, observation_space, render_space, action_space, action_names,
        output_kind, output_width, stored_bytes
        """

    /// The one codec this format writes.
    static let codec = "zstd"
}
