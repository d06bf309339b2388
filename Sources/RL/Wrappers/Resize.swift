// Gymnasium's ResizeObservation with area interpolation (OpenCV INTER_AREA), the resampling
// the Atari pipelines use to shrink 210x160 frames to 84x84.

/// Shrinks an H x W (x C) uint8 observation to `height` x `width` (x C) by area averaging.
public final class Resize: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let observationSpace: Space
    private let resampler: AreaResampler
    private var source: [UInt8]
    private var row: [Float]
    private var accumulator: [Float]

    public init(_ inner: any Environment, height: Int, width: Int) {
        guard case .box(let shape, .uint8, _, _) = inner.observationSpace, shape.count == 2 || shape.count == 3 else {
            preconditionFailure("Resize: needs an HxW or HxWxC uint8 observation, got \(inner.observationSpace)")
        }
        let channels = shape.count == 3 ? shape[2] : 1
        self.inner = inner
        resampler = AreaResampler(sourceHeight: shape[0], sourceWidth: shape[1], height: height, width: width,
                                  channels: channels)
        source = [UInt8](repeating: 0, count: shape.reduce(1, *))
        row = [Float](repeating: 0, count: width * channels)
        accumulator = row
        observationSpace = .box(shape: shape.count == 3 ? [height, width, channels] : [height, width],
                                element: .uint8, low: 0, high: 255)
    }

    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        let info = source.withUnsafeMutableBytes { inner.reset(seed: seed, observation: $0) }
        resample(into: observation)
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        let result = try source.withUnsafeMutableBytes { try inner.step(action, observation: $0) }
        resample(into: observation)
        return result
    }

    private func resample(into observation: UnsafeMutableRawBufferPointer) {
        precondition(observation.count >= observationSpace.byteCount,
                     "Resize: observation buffer \(observation.count) < \(observationSpace.byteCount)")
        source.withUnsafeBufferPointer { src in
            row.withUnsafeMutableBufferPointer { r in
                accumulator.withUnsafeMutableBufferPointer { acc in
                    resampler.resize(src.baseAddress!, into: observation.bindMemory(to: UInt8.self).baseAddress!,
                                     row: r.baseAddress!, accumulator: acc.baseAddress!)
                }
            }
        }
    }

    // The state is the inner environment's: the source frame is rewritten by every step before it
    // is read.
    public func saveState() throws -> PassThroughState<Resize> { try savePassThrough(setup: "\(observationSpace)") }

    public func restoreState(_ state: PassThroughState<Resize>) throws {
        try restorePassThrough(state, setup: "\(observationSpace)")
    }
}
