// Evaluation-time acting for a DQN agent: its own frame stack, input tensor and generator, so
// evaluating never disturbs the agent's training state (its stack, its exploration stream).
import AgentKit
import RL
import Replay
import Tensor

/// Epsilon-greedy over a DQN agent's online network, without learning. The Q-values are
/// computed at every step, exploring or not, so recordings show them for every action taken.
public final class EpsilonGreedyPolicy: ExplainedPolicy {
    let agent: DQNAgent
    let epsilon: Double
    var generator: SeededGenerator
    let stacker: FrameStacker
    let input: FloatTensor
    let qValues: UnsafeMutableBufferPointer<Float>

    public init(agent: DQNAgent, epsilon: Double, seed: UInt64) {
        self.agent = agent
        self.epsilon = epsilon
        generator = SeededGenerator(seed: seed)
        stacker = FrameStacker(frameByteCount: agent.layout.frameByteCount, stackSize: agent.layout.stackSize)
        input = FloatTensor(shape: [1] + agent.layout.inputShape)
        qValues = .allocate(capacity: agent.actionCount)
        qValues.initialize(repeating: 0)
    }

    deinit { qValues.deallocate() }

    public var outputKind: AgentOutputKind { .qValues }
    public var lastOutputs: UnsafeBufferPointer<Float> { UnsafeBufferPointer(qValues) }

    public func beginEpisode(observation: UnsafeRawBufferPointer) -> Int {
        stacker.reset(agent.layout.frame(of: observation))
        return act()
    }

    public func step(observation: UnsafeRawBufferPointer) -> Int {
        stacker.push(agent.layout.frame(of: observation))
        return act()
    }

    private func act() -> Int {
        let explore = generator.unitDouble() < epsilon
        let randomAction = generator.uniform(below: agent.actionCount)
        let greedy = agent.greedyAction(stack: UnsafeRawBufferPointer(stacker.state), network: agent.online,
                                        input: input, qValues: qValues)
        return explore ? randomAction : greedy
    }
}
