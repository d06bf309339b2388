// Evaluation-time acting for a DQN agent: its own frame stack, input tensor and generator, so
// evaluating never disturbs the agent's training state (its stack, its exploration stream).
import AgentKit
import RL
import Tensor

/// Epsilon-greedy over a DQN agent's online network, without learning.
public final class EpsilonGreedyPolicy: Policy {
    let agent: DQNAgent
    let epsilon: Double
    var generator: SeededGenerator
    let stacker: FrameStacker
    let input: FloatTensor

    public init(agent: DQNAgent, epsilon: Double, seed: UInt64) {
        self.agent = agent
        self.epsilon = epsilon
        generator = SeededGenerator(seed: seed)
        stacker = FrameStacker(frameByteCount: agent.layout.frameByteCount, stackSize: agent.layout.stackSize)
        input = FloatTensor(shape: [1] + agent.layout.inputShape)
    }

    public func beginEpisode(observation: UnsafeRawBufferPointer) -> Int {
        stacker.reset(observation)
        return act()
    }

    public func step(observation: UnsafeRawBufferPointer) -> Int {
        stacker.push(observation)
        return act()
    }

    private func act() -> Int {
        let explore = generator.unitDouble() < epsilon
        let randomAction = generator.uniform(below: agent.actionCount)
        if explore { return randomAction }
        return agent.greedyAction(stack: UnsafeRawBufferPointer(stacker.state), network: agent.online, input: input)
    }
}
