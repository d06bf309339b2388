// Reads one recorded episode back: its per-step scalars (actions, rewards, RLDS flags, values,
// agent outputs) whole when opened, its frames one chunk at a time on demand, so the viewer and
// the exporters can walk an Atari episode of tens of thousands of frames in bounded memory.
// Every inconsistency between the index and the chunks is a `.corrupted` error, not a crash.
import Foundation
import RL

/// Random access to the steps of one stored episode.
public final class EpisodeReader {
    public let record: EpisodeRecord
    /// RLDS steps (`record.length + 1`).
    public let stepCount: Int
    /// The action taken at each step (0 at the last step).
    public let actions: [Int32]
    /// The reward each step's action earned (0 at the last step).
    public let rewards: [Float]
    public let flags: [StepFlags]
    /// The agent's value estimate per step; NaN where it gave none.
    public let values: [Float]
    /// `stepCount x record.outputWidth` agent outputs, row-major; NaN where it gave none.
    public let outputs: [Float]

    private let store: TrajectoryStore
    private let chunks: [TrajectoryStore.ChunkEntry]
    private let layout: EpisodeChunkLayout
    private let codec: TrajectoryStoreCodec
    private var cachedChunk = -1
    private var frameBuffer: [UInt8] = []

    /// Opens episode `id` of `store`; `.noSuchEpisode` names the ids that exist.
    public init(store: TrajectoryStore, episode id: Int64) throws {
        self.store = store
        codec = TrajectoryStoreCodec()
        record = try store.episode(id: id)
        stepCount = record.stepCount
        let layout = EpisodeChunkLayout(observationBytes: record.observationSpace.byteCount,
                                        renderBytes: record.renderSpace?.byteCount ?? 0,
                                        outputWidth: record.outputWidth)
        self.layout = layout
        let codec = codec
        let path = store.fileURL.path
        let entries = try store.chunkScalars(episode: id)
        // A damaged index row must not make the reader allocate without bound.
        guard layout.frameBytes(steps: 1) <= 1 << 30 else {
            throw TrajectoryStoreError.corrupted(path: path, detail: "episode \(id) has an implausible index row")
        }
        var actions = [Int32](), rewards = [Float](), flags = [StepFlags](), values = [Float](), outputs = [Float]()
        actions.reserveCapacity(min(stepCount, 1 << 20))
        var nextStep = 0
        var raw = [UInt8]()
        for (entry, blob) in entries {
            guard entry.firstStep == nextStep, entry.stepCount > 0, entry.stepCount <= 4096,
                  entry.stepCount <= stepCount - nextStep else {
                throw TrajectoryStoreError.corrupted(path: path,
                    detail: "episode \(id): chunk \(entry.index) starts at step \(entry.firstStep) with \(entry.stepCount) steps; expected a chunk from step \(nextStep) within \(stepCount) steps")
            }
            let n = entry.stepCount
            raw = [UInt8](repeating: 0, count: layout.scalarBytes(steps: n))
            if let damage = raw.withUnsafeMutableBytes({ codec.decompress(blob, into: $0) }) {
                throw TrajectoryStoreError.corrupted(path: path, detail: "episode \(id), chunk \(entry.index): \(damage)")
            }
            raw.withUnsafeBytes { buffer in
                Self.appendColumn(buffer, offset: layout.actionsOffset(steps: n), count: n, to: &actions)
                Self.appendColumn(buffer, offset: layout.rewardsOffset(steps: n), count: n, to: &rewards)
                for i in 0..<n { flags.append(StepFlags(rawValue: buffer[layout.flagsOffset(steps: n) + i])) }
                Self.appendColumn(buffer, offset: layout.valuesOffset(steps: n), count: n, to: &values)
                Self.appendColumn(buffer, offset: layout.outputsOffset(steps: n), count: n * layout.outputWidth, to: &outputs)
            }
            nextStep += n
        }
        guard nextStep == stepCount else {
            throw TrajectoryStoreError.corrupted(path: path,
                detail: "episode \(id) has \(nextStep) steps in its chunks; its index row says \(stepCount)")
        }
        self.actions = actions.map { Int32(littleEndian: $0) }
        self.rewards = rewards
        self.flags = flags
        self.values = values
        self.outputs = outputs
        self.chunks = entries.map(\.0)
    }

    /// Copies `count` little-endian scalars starting at byte `offset` of `buffer` onto `array`.
    private static func appendColumn<T>(_ buffer: UnsafeRawBufferPointer, offset: Int, count: Int, to array: inout [T]) {
        for i in 0..<count { array.append(buffer.loadUnaligned(fromByteOffset: offset + MemoryLayout<T>.size * i, as: T.self)) }
    }

    /// The agent's outputs at `step` (empty where the agent reports none).
    public func outputs(at step: Int) -> ArraySlice<Float> {
        let width = record.outputWidth
        return outputs[(step * width)..<((step + 1) * width)]
    }

    /// Whether the episode holds RGB render frames.
    public var hasRender: Bool { layout.renderBytes > 0 }

    /// Calls `body` with the observation of `step`, as the environment produced it. The
    /// buffer is valid only during the call.
    public func withObservation<R>(at step: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let (chunk, row) = try locate(step)
        let n = chunks[chunk].stepCount
        return try frameBuffer.withUnsafeBytes { buffer in
            let start = layout.observationsOffset(steps: n) + row * layout.observationBytes
            return try body(UnsafeRawBufferPointer(rebasing: buffer[start..<start + layout.observationBytes]))
        }
    }

    /// Calls `body` with the RGB render frame of `step` (height x width x 3 of
    /// `record.renderSpace`). Throws `.invalidArgument` where the episode has no render frames.
    public func withRender<R>(at step: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard hasRender else {
            throw TrajectoryStoreError.invalidArgument("episode \(record.id) has no render frames")
        }
        let (chunk, row) = try locate(step)
        let n = chunks[chunk].stepCount
        return try frameBuffer.withUnsafeBytes { buffer in
            let start = layout.rendersOffset(steps: n) + row * layout.renderBytes
            return try body(UnsafeRawBufferPointer(rebasing: buffer[start..<start + layout.renderBytes]))
        }
    }

    /// Decodes the chunk holding `step` (unless cached) and returns it and the step's row in it.
    private func locate(_ step: Int) throws -> (chunk: Int, row: Int) {
        guard step >= 0 && step < stepCount else {
            throw TrajectoryStoreError.invalidArgument(
                "step \(step) is outside episode \(record.id), which has steps 0...\(stepCount - 1)")
        }
        // Chunks are contiguous and sorted, so a binary search finds the one holding `step`.
        var low = 0, high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle].firstStep <= step { low = middle } else { high = middle - 1 }
        }
        if low != cachedChunk {
            let entry = chunks[low]
            let blob = try store.chunkFrames(episode: record.id, chunk: entry.index)
            let size = layout.frameBytes(steps: entry.stepCount)
            if frameBuffer.count != size { frameBuffer = [UInt8](repeating: 0, count: size) }
            cachedChunk = -1
            if let damage = frameBuffer.withUnsafeMutableBytes({ codec.decompress(blob, into: $0) }) {
                throw TrajectoryStoreError.corrupted(path: store.fileURL.path,
                    detail: "episode \(record.id), frames of chunk \(entry.index): \(damage)")
            }
            cachedChunk = low
        }
        return (low, step - chunks[low].firstStep)
    }
}
