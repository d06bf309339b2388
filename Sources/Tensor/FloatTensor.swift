// A contiguous Float32 tensor: a shape and one 64-byte-aligned buffer (or a view of another
// tensor's buffer). A class, so layers can hand out their reused output buffers without copies;
// images are NCHW, batch first.

/// A contiguous, row-major Float32 tensor. Layers own their outputs and reuse them from step to
/// step, so a tensor returned by `forward` stays valid only until that layer's next `forward`
/// at the same batch size.
///
/// `@unchecked Sendable`: the buffer is plain shared memory. Parameters are shared between A3C
/// worker threads on purpose (Hogwild updates, racy by design); any other cross-thread use must
/// be ordered by the caller.
public final class FloatTensor: @unchecked Sendable {
    /// Dimensions, outermost first (batch, channels, height, width for images).
    public let shape: [Int]
    /// Number of elements, the product of `shape`.
    public let count: Int
    /// The first element. Contiguous, row-major.
    public let data: UnsafeMutablePointer<Float>
    /// The tensor whose storage this one views, kept alive while the view lives.
    private let base: FloatTensor?

    /// A zero-filled tensor of `shape`.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "FloatTensor(shape:): negative dimension in \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        self.data = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.data.initialize(repeating: 0, count: max(count, 1))
        self.base = nil
    }

    /// A tensor of `shape` holding `values` (row-major).
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count,
                     "FloatTensor(shape:values:): \(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// A view of `base`'s storage with another shape of the same element count (Flatten).
    public init(viewing base: FloatTensor, shape: [Int]) {
        let count = shape.reduce(1, *)
        precondition(count == base.count,
                     "FloatTensor(viewing:shape:): shape \(shape) does not hold \(base.shape)'s \(base.count) elements")
        self.shape = shape
        self.count = count
        self.data = base.data
        self.base = base
    }

    deinit {
        if base == nil { UnsafeMutableRawPointer(data).deallocate() }
    }

    /// The elements as a mutable buffer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: data, count: count)
    }

    /// Element `index` in row-major order.
    @inlinable public subscript(index: Int) -> Float {
        get { data[index] }
        set { data[index] = newValue }
    }

    /// The first dimension (the batch size for activations).
    public var batchSize: Int { shape.first ?? 1 }

    /// Elements per batch item.
    public var itemCount: Int { shape.isEmpty ? 1 : count / max(shape[0], 1) }

    /// A copy of the elements (tests and checkpoints, not hot paths).
    public func toArray() -> [Float] { Array(buffer) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Copies `other`'s elements; the element counts must match.
    public func copy(from other: FloatTensor) {
        precondition(other.count == count,
                     "FloatTensor.copy(from:): source \(other.shape) into destination \(shape)")
        data.update(from: other.data, count: count)
    }

    /// Fills the tensor from bytes scaled by `scale` (uint8 image batches, scale 1/255). The
    /// byte count must equal the element count; layout is kept (NCHW in, NCHW out).
    public func load(bytes: UnsafeBufferPointer<UInt8>, scale: Float) {
        precondition(bytes.count == count,
                     "FloatTensor.load(bytes:scale:): \(bytes.count) bytes into shape \(shape)")
        let state = ByteConversion(source: bytes.baseAddress!, scale: scale, target: data)
        parallelRanges(count, minimumPerPart: 65536, state: state) { state, start, end in
            let p = state.assumingMemoryBound(to: ByteConversion.self).pointee
            convertBytes(p.source + start, count: end - start, scale: p.scale, into: p.target + start)
        }
    }
}

/// uint8 → Float32 with a scale, vectorised by the compiler in release builds.
@inline(__always)
func convertBytes(_ source: UnsafePointer<UInt8>, count: Int, scale: Float,
                  into destination: UnsafeMutablePointer<Float>) {
    for i in 0..<count { destination[i] = Float(source[i]) * scale }
}

/// What the pieces of a parallel `load(bytes:scale:)` read.
private struct ByteConversion {
    let source: UnsafePointer<UInt8>
    let scale: Float
    let target: UnsafeMutablePointer<Float>
}
