// How an observation space becomes a network input: which encoder family fits it, the
// input's shape (NCHW for image stacks, flat for vectors and small grids) and how raw replay
// bytes turn into floats (uint8 images /255, symbolic grids one-hot per cell, other uint8
// boxes /their maximum, float32 as is).
import RL
import Tensor

/// The encoder families every agent can use.
public enum EncoderKind: String, Sendable, CaseIterable, Codable {
    /// Chosen from the observation space: `nature` for images of at least 84x84, `small` for
    /// images of at least 32x32, `symbolic` for smaller uint8 grids of three channels (MiniGrid's
    /// symbolic views), `mlp` for everything else.
    case auto
    /// Mnih et al. (2015): conv 8x8/4 32, conv 4x4/2 64, conv 3x3/1 64, linear 512.
    case nature
    /// A lighter CNN for small images such as 56x56 RGB mazes: conv 5x5/2 32, conv 3x3/2 64,
    /// conv 3x3/2 64, linear 256.
    case small
    /// Two fully connected hidden layers over the flattened observation.
    case mlp
    /// MiniGrid's symbolic grids (each cell's object, colour, state as three bytes): every
    /// cell one-hot encoded (`SymbolicEncoding`), then the MLP, whose first layer
    /// (`OneHotLinear`) reads only the hot positions. Object indices are categories,
    /// not magnitudes: as raw numbers a key (5) sits between a door (4) and a ball (6), and
    /// /255 leaves them all near zero; MiniGrid's baselines one-hot them or embed them.
    case symbolic
}

/// The one-hot code of MiniGrid's symbolic cells (minigrid/core/constants.py): 11 object
/// kinds, 6 colours, 4 states (door open/closed/locked, or the agent's heading in full-grid
/// observations). A byte outside its channel's range sets no bit.
public enum SymbolicEncoding {
    /// Categories of the object, colour and state bytes.
    public static let categories = [11, 6, 4]
    /// Floats per cell.
    public static let width = 21
}

/// Errors of matching an encoder to an observation space.
public enum EncoderError: Error, CustomStringConvertible, Equatable {
    case unsupportedSpace(Space)
    case encoderDoesNotFit(EncoderKind, Space)

    public var description: String {
        switch self {
        case .unsupportedSpace(let space):
            return "observation space \(space) is not supported: agents take uint8 or float32 boxes"
        case .encoderDoesNotFit(let kind, let space):
            return "encoder '\(kind.rawValue)' does not fit observation space \(space): convolutional encoders need uint8 images (height x width x channels) of at least 32x32; use encoder=mlp"
        }
    }
}

/// The shape and scaling that turn stacked observation bytes into an encoder's input.
public struct ObservationLayout: Sendable, Equatable {
    /// One frame's shape as the environment writes it ([H, W, C] images, [n] vectors).
    public let frameShape: [Int]
    public let element: ElementType
    public let stackSize: Int
    /// The resolved encoder (never `.auto`).
    public let encoder: EncoderKind
    /// Multiplier from stored values to network inputs.
    public let scale: Float
    /// Where the newest frame starts in an environment's observation: 0, or, where the
    /// environment stacks frames itself (a FrameStack wrapper, oldest first, as the Atari
    /// presets do), the offset of its last frame. Agents keep only that frame, so replay
    /// stores every frame once and stacks at sample time, whoever stacked the observation.
    public let newestFrameOffset: Int

    /// Resolves `requested` against `space` (a box) with `stackSize` frames per state. A uint8
    /// box of shape [stackSize, H, W] or [stackSize, H, W, C] with H, W >= 32 is taken as an
    /// environment-stacked observation: the frame is its last [H, W(, C)] slice.
    public init(space: Space, stackSize: Int, requested: EncoderKind) throws {
        guard case .box(var boxShape, let element, _, let high) = space else {
            throw EncoderError.unsupportedSpace(space)
        }
        var offset = 0
        if stackSize > 1, element == .uint8, boxShape.count == 3 || boxShape.count == 4,
           boxShape[0] == stackSize, boxShape[1] >= 32, boxShape[2] >= 32 {
            boxShape.removeFirst()
            offset = (stackSize - 1) * boxShape.reduce(1, *)
        }
        newestFrameOffset = offset
        // A height x width uint8 box (a grayscale frame) is an image of one channel.
        let shape = element == .uint8 && boxShape.count == 2 ? boxShape + [1] : boxShape
        let isImage = element == .uint8 && shape.count == 3 && shape[0] >= 32 && shape[1] >= 32
        var kind = requested
        let isSymbolic = element == .uint8 && shape.count == 3 && shape[2] == 3
        if kind == .auto {
            kind = isImage ? (shape[0] >= 84 && shape[1] >= 84 ? .nature : .small) : isSymbolic ? .symbolic : .mlp
        }
        if kind == .symbolic {
            if !isSymbolic { throw EncoderError.encoderDoesNotFit(kind, space) }
        } else if kind != .mlp && !isImage {
            throw EncoderError.encoderDoesNotFit(kind, space)
        }
        frameShape = shape
        self.element = element
        self.stackSize = stackSize
        encoder = kind
        if element == .float32 {
            scale = 1
        } else if isImage {
            scale = 1 / 255
        } else {
            scale = high > 1 ? 1 / high : 1
        }
    }

    /// Bytes of one frame.
    public var frameByteCount: Int { frameShape.reduce(1, *) * element.byteCount }

    /// The frame an agent keeps from an environment's observation (all of it, or the newest
    /// frame of an environment-stacked one).
    @inline(__always)
    public func frame(of observation: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        newestFrameOffset == 0 ? observation
            : UnsafeRawBufferPointer(rebasing: observation[newestFrameOffset..<(newestFrameOffset + frameByteCount)])
    }
    /// Bytes of one stacked state.
    public var stateByteCount: Int { frameByteCount * stackSize }

    /// The network input's shape without the batch: [k*C, H, W] for convolutional encoders,
    /// [k * elements] for the MLP, and for symbolic grids the k * H * W * 3 positions of the
    /// hot bits in the one-hot vector (`oneHotWidth` long), which `OneHotLinear` reads.
    public var inputShape: [Int] {
        if encoder == .mlp || encoder == .symbolic { return [frameShape.reduce(1, *) * stackSize] }
        return [frameShape[2] * stackSize, frameShape[0], frameShape[1]]
    }

    /// Length of a state's one-hot vector (symbolic grids): 21 per cell of every frame.
    public var oneHotWidth: Int { frameShape[0] * frameShape[1] * SymbolicEncoding.width * stackSize }

    /// Fills `tensor` ([batch] + inputShape) from `batch` stacked states at `states`.
    public func load(states: UnsafeRawPointer, batch: Int, into tensor: FloatTensor) {
        let perState = inputShape.reduce(1, *)
        precondition(tensor.count == batch * perState,
                     "ObservationLayout.load: tensor \(tensor.shape) for \(batch) states of \(inputShape)")
        if encoder == .symbolic {
            // Cell indices run on across a state's frames, and restart with each state.
            let cellsPerState = stackSize * frameShape[0] * frameShape[1]
            let bytes = states.assumingMemoryBound(to: UInt8.self)
            for b in 0..<batch {
                hotIndices(bytes + b * cellsPerState * 3, cells: cellsPerState, into: tensor.data + b * cellsPerState * 3)
            }
        } else if element == .float32 {
            tensor.data.update(from: states.assumingMemoryBound(to: Float.self), count: batch * perState)
            if scale != 1 { for i in 0..<tensor.count { tensor.data[i] *= scale } }
        } else if encoder == .mlp || frameShape[2] == 1 {
            // Flat or single-channel stacks: the byte order already is the input order. The
            // engine's conversion splits large batches across its threads (a DQN update
            // converts two batches of 32 Atari stacks, 1.8M bytes).
            tensor.load(bytes: UnsafeBufferPointer(start: states.assumingMemoryBound(to: UInt8.self), count: batch * perState),
                        scale: scale)
        } else {
            transposeFrames(states.assumingMemoryBound(to: UInt8.self), frames: batch * stackSize,
                            height: frameShape[0], width: frameShape[1], channels: frameShape[2],
                            scale: scale, into: tensor.data)
        }
    }
}

/// MiniGrid cells (3 bytes each) → the positions of their three hot bits in the one-hot
/// vector (cell c's block of 21: object, then colour, then state), as floats; -1 where a byte is
/// outside its channel's range.
private func hotIndices(_ source: UnsafePointer<UInt8>, cells: Int, into destination: UnsafeMutablePointer<Float>) {
    for c in 0..<cells {
        let object = Int(source[3 * c]), color = Int(source[3 * c + 1]), state = Int(source[3 * c + 2])
        let base = c * SymbolicEncoding.width
        destination[3 * c] = object < 11 ? Float(base + object) : -1
        destination[3 * c + 1] = color < 6 ? Float(base + 11 + color) : -1
        destination[3 * c + 2] = state < 4 ? Float(base + 17 + state) : -1
    }
}

/// HWC uint8 frames → CHW floats, frame after frame (a stack of k RGB frames becomes 3k
/// channels, oldest frame's channels first).
private func transposeFrames(_ source: UnsafePointer<UInt8>, frames: Int, height: Int, width: Int,
                             channels: Int, scale: Float, into destination: UnsafeMutablePointer<Float>) {
    let plane = height * width
    for f in 0..<frames {
        let src = source + f * plane * channels
        let dst = destination + f * plane * channels
        for p in 0..<plane {
            for c in 0..<channels { dst[c * plane + p] = Float(src[p * channels + c]) * scale }
        }
    }
}
