// What every optimiser offers: a step over named parameters, a learning rate that schedules
// may change, and named state tensors for checkpoints (saved beside the parameters in
// safetensors files, names like "0.weight.exp_avg").

/// A first-order optimiser over a model's named parameters (PyTorch's update rules).
public protocol Optimizer: AnyObject {
    /// The step size; schedules may change it between steps.
    var learningRate: Float { get set }
    /// Steps taken (Adam's bias correction uses it); restored from checkpoints.
    var stepCount: Int { get set }
    /// Updates every parameter from its gradient. Does not clear the gradients.
    func step()
    /// The optimiser's state, named after the parameters ("0.weight.exp_avg").
    var stateTensors: [(name: String, tensor: FloatTensor)] { get }
}

/// Makes one zero state tensor per parameter (moments, momentum buffers).
func zeroStates(like parameters: [NamedParameter]) -> [FloatTensor] {
    parameters.map { FloatTensor(shape: $0.parameter.shape) }
}
