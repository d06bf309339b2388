// Records episodes into a trajectory store, fed one step at a time by a training, evaluation
// or play loop. Steps are appended column by column into buffers sized once at creation; a
// full chunk is compressed in place, and the whole episode is inserted in one transaction when
// it ends. So a step costs a few copies and no allocation, and a killed process loses at most
// the episode it was in. Steps follow RLDS: step t holds observation t, the action taken from
// it, the reward that action earned and the agent's outputs at t; the last step holds the
// final observation with action 0, reward 0 and NaN outputs.
import Foundation
import RL

/// Feeds episodes of one environment into a `TrajectoryStore`.
public final class EpisodeRecorder {
    public let store: TrajectoryStore
    public let policy: RecorderPolicy
    /// True between `beginEpisode` (of an episode the policy keeps) and the episode's end.
    public private(set) var isRecording = false
    /// The id of the last episode written.
    public private(set) var lastEpisodeID: Int64?

    private let runID: Int64
    private let environmentID: String
    private let agent: String
    private let observationSpace: Space
    private let actionSpace: Space
    private let renderSpace: Space?
    private let actionNames: [String]
    private let outputKind: AgentOutputKind
    private let layout: EpisodeChunkLayout
    private let render: ((UnsafeMutableRawBufferPointer) -> Void)?
    private let codec = TrajectoryStoreCodec()

    /// Steps one chunk holds; the column buffers are laid out for this many rows.
    public let stepsPerChunk: Int
    private var scalars: [UInt8]
    private var frames: [UInt8]
    private var rows = 0
    private var firstStepOfChunk = 0
    private var pending: [TrajectoryStore.CompressedChunk] = []
    private var storedBytes = 0

    private var trainingEpisodes = 0
    private var kind = EpisodeKind.evaluation
    private var seed: UInt64?
    private var checkpoint: String?
    private var startTime = Date()
    private var episodeReturn = 0.0
    private var length = 0

    /// A recorder for episodes of `environment`, played by `agent`, into `run` of `store` (by
    /// default the run named after the store's directory).
    /// Render frames are recorded where the environment renders; `outputKind` says what the
    /// agent's per-step floats are (`outputWidth` of them, normally the number of actions).
    /// `chunkBytes` bounds the raw bytes of one chunk (and so the recorder's buffers).
    public init<E: Environment>(store: TrajectoryStore, environment: E, environmentID: String, agent: String,
                                run: String? = nil, policy: RecorderPolicy = .default,
                                outputKind: AgentOutputKind = .none, outputWidth: Int = 0,
                                chunkBytes: Int = 4 << 20) throws {
        precondition(outputKind == .none ? outputWidth == 0 : outputWidth > 0,
                     "EpisodeRecorder: outputKind \(outputKind) with outputWidth \(outputWidth)")
        self.store = store
        self.policy = policy
        self.runID = try store.run(named: run ?? store.runDirectory.lastPathComponent)
        self.environmentID = environmentID
        self.agent = agent
        self.observationSpace = environment.observationSpace
        self.actionSpace = environment.actionSpace
        self.actionNames = environment.actionNamesThroughWrappers
        self.outputKind = outputKind
        if let renderer = environment.renderingSource {
            renderSpace = renderer.renderSpace
            render = { renderer.render(into: $0) }
        } else {
            renderSpace = nil
            render = nil
        }
        layout = EpisodeChunkLayout(observationBytes: observationSpace.byteCount,
                                    renderBytes: renderSpace?.byteCount ?? 0, outputWidth: outputWidth)
        stepsPerChunk = layout.stepsPerChunk(targetBytes: chunkBytes)
        scalars = [UInt8](repeating: 0, count: layout.scalarBytes(steps: stepsPerChunk))
        frames = [UInt8](repeating: 0, count: layout.frameBytes(steps: stepsPerChunk))
    }

    /// Starts an episode whose first observation (from `reset`) is in `observation`. Returns
    /// whether the policy records it. An episode in progress is dropped unrecorded.
    @discardableResult
    public func beginEpisode(_ kind: EpisodeKind, seed: UInt64? = nil, checkpoint: String? = nil,
                             observation: UnsafeRawBufferPointer) -> Bool {
        let trainingIndex = trainingEpisodes
        if kind == .training { trainingEpisodes += 1 }
        discardEpisode()
        guard policy.records(kind, trainingIndex: trainingIndex) else { return false }
        self.kind = kind
        self.seed = seed
        self.checkpoint = checkpoint
        startTime = Date()
        isRecording = true
        appendRow(observation: observation, flags: .first)
        return true
    }

    /// Records that `action` was taken (with the agent's `outputs` and `value` at the previous
    /// observation), earned `result`, and led to `observation`. When the result ends the
    /// episode, the episode is written and its id returned. Does nothing when not recording.
    @discardableResult
    public func recordStep(action: Int, outputs: UnsafeBufferPointer<Float>? = nil, value: Float? = nil,
                           result: StepResult, observation: UnsafeRawBufferPointer) throws -> Int64? {
        guard isRecording else { return nil }
        precondition(outputs == nil || outputs!.count == layout.outputWidth,
                     "EpisodeRecorder.recordStep: \(outputs?.count ?? 0) outputs for outputWidth \(layout.outputWidth)")
        fillActionColumns(row: rows - 1, action: action, reward: result.reward, value: value, outputs: outputs)
        episodeReturn += Double(result.reward)
        length += 1
        var flags: StepFlags = result.done ? .last : []
        if result.terminated { flags.insert(.terminal) }
        if result.truncated && !result.terminated { flags.insert(.truncated) }
        appendRow(observation: observation, flags: flags)
        guard result.done else { return nil }
        return try finishEpisode(terminated: result.terminated, truncated: result.truncated && !result.terminated)
    }

    /// Drops the episode in progress without writing it (a loop that stops mid-episode).
    public func discardEpisode() {
        isRecording = false
        rows = 0
        firstStepOfChunk = 0
        pending.removeAll(keepingCapacity: true)
        storedBytes = 0
        episodeReturn = 0
        length = 0
    }

    // MARK: Rows

    /// Appends a row holding `observation`, the render frame of now, and an empty action.
    private func appendRow(observation: UnsafeRawBufferPointer, flags: StepFlags) {
        precondition(observation.count >= layout.observationBytes,
                     "EpisodeRecorder: observation buffer of \(observation.count) bytes for a space of \(layout.observationBytes)")
        if rows == stepsPerChunk { compressChunk() }
        let row = rows
        let capacity = stepsPerChunk
        frames.withUnsafeMutableBytes { buffer in
            let observationStart = layout.observationsOffset(steps: capacity) + row * layout.observationBytes
            buffer.baseAddress!.advanced(by: observationStart)
                .copyMemory(from: observation.baseAddress!, byteCount: layout.observationBytes)
            if let render {
                let renderStart = layout.rendersOffset(steps: capacity) + row * layout.renderBytes
                render(UnsafeMutableRawBufferPointer(rebasing: buffer[renderStart..<renderStart + layout.renderBytes]))
            }
        }
        scalars.withUnsafeMutableBytes { buffer in
            buffer[layout.flagsOffset(steps: capacity) + row] = flags.rawValue
        }
        fillActionColumns(row: row, action: 0, reward: 0, value: nil, outputs: nil)
        rows += 1
    }

    /// Writes the action columns of `row`; absent value and outputs are NaN.
    private func fillActionColumns(row: Int, action: Int, reward: Float, value: Float?,
                                   outputs: UnsafeBufferPointer<Float>?) {
        let capacity = stepsPerChunk
        let width = layout.outputWidth
        scalars.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: Int32(truncatingIfNeeded: action).littleEndian,
                              toByteOffset: layout.actionsOffset(steps: capacity) + 4 * row, as: Int32.self)
            buffer.storeBytes(of: reward, toByteOffset: layout.rewardsOffset(steps: capacity) + 4 * row, as: Float.self)
            buffer.storeBytes(of: value ?? .nan, toByteOffset: layout.valuesOffset(steps: capacity) + 4 * row, as: Float.self)
            let outputStart = layout.outputsOffset(steps: capacity) + 4 * width * row
            for i in 0..<width {
                buffer.storeBytes(of: outputs?[i] ?? .nan, toByteOffset: outputStart + 4 * i, as: Float.self)
            }
        }
    }

    /// Compresses the rows held into a pending chunk: each column's first `rows` rows, in the
    /// order `EpisodeChunkLayout` reads them back.
    private func compressChunk() {
        guard rows > 0 else { return }
        let n = rows, capacity = stepsPerChunk, l = layout
        let scalarBlob = scalars.withUnsafeBytes { buffer in
            codec.compress([
                UnsafeRawBufferPointer(rebasing: buffer[l.actionsOffset(steps: capacity)...].prefix(4 * n)),
                UnsafeRawBufferPointer(rebasing: buffer[l.rewardsOffset(steps: capacity)...].prefix(4 * n)),
                UnsafeRawBufferPointer(rebasing: buffer[l.flagsOffset(steps: capacity)...].prefix(n)),
                UnsafeRawBufferPointer(rebasing: buffer[l.valuesOffset(steps: capacity)...].prefix(4 * n)),
                UnsafeRawBufferPointer(rebasing: buffer[l.outputsOffset(steps: capacity)...].prefix(4 * l.outputWidth * n)),
            ])
        }
        let frameBlob = frames.withUnsafeBytes { buffer in
            codec.compress([
                UnsafeRawBufferPointer(rebasing: buffer[l.observationsOffset(steps: capacity)...].prefix(l.observationBytes * n)),
                UnsafeRawBufferPointer(rebasing: buffer[l.rendersOffset(steps: capacity)...].prefix(l.renderBytes * n)),
            ])
        }
        pending.append(.init(firstStep: firstStepOfChunk, stepCount: n, scalars: scalarBlob, frames: frameBlob))
        storedBytes += scalarBlob.count + frameBlob.count
        firstStepOfChunk += n
        rows = 0
    }

    private func finishEpisode(terminated: Bool, truncated: Bool) throws -> Int64 {
        compressChunk()
        let record = EpisodeRecord(
            id: 0, runID: runID, environmentID: environmentID, agent: agent, checkpoint: checkpoint, seed: seed,
            kind: kind, episodeReturn: episodeReturn, length: length, startTime: startTime, endTime: Date(),
            terminated: terminated, truncated: truncated, observationSpace: observationSpace,
            renderSpace: renderSpace, actionSpace: actionSpace, actionNames: actionNames,
            outputKind: outputKind, outputWidth: layout.outputWidth, storedBytes: storedBytes)
        let chunks = pending
        discardEpisode()
        let id = try store.insert(record, chunks: chunks)
        lastEpisodeID = id
        return id
    }
}
