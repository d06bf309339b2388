// DrQ's image augmentation (Kostrikov et al. 2020) for replayed image states, as the Atari-100k
// agents apply it: every sampled state is shifted by a few pixels (padding by repeating its edge,
// then cropping back at a random offset) and its intensity scaled by a random factor near 1. It
// works on the replay batch's bytes in place, before they become floats, so it costs a few
// memory copies per state and no allocation.
import Foundation
import RL
import Tensor

/// Random shifts and intensity factors for minibatches of stacked image states.
///
/// The facts follow Dopamine's Atari-100k DrQ agent (`drq_image_augmentation`): padding 4 with
/// edge replication, a crop offset drawn uniformly from 0..<2·pad on each axis per state (the
/// same offset for all of a state's stacked frames), and an intensity factor
/// 1 + 0.05·clip(N(0, 1), -2, 2) per state. States and next states get independent draws.
public final class ShiftAugmentation {
    public let pad: Int
    public let intensityScale: Float
    public let height: Int
    public let width: Int
    /// Bytes of one pixel (the frame's channels).
    public let pixelBytes: Int
    /// Frames per state.
    public let frames: Int
    /// One frame, the source of the in-place shift.
    private let scratch: UnsafeMutablePointer<UInt8>

    /// An augmentation for states of `frames` frames of height x width pixels of `pixelBytes`
    /// bytes each (uint8).
    public init(height: Int, width: Int, pixelBytes: Int, frames: Int, pad: Int = 4, intensityScale: Float = 0.05) {
        precondition(height > 2 * pad && width > 2 * pad && pixelBytes > 0 && frames > 0 && pad >= 0,
                     "ShiftAugmentation: \(frames) frames of \(height)x\(width)x\(pixelBytes) with pad \(pad)")
        self.height = height
        self.width = width
        self.pixelBytes = pixelBytes
        self.frames = frames
        self.pad = pad
        self.intensityScale = intensityScale
        scratch = .allocate(capacity: height * width * pixelBytes)
    }

    /// The augmentation of `layout`'s image states; nil where the states are not uint8 images.
    public convenience init?(layout: ObservationLayout) {
        guard layout.element == .uint8, layout.frameShape.count == 3,
              layout.encoder != .mlp, layout.encoder != .symbolic,
              layout.frameShape[0] > 8, layout.frameShape[1] > 8 else { return nil }
        self.init(height: layout.frameShape[0], width: layout.frameShape[1], pixelBytes: layout.frameShape[2],
                  frames: layout.stackSize)
    }

    deinit { scratch.deallocate() }

    /// Bytes of one state.
    public var stateByteCount: Int { frames * height * width * pixelBytes }

    /// Shifts each of the `count` states at `states` by its own random offset.
    public func shift(states: UnsafeMutableRawPointer, count: Int, using generator: inout SeededGenerator) {
        let bytes = states.assumingMemoryBound(to: UInt8.self)
        for s in 0..<count {
            let top = generator.uniform(below: 2 * pad)
            let left = generator.uniform(below: 2 * pad)
            shift(state: bytes + s * stateByteCount, top: top, left: left)
        }
    }

    /// Replaces one state by the crop at (`top`, `left`) of its edge-padded frames: pixel (y, x)
    /// becomes the old pixel (clamp(y + top - pad), clamp(x + left - pad)).
    public func shift(state: UnsafeMutablePointer<UInt8>, top: Int, left: Int) {
        precondition((0...(2 * pad)).contains(top) && (0...(2 * pad)).contains(left),
                     "ShiftAugmentation.shift: offset (\(top), \(left)) outside 0...\(2 * pad)")
        let frameBytes = height * width * pixelBytes
        for f in 0..<frames {
            let frame = state + f * frameBytes
            scratch.update(from: frame, count: frameBytes)
            shiftFrame(into: frame, dy: top - pad, dx: left - pad)
        }
    }

    /// Writes the scratch frame shifted by (dy, dx) with edge replication into `output`: the
    /// rows' middle spans are single copies, only the up-to-`pad` replicated pixels at either
    /// end go one by one.
    private func shiftFrame(into output: UnsafeMutablePointer<UInt8>, dy: Int, dx: Int) {
        let rowBytes = width * pixelBytes
        // Output columns [x0, x1) read source columns [x0 + dx, x1 + dx) directly.
        let x0 = max(0, -dx), x1 = min(width, width - dx)
        for y in 0..<height {
            let source = scratch + min(max(y + dy, 0), height - 1) * rowBytes
            let row = output + y * rowBytes
            (row + x0 * pixelBytes).update(from: source + (x0 + dx) * pixelBytes, count: (x1 - x0) * pixelBytes)
            for x in 0..<x0 {
                (row + x * pixelBytes).update(from: source, count: pixelBytes)
            }
            for x in x1..<width {
                (row + x * pixelBytes).update(from: source + (width - 1) * pixelBytes, count: pixelBytes)
            }
        }
    }

    /// Draws one intensity factor 1 + scale·clip(N(0, 1), -2, 2) per state into `factors`
    /// (Box-Muller on two uniform draws per factor).
    public func drawIntensities(into factors: UnsafeMutableBufferPointer<Float>, using generator: inout SeededGenerator) {
        for i in factors.indices {
            let u1 = 1 - generator.unitDouble()  // (0, 1]: the logarithm stays finite
            let u2 = generator.unitDouble()
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            factors[i] = 1 + intensityScale * Float(min(max(normal, -2), 2))
        }
    }

    /// Multiplies row b of `tensor` (its first axis) by `factors[b]`.
    public static func scaleRows(_ tensor: FloatTensor, by factors: UnsafeMutableBufferPointer<Float>) {
        let rows = tensor.shape[0]
        precondition(factors.count == rows, "ShiftAugmentation.scaleRows: \(factors.count) factors for \(rows) rows")
        let perRow = tensor.count / rows
        for b in 0..<rows {
            let row = tensor.data + b * perRow
            let factor = factors[b]
            for i in 0..<perRow { row[i] *= factor }
        }
    }
}
