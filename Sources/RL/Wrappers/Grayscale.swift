// RGB to luma with OpenCV's integer coefficients (cv2.COLOR_RGB2GRAY on uint8:
// Y = (9798 R + 19235 G + 3735 B + 2^14) >> 15, i.e. 0.299/0.587/0.114 in 15-bit fixed point, as
// the tool environment's OpenCV computes it), so preprocessing matches the Atari pipelines built
// on OpenCV bit for bit.

/// Turns an H x W x 3 uint8 observation into H x W (or H x W x 1 with `keepChannel`).
public final class Grayscale: EnvironmentWrapper, StateSavingEnvironment {
    public let inner: any Environment
    public let observationSpace: Space
    private let pixels: Int
    private var rgb: [UInt8]

    public init(_ inner: any Environment, keepChannel: Bool = false) {
        guard case .box(let shape, .uint8, _, _) = inner.observationSpace, shape.count == 3, shape[2] == 3 else {
            preconditionFailure("Grayscale: needs an HxWx3 uint8 observation, got \(inner.observationSpace)")
        }
        self.inner = inner
        pixels = shape[0] * shape[1]
        rgb = [UInt8](repeating: 0, count: pixels * 3)
        observationSpace = .box(shape: keepChannel ? [shape[0], shape[1], 1] : [shape[0], shape[1]],
                                element: .uint8, low: 0, high: 255)
    }

    public var actionSpace: Space { inner.actionSpace }

    @discardableResult
    public func reset(seed: UInt64?, observation: UnsafeMutableRawBufferPointer) -> StepInfo {
        let info = rgb.withUnsafeMutableBytes { inner.reset(seed: seed, observation: $0) }
        convert(into: observation)
        return info
    }

    public func step(_ action: Int, observation: UnsafeMutableRawBufferPointer) throws -> StepResult {
        let result = try rgb.withUnsafeMutableBytes { try inner.step(action, observation: $0) }
        convert(into: observation)
        return result
    }

    private func convert(into observation: UnsafeMutableRawBufferPointer) {
        precondition(observation.count >= pixels, "Grayscale: observation buffer \(observation.count) < \(pixels)")
        rgb.withUnsafeBytes { src in
            Grayscale.luma(src.bindMemory(to: UInt8.self).baseAddress!,
                           observation.bindMemory(to: UInt8.self).baseAddress!, pixels)
        }
    }

    /// Converts `count` interleaved RGB pixels to luma; OpenCV's 15-bit fixed point.
    public static func luma(_ rgb: UnsafePointer<UInt8>, _ gray: UnsafeMutablePointer<UInt8>, _ count: Int) {
        for i in 0..<count {
            let r = UInt32(rgb[3 * i]), g = UInt32(rgb[3 * i + 1]), b = UInt32(rgb[3 * i + 2])
            gray[i] = UInt8(truncatingIfNeeded: (r &* 9798 &+ g &* 19235 &+ b &* 3735 &+ 16384) >> 15)
        }
    }

    // The state is the inner environment's: the RGB frame is rewritten by every step before it
    // is read.
    public func saveState() throws -> PassThroughState<Grayscale> { try savePassThrough(setup: "\(observationSpace)") }

    public func restoreState(_ state: PassThroughState<Grayscale>) throws {
        try restorePassThrough(state, setup: "\(observationSpace)")
    }
}
