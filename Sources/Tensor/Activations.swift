// Elementwise activation layers (ReLU, Tanh, Sigmoid). Each keeps its output per batch size
// and differentiates from that output, so no input copy is needed.
import Foundation

/// Shared machinery of the elementwise activations: an output buffer per batch size and the
/// output-based derivative. Subclasses supply the two loops.
public class ElementwiseActivation: Layer {
    public var computesInputGradient = true
    /// Set by `Sequential` when the layer before applies this activation itself (a ReLU fused
    /// into Conv2D): forward and backward then hand their argument on unchanged.
    var passesThrough = false
    private var outputs = BatchCache<(output: FloatTensor, gradInput: FloatTensor)>()
    private var current: (output: FloatTensor, gradInput: FloatTensor)?

    init() {}

    public var namedParameters: [NamedParameter] { [] }
    public func outputShape(forInputShape shape: [Int]) -> [Int] { shape }
    public func makeCopy() -> Layer { fatalError("ElementwiseActivation.makeCopy: subclass must override") }

    public func forward(_ input: FloatTensor) -> FloatTensor {
        if passesThrough { return input }
        var buffers = outputs.entry(batch: input.batchSize) {
            (FloatTensor(shape: input.shape), FloatTensor(shape: input.shape))
        }
        if buffers.output.shape != input.shape {
            outputs = BatchCache()
            buffers = outputs.entry(batch: input.batchSize) {
                (FloatTensor(shape: input.shape), FloatTensor(shape: input.shape))
            }
        }
        current = buffers
        let state = ActivationPass(layer: Unmanaged.passUnretained(self), input: input.data,
                                   output: buffers.output.data, gradOutput: nil)
        parallelRanges(input.count, minimumPerPart: 65536, state: state) { state, start, end in
            let p = state.assumingMemoryBound(to: ActivationPass.self).pointee
            p.layer._withUnsafeGuaranteedRef {
                $0.apply(p.input + start, count: end - start, into: p.output + start)
            }
        }
        return buffers.output
    }

    @discardableResult
    public func backward(_ gradOutput: FloatTensor) -> FloatTensor? {
        if passesThrough { return computesInputGradient ? gradOutput : nil }
        guard let buffers = current else { preconditionFailure("\(type(of: self)).backward: called before forward") }
        precondition(gradOutput.count == buffers.output.count,
                     "\(type(of: self)).backward: gradient \(gradOutput.shape) for output \(buffers.output.shape)")
        guard computesInputGradient else { return nil }
        let state = ActivationPass(layer: Unmanaged.passUnretained(self), input: buffers.output.data,
                                   output: buffers.gradInput.data, gradOutput: gradOutput.data)
        parallelRanges(gradOutput.count, minimumPerPart: 65536, state: state) { state, start, end in
            let p = state.assumingMemoryBound(to: ActivationPass.self).pointee
            p.layer._withUnsafeGuaranteedRef {
                $0.derivative(output: p.input + start, gradOutput: p.gradOutput! + start, count: end - start,
                              into: p.output + start)
            }
        }
        return buffers.gradInput
    }

    func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {}
    func derivative(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count: Int,
                    into dx: UnsafeMutablePointer<Float>) {}
}

/// What the pieces of an activation's parallel loop read: the layer (whose overridden loop
/// runs), and its input and output (forward) or output, gradient and input gradient (backward).
private struct ActivationPass {
    let layer: Unmanaged<ElementwiseActivation>
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let gradOutput: UnsafePointer<Float>?
}

/// max(x, 0). The derivative at 0 is taken as 0, as PyTorch does.
public final class ReLU: ElementwiseActivation {
    public override init() {}
    public override func makeCopy() -> Layer { ReLU() }
    override func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { y[i] = max(x[i], 0) }
    }
    override func derivative(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count: Int,
                             into dx: UnsafeMutablePointer<Float>) {
        for i in 0..<count { dx[i] = y[i] > 0 ? dy[i] : 0 }
    }
}

/// tanh(x); derivative 1 − y².
public final class Tanh: ElementwiseActivation {
    public override init() {}
    public override func makeCopy() -> Layer { Tanh() }
    override func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { y[i] = tanhf(x[i]) }
    }
    override func derivative(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count: Int,
                             into dx: UnsafeMutablePointer<Float>) {
        for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }
}

/// 1 / (1 + e^−x); derivative y (1 − y).
public final class Sigmoid: ElementwiseActivation {
    public override init() {}
    public override func makeCopy() -> Layer { Sigmoid() }
    override func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { y[i] = 1 / (1 + expf(-x[i])) }
    }
    override func derivative(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count: Int,
                             into dx: UnsafeMutablePointer<Float>) {
        for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
    }
}
