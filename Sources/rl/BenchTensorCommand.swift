// `rl ... tensor`: placeholder until its issue lands.
import ArgumentParser

struct BenchTensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tensor", abstract: "Nature-CNN training step and inference on the tensor engine.")
    func run() throws { throw CommandFailure("not built yet") }
}
