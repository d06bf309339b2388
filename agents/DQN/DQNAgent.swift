// DQN (Mnih et al. 2015) with its common extensions as options: Double DQN targets, a dueling
// head, n-step returns, prioritised replay, Huber or squared loss, hard or soft target
// updates, gradient clipping. `update()` reads like the paper's Algorithm 1; the arithmetic
// lives in `TemporalDifference` so it can be tested on hand-made numbers.
import AgentKit
import Foundation
import Replay
import RL
import Tensor

/// Errors of building or restoring a DQN agent.
public enum DQNError: Error, CustomStringConvertible, Equatable {
    case unsupportedActionSpace(Space)
    case badState(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedActionSpace(let space):
            return "DQN needs a discrete action space; the environment has \(space)"
        case .badState(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// A DQN-family agent.
public final class DQNAgent: Agent {
    public let configuration: DQNConfiguration
    public let layout: ObservationLayout
    public let actionCount: Int
    public let online: Sequential
    /// The target network's storage; read it through `target`, which brings it up to date.
    let targetNetwork: Sequential
    /// True when the target network's weights are, by definition, the online network's current
    /// ones and `targetNetwork` has not been written with them. A hard update only sets this:
    /// with a target period of 1 (Atari 100k) the target would be copied (1.7M floats) after
    /// every update and then compute exactly the online network's outputs, so the update
    /// uses the online forward pass for both and copies only when the online weights are about
    /// to move away from a target that is still needed (or on `target` / save).
    var targetMirrorsOnline = false
    /// Whether hard target updates are deferred as above (the default). Off, every hard update
    /// copies at once, as the algorithm is written: the tests train both ways and compare.
    public var defersTargetCopies = true
    let optimizer: Optimizer
    /// The online network's parameters and (online, target) pairs, listed once: building the
    /// named lists allocates, and the update runs thousands of times a second.
    let onlineParameters: [Parameter]
    let parameterPairs: [(online: Parameter, target: Parameter)]
    let uniformReplay: ReplayBuffer?
    let prioritizedReplay: PrioritizedReplayBuffer?
    let batch: ReplayBatch
    let stacker: FrameStacker
    let epsilonSchedule: LinearSchedule
    let betaSchedule: LinearSchedule
    var actionGenerator: SeededGenerator
    var replayGenerator: SeededGenerator
    /// Observation visit counts for the exploration bonus (nil when `countBonus` is 0).
    let visitCounts: VisitCounts?
    /// This episode's observation counts for the episodic bonus (nil when `episodicBonus` is 0).
    let episodicCounts: EpisodicVisitCounts?
    let bonusSchedule: LinearSchedule
    /// DrQ's shifts and intensities of sampled states (nil without augmentation); its draws
    /// come from the replay generator, right after each sample.
    let augmentation: ShiftAugmentation?
    let stateIntensities: UnsafeMutableBufferPointer<Float>
    let nextStateIntensities: UnsafeMutableBufferPointer<Float>

    public private(set) var stepCount = 0
    public private(set) var updateCount = 0
    var lastAction = 0
    /// The frame the last action was taken in (the replay's `observation`).
    let previousFrame: UnsafeMutableRawBufferPointer

    // Network inputs and update buffers, allocated once.
    let actingInput: FloatTensor
    let stateInput: FloatTensor
    let nextStateInput: FloatTensor
    let gradient: FloatTensor
    let targetValues: UnsafeMutableBufferPointer<Float>
    let tdErrors: UnsafeMutableBufferPointer<Float>
    let onlineArgmax: FloatTensor
    var lossSum = 0.0, valueSum = 0.0, diagnosticUpdates = 0

    /// An agent for `observationSpace` (one frame) and a discrete `actionSpace`; every random
    /// choice (initial weights, exploration, replay sampling) derives from `seed`.
    public init(configuration: DQNConfiguration, observationSpace: Space, actionSpace: Space, seed: UInt64) throws {
        guard let actions = actionSpace.discreteCount, actions > 0 else { throw DQNError.unsupportedActionSpace(actionSpace) }
        try configuration.validate()
        self.configuration = configuration
        actionCount = actions
        layout = try ObservationLayout(space: observationSpace, stackSize: configuration.frameStack, requested: configuration.encoder)
        var initGenerator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 1))
        let (encoder, features) = Encoder.makeLayers(for: layout, hidden: configuration.hidden, generator: &initGenerator)
        let head: Layer = configuration.dueling
            ? DuelingHead(features: features, actions: actions, generator: &initGenerator)
            : Linear(features, actions, generator: &initGenerator)
        online = Sequential(encoder + [head])
        configuration.weightInit.apply(to: online.namedParameters, generator: &initGenerator)
        targetNetwork = online.makeCopy() as! Sequential
        onlineParameters = online.parameters
        parameterPairs = Array(zip(onlineParameters, targetNetwork.parameters))
        switch configuration.optimizer {
        case .adam:
            optimizer = Adam(parameters: online.namedParameters, learningRate: Float(configuration.learningRate),
                             epsilon: Float(configuration.adamEpsilon))
        case .rmsprop:
            optimizer = RMSProp(parameters: online.namedParameters, learningRate: Float(configuration.learningRate),
                                alpha: Float(configuration.rmspropAlpha), epsilon: Float(configuration.rmspropEpsilon),
                                centered: configuration.rmspropCentered)
        }
        let replayConfiguration = ReplayBufferConfiguration(
            capacity: configuration.replayCapacity, frameByteCount: layout.frameByteCount,
            stackSize: configuration.frameStack, nStep: configuration.nStep, gamma: Float(configuration.gamma))
        if configuration.prioritized {
            prioritizedReplay = PrioritizedReplayBuffer(replayConfiguration, alpha: configuration.priorityAlpha,
                                                        epsilon: configuration.priorityEpsilon)
            uniformReplay = nil
        } else {
            uniformReplay = ReplayBuffer(replayConfiguration)
            prioritizedReplay = nil
        }
        let b = configuration.batchSize
        batch = ReplayBatch(batchSize: b, for: replayConfiguration)
        stacker = FrameStacker(frameByteCount: layout.frameByteCount, stackSize: configuration.frameStack)
        previousFrame = .allocate(byteCount: layout.frameByteCount, alignment: 64)
        previousFrame.initializeMemory(as: UInt8.self, repeating: 0)
        epsilonSchedule = configuration.epsilonSchedule
        betaSchedule = configuration.betaSchedule
        actionGenerator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 2))
        replayGenerator = SeededGenerator(seed: SeededGenerator.derive(seed: seed, index: 3))
        actingInput = FloatTensor(shape: [1] + layout.inputShape)
        stateInput = FloatTensor(shape: [b] + layout.inputShape)
        nextStateInput = FloatTensor(shape: [b] + layout.inputShape)
        gradient = FloatTensor(shape: [b, actions])
        targetValues = .allocate(capacity: b)
        targetValues.initialize(repeating: 0)
        tdErrors = .allocate(capacity: b)
        tdErrors.initialize(repeating: 0)
        onlineArgmax = FloatTensor(shape: [b, actions])
        visitCounts = configuration.countBonus > 0 ? VisitCounts() : nil
        episodicCounts = configuration.episodicBonus > 0 ? EpisodicVisitCounts() : nil
        bonusSchedule = configuration.bonusSchedule
        if configuration.augmentation == .drq {
            guard let shift = ShiftAugmentation(layout: layout) else {
                throw SettingsError.badValue(key: "augmentation", value: "drq",
                                             accepted: "none for \(observationSpace) (drq shifts uint8 images larger than 8x8)")
            }
            augmentation = shift
        } else {
            augmentation = nil
        }
        stateIntensities = .allocate(capacity: b)
        stateIntensities.initialize(repeating: 1)
        nextStateIntensities = .allocate(capacity: b)
        nextStateIntensities.initialize(repeating: 1)
    }

    deinit {
        previousFrame.deallocate()
        targetValues.deallocate()
        tdErrors.deallocate()
        stateIntensities.deallocate()
        nextStateIntensities.deallocate()
    }

    public var explorationRate: Double { epsilonSchedule.value(at: stepCount) }
    public var evaluationEpsilon: Double { configuration.evalEpsilon }
    var transitionsStored: Int64 { uniformReplay?.transitionsAdded ?? prioritizedReplay!.buffer.transitionsAdded }

    // MARK: - Acting (Dopamine's begin_episode / step / end_episode)

    public func beginEpisode(observation: UnsafeRawBufferPointer) -> Int {
        let observation = layout.frame(of: observation)
        stacker.reset(observation)
        if let episodicCounts {
            episodicCounts.beginEpisode()
            _ = episodicCounts.visit(observation)
        }
        rememberFrame(observation)
        lastAction = selectAction()
        return lastAction
    }

    public func step(reward: Float, observation: UnsafeRawBufferPointer) -> Int {
        let observation = layout.frame(of: observation)
        store(reward: reward, terminated: false, truncated: false, next: observation)
        stacker.push(observation)
        rememberFrame(observation)
        learnIfDue()
        lastAction = selectAction()
        return lastAction
    }

    public func endEpisode(reward: Float, terminated: Bool, observation: UnsafeRawBufferPointer) {
        let observation = layout.frame(of: observation)
        store(reward: reward, terminated: terminated, truncated: !terminated, next: observation)
        learnIfDue()
    }

    private func rememberFrame(_ observation: UnsafeRawBufferPointer) {
        previousFrame.baseAddress!.copyMemory(from: observation.baseAddress!, byteCount: layout.frameByteCount)
    }

    private func store(reward environmentReward: Float, terminated: Bool, truncated: Bool, next: UnsafeRawBufferPointer) {
        stepCount += 1
        var reward = environmentReward
        if configuration.clipRewards { reward = reward > 0 ? 1 : (reward < 0 ? -1 : 0) }
        if visitCounts != nil || episodicCounts != nil {
            var bonus = 0.0
            if let visitCounts { bonus += configuration.countBonus / Double(visitCounts.visit(next)).squareRoot() }
            if let episodicCounts { bonus += configuration.episodicBonus / Double(episodicCounts.visit(next)).squareRoot() }
            reward += Float(bonus * bonusSchedule.value(at: stepCount))
        }
        let previous = UnsafeRawBufferPointer(previousFrame)
        if let replay = uniformReplay {
            replay.add(observation: previous, action: lastAction, reward: reward, terminated: terminated,
                       truncated: truncated, nextObservation: next)
        } else {
            prioritizedReplay!.add(observation: previous, action: lastAction, reward: reward, terminated: terminated,
                                   truncated: truncated, nextObservation: next)
        }
    }

    /// Epsilon-greedy on the current stack. A uniform number is drawn at every step, greedy or
    /// not, so the generator's sequence does not depend on the network's outputs.
    private func selectAction() -> Int {
        let explore = actionGenerator.unitDouble() < explorationRate
        let randomAction = actionGenerator.uniform(below: actionCount)
        if explore { return randomAction }
        return greedyAction(stack: UnsafeRawBufferPointer(stacker.state), network: online, input: actingInput)
    }

    /// argmax_a Q(state, a) under `network`.
    func greedyAction(stack: UnsafeRawBufferPointer, network: Sequential, input: FloatTensor,
                      qValues: UnsafeMutableBufferPointer<Float>? = nil) -> Int {
        layout.load(states: stack.baseAddress!, batch: 1, into: input)
        let q = network.forward(input)
        if let qValues {
            for i in 0..<actionCount { qValues[i] = q.data[i] }
        }
        return TemporalDifference.argmax(q.data, count: actionCount)
    }

    // MARK: - Learning

    private func learnIfDue() {
        let c = configuration
        guard stepCount >= c.learningStarts, transitionsStored > Int64(c.nStep + c.frameStack) else { return }
        let syncs = stepCount % c.targetUpdatePeriod == 0
        if stepCount % c.trainFrequency == 0 { update(targetSyncFollows: syncs) }
        if syncs { updateTarget() }
    }

    /// One gradient step on a sampled minibatch (Mnih et al. 2015, Algorithm 1):
    /// y = r + gamma^n max_a' Q_target(s', a') (or Q_target(s', argmax_a' Q(s', a')) with
    /// Double DQN), loss L(Q(s, a) - y), one optimiser step.
    /// `targetSyncFollows`: a hard target update comes right after this one, so the target's
    /// present weights are not needed once the optimiser has stepped.
    func update(targetSyncFollows: Bool = false) {
        if let replay = uniformReplay {
            replay.sample(into: batch, using: &replayGenerator)
        } else {
            prioritizedReplay!.sample(into: batch, beta: betaSchedule.value(at: stepCount), using: &replayGenerator)
        }
        if let augmentation {
            let b = configuration.batchSize
            augmentation.shift(states: batch.observations.baseAddress!, count: b, using: &replayGenerator)
            augmentation.shift(states: batch.nextObservations.baseAddress!, count: b, using: &replayGenerator)
            augmentation.drawIntensities(into: stateIntensities, using: &replayGenerator)
            augmentation.drawIntensities(into: nextStateIntensities, using: &replayGenerator)
        }
        let (loss, meanQ) = update(on: batch, intensities: augmentation != nil, targetSyncFollows: targetSyncFollows)
        if let replay = prioritizedReplay {
            replay.updatePriorities(stamps: UnsafeBufferPointer(batch.stamps), tdErrors: UnsafeBufferPointer(tdErrors))
        }
        updateCount += 1
        lossSum += loss
        valueSum += meanQ
        diagnosticUpdates += 1
    }

    /// The gradient step on one minibatch (of `batchSize` rows): targets, loss, backward,
    /// clipping, optimiser step. Returns the loss and the mean Q of the chosen actions; the
    /// TD errors are left in `lastTDErrors`. Public so the step can be checked against PyTorch.
    @discardableResult
    public func update(on batch: ReplayBatch) -> (loss: Double, meanQ: Double) {
        update(on: batch, intensities: false, targetSyncFollows: false)
    }

    /// The step, with the augmentation's intensity factors applied to the inputs when asked.
    private func update(on batch: ReplayBatch, intensities: Bool, targetSyncFollows: Bool) -> (loss: Double, meanQ: Double) {
        let c = configuration
        let b = c.batchSize
        precondition(batch.batchSize == b && batch.stateByteCount == layout.stateByteCount,
                     "DQNAgent.update(on:): batch of \(batch.batchSize) x \(batch.stateByteCount) bytes, agent takes \(b) x \(layout.stateByteCount)")
        layout.load(states: UnsafeRawPointer(batch.observations.baseAddress!), batch: b, into: stateInput)
        layout.load(states: UnsafeRawPointer(batch.nextObservations.baseAddress!), batch: b, into: nextStateInput)
        if intensities {
            ShiftAugmentation.scaleRows(stateInput, by: stateIntensities)
            ShiftAugmentation.scaleRows(nextStateInput, by: nextStateIntensities)
        }

        // TD targets from the target network (and the online network's argmax for Double DQN;
        // copied out before the online network's next forward reuses its output buffer). A
        // target that mirrors the online network computes the same numbers: one forward pass.
        var onlineNext: UnsafePointer<Float>? = nil
        let targetQ: UnsafePointer<Float>
        if targetMirrorsOnline {
            onlineArgmax.copy(from: online.forward(nextStateInput))
            targetQ = UnsafePointer(onlineArgmax.data)
            if c.doubleDQN { onlineNext = targetQ }
        } else {
            if c.doubleDQN {
                onlineArgmax.copy(from: online.forward(nextStateInput))
                onlineNext = UnsafePointer(onlineArgmax.data)
            }
            targetQ = UnsafePointer(targetNetwork.forward(nextStateInput).data)
        }
        TemporalDifference.targets(returns: batch.returns.baseAddress!, discounts: batch.discounts.baseAddress!,
                                   targetQ: targetQ, onlineQ: onlineNext, batch: b, actions: actionCount,
                                   into: targetValues.baseAddress!)

        // Loss on Q(s, a) and its gradient, then one optimiser step.
        let q = online.forward(stateInput)
        let (loss, meanQ) = TemporalDifference.loss(
            q: q.data, actions: batch.actions.baseAddress!, targets: targetValues.baseAddress!,
            weights: batch.weights.baseAddress!, batch: b, actions: actionCount, kind: c.loss,
            gradient: gradient.data, errors: tdErrors.baseAddress!)
        for p in onlineParameters { p.zeroGradient() }
        online.backward(gradient)
        if c.maxGradNorm > 0 { GradientClipping.clipGlobalNorm(onlineParameters, maxNorm: Float(c.maxGradNorm)) }
        // The target keeps the weights from before this step unless a sync replaces them at once.
        if targetMirrorsOnline && !targetSyncFollows { materializeTarget() }
        optimizer.step()
        return (loss, meanQ)
    }

    /// The TD errors (Q(s, a) - y) of the last update, one per row.
    public var lastTDErrors: [Float] { Array(tdErrors) }

    /// Hard copy (tau = 1, deferred: see `targetMirrorsOnline`) or Polyak averaging
    /// target ← tau online + (1 - tau) target.
    func updateTarget() {
        let tau = Float(configuration.tau)
        if tau >= 1 {
            targetMirrorsOnline = true
            if !defersTargetCopies { materializeTarget() }
            return
        }
        materializeTarget()
        for (o, t) in parameterPairs {
            let tv = t.value.data, ov = o.value.data
            for i in 0..<t.value.count { tv[i] += tau * (ov[i] - tv[i]) }
        }
    }

    /// Writes the online weights into a target that mirrors them.
    private func materializeTarget() {
        guard targetMirrorsOnline else { return }
        for (o, t) in parameterPairs { t.value.copy(from: o.value) }
        targetMirrorsOnline = false
    }

    /// The target network, with its weights up to date.
    public var target: Sequential {
        materializeTarget()
        return targetNetwork
    }

    public func takeDiagnostics() -> AgentDiagnostics {
        defer { lossSum = 0; valueSum = 0; diagnosticUpdates = 0 }
        guard diagnosticUpdates > 0 else { return AgentDiagnostics(meanLoss: nil, meanValue: nil, updates: 0) }
        let n = Double(diagnosticUpdates)
        return AgentDiagnostics(meanLoss: lossSum / n, meanValue: valueSum / n, updates: diagnosticUpdates)
    }

    // MARK: - Evaluation

    public func makeEvaluationPolicy(epsilon: Double, seed: UInt64) -> Policy {
        EpsilonGreedyPolicy(agent: self, epsilon: epsilon, seed: seed)
    }

    // MARK: - Checkpoints

    struct SavedState: Codable {
        var stepCount: Int
        var updateCount: Int
        var actionGenerator: [UInt64]
        var replayGenerator: [UInt64]
        var configuration: [String: String]
    }

    public func save(to directory: URL) throws {
        try online.saveParameters(to: directory.appendingPathComponent("online.safetensors"))
        try target.saveParameters(to: directory.appendingPathComponent("target.safetensors"))  // materialised
        try optimizer.saveState(to: directory.appendingPathComponent("optimizer.safetensors"))
        let replayURL = directory.appendingPathComponent("replay.bin")
        if let replay = uniformReplay { try replay.save(to: replayURL) } else { try prioritizedReplay!.save(to: replayURL) }
        let state = SavedState(stepCount: stepCount, updateCount: updateCount, actionGenerator: actionGenerator.stateWords,
                               replayGenerator: replayGenerator.stateWords,
                               configuration: DQNConfiguration.table.values(of: configuration))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: directory.appendingPathComponent("dqn.json"))
        try visitCounts?.save(to: directory.appendingPathComponent("visit-counts.bin"))
    }

    public func load(from directory: URL, weightsOnly: Bool) throws {
        try online.loadParameters(from: directory.appendingPathComponent("online.safetensors"))
        if weightsOnly { return }
        let stateURL = directory.appendingPathComponent("dqn.json")
        let state: SavedState
        do { state = try JSONDecoder().decode(SavedState.self, from: Data(contentsOf: stateURL)) } catch {
            throw DQNError.badState(path: stateURL.path, reason: "unreadable agent state (\(error))")
        }
        guard let actions = SeededGenerator(stateWords: state.actionGenerator),
              let replayRNG = SeededGenerator(stateWords: state.replayGenerator) else {
            throw DQNError.badState(path: stateURL.path, reason: "bad generator state")
        }
        try targetNetwork.loadParameters(from: directory.appendingPathComponent("target.safetensors"))
        targetMirrorsOnline = false
        try optimizer.loadState(from: directory.appendingPathComponent("optimizer.safetensors"))
        let replayURL = directory.appendingPathComponent("replay.bin")
        if let replay = uniformReplay { try replay.load(from: replayURL) } else { try prioritizedReplay!.load(from: replayURL) }
        try visitCounts?.load(from: directory.appendingPathComponent("visit-counts.bin"))
        stepCount = state.stepCount
        updateCount = state.updateCount
        actionGenerator = actions
        replayGenerator = replayRNG
    }
}
