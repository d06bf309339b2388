// How a chunk of consecutive steps is laid out before compression: column by column, so that
// like bytes sit together (frames next to frames, rewards next to rewards) and compress well.
// Two blobs per chunk: `scalars` (actions, rewards, flags, values, agent outputs: small, read
// whole by listings and the viewer) and `frames` (observations then render frames: large, read
// one chunk at a time). Numbers are little-endian, as on every machine this builds for.

/// Byte sizes of one step's columns and the offsets of the columns inside a chunk of `n` steps.
struct EpisodeChunkLayout: Equatable {
    /// Bytes of one observation, as the environment produces it.
    let observationBytes: Int
    /// Bytes of one RGB render frame (0 where the environment does not render).
    let renderBytes: Int
    /// Floats of agent output per step.
    let outputWidth: Int

    /// Bytes per step in the scalars blob: action Int32, reward Float, flags UInt8, value Float,
    /// outputs Float x outputWidth.
    var scalarBytesPerStep: Int { 4 + 4 + 1 + 4 + 4 * outputWidth }
    var frameBytesPerStep: Int { observationBytes + renderBytes }

    func scalarBytes(steps n: Int) -> Int { n * scalarBytesPerStep }
    func frameBytes(steps n: Int) -> Int { n * frameBytesPerStep }

    // Offsets inside the scalars blob of a chunk of n steps.
    func actionsOffset(steps n: Int) -> Int { 0 }
    func rewardsOffset(steps n: Int) -> Int { 4 * n }
    func flagsOffset(steps n: Int) -> Int { 8 * n }
    func valuesOffset(steps n: Int) -> Int { 9 * n }
    func outputsOffset(steps n: Int) -> Int { 13 * n }

    // Offsets inside the frames blob of a chunk of n steps.
    func observationsOffset(steps n: Int) -> Int { 0 }
    func rendersOffset(steps n: Int) -> Int { n * observationBytes }

    /// Steps per chunk so that a chunk's raw frames stay near `targetBytes` (a whole chunk
    /// then fits the compressor's window), between 1 and 4096.
    func stepsPerChunk(targetBytes: Int) -> Int {
        max(1, min(4096, targetBytes / max(1, frameBytesPerStep + scalarBytesPerStep)))
    }
}
