// `rl watch DIR [--episode N]`: plays recorded episodes in an SDL2 window (the Viewer module).
// Without a display it says so in one line and points at `rl export`. `--live` runs the run's
// newest checkpoint live in a fresh instance of its environment, its outputs drawn as bars and
// its episodes recorded as evaluations.
import AgentKit
import ArgumentParser
import Foundation
import RL
import Replay
import Viewer

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Play recorded episodes in a window.",
        discussion: "Keys: " + ViewerKey.help)

    @Argument(help: "The run directory.")
    var directory: String

    @Option(help: "The episode to start with (default: the first; n/p move between episodes).")
    var episode: Int64?

    @Option(help: "Integer scale-up of the frame (default: fit about 512 pixels).")
    var scale: Int?

    @Option(help: "Playback speed in frames per second.")
    var fps: Int = 15

    @Flag(help: "Start paused.")
    var paused = false

    @Option(help: "Where s saves screenshots (default: the current directory).")
    var screenshots: String?

    @Flag(help: "Run the run's latest policy live in its environment instead of replaying.")
    var live = false

    func validate() throws {
        if let scale, scale < 1 || scale > 16 { throw ValidationError("--scale must be between 1 and 16, got \(scale)") }
        if fps < 1 { throw ValidationError("--fps must be at least 1, got \(fps)") }
    }

    func run() throws {
        if live { return try runLive() }
        let store = try TrajectoryStore(runDirectory: URL(fileURLWithPath: directory))
        let ids = try store.episodeIDs()
        do {
            let viewer = try EpisodeViewer(
                store: store, episodeIDs: ids, startEpisode: episode, scale: scale, framesPerSecond: fps,
                startPaused: paused,
                screenshotDirectory: URL(fileURLWithPath: screenshots ?? FileManager.default.currentDirectoryPath))
            try viewer.run()
        } catch let error as ViewerError {
            throw CommandFailure(error.description)
        }
    }

    /// The run's newest complete checkpoint acting in a window, at its evaluation epsilon.
    private func runLive() throws {
        let run = try RunDirectory.open(URL(fileURLWithPath: directory))
        let config = run.configuration
        let environment = try EnvironmentRegistry.standard().make(config.environment, options: config.environmentOptions)
        guard let rendering = environment as? any RenderingEnvironment else {
            throw CommandFailure("\(config.environment) does not render an image, so it cannot be watched live")
        }
        let agent = try AgentCatalog.find(config.agent).make(config.agentSettings, environment.observationSpace,
                                                             environment.actionSpace, Trainer.seed(.agent, of: config.seed))
        let checkpoint = try run.checkpoints.latestVerified(only: ["online.safetensors"])
        try agent.load(from: checkpoint.url, weightsOnly: true)
        let seed = Trainer.seed(.evaluationEnvironment, of: config.seed)
        let policy = agent.makeEvaluationPolicy(epsilon: agent.evaluationEpsilon,
                                                seed: Trainer.seed(.evaluationPolicy, of: seed))
        let explained = policy as? any ExplainedPolicy
        let width = explained == nil ? 0 : (environment.actionSpace.discreteCount ?? 0)
        let recorder = try Evaluator.makeRecorder(runDirectory: run.url, environment: environment,
                                                  environmentID: config.environment, agent: config.agent,
                                                  policy: policy)
        // The session resets the environment itself; its step counter tells the policy when
        // an episode has begun (so it restarts its frame stack).
        final class SessionReference { var session: PlaySession? }
        let reference = SessionReference()
        let driver = PlayDriver.policy(outputKind: explained?.outputKind ?? .none, outputWidth: width) { observation, outputs in
            let action = reference.session?.step == 0
                ? policy.beginEpisode(observation: observation) : policy.step(observation: observation)
            if let explained {
                for i in 0..<min(outputs.count, explained.lastOutputs.count) { outputs[i] = explained.lastOutputs[i] }
            }
            return (action, nil)
        }
        do {
            let session = try PlaySession(environment: rendering, environmentID: config.environment, driver: driver,
                                          recorder: recorder, seed: seed, framesPerSecond: fps, scale: scale)
            reference.session = session
            try session.run()
            print("recorded \(session.recordedEpisodes.count) live episode(s) to \(run.url.path)")
        } catch let error as ViewerError {
            throw CommandFailure(error.description)
        }
    }
}
