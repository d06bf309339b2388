// The oracle's plans are optimal: compared with an exhaustive breadth-first search over complete
// environment states under all seven actions (MazeState.apply, the environment's own rules); and
// the scripted expert reaches the goal in every generated maze of sizes 5 to 31.
import GridMaze
import RL
import Testing

/// Fewest actions to the goal by brute force: BFS over whole MazeStates (grid, agent, carried
/// object) with every action, the environment's rules, nothing compacted.
func exhaustiveOptimalSteps(from start: MazeState, limit: Int = 200) -> Int? {
    var seen: Set<MazeState> = [start]
    var frontier = [start]
    for depth in 1...limit {
        var next: [MazeState] = []
        for state in frontier {
            for action in MazeAction.allCases {
                var s = state
                switch s.apply(action) {
                case .reachedGoal: return depth
                case .enteredLava: continue
                case .moved: if seen.insert(s).inserted { next.append(s) }
                }
            }
        }
        if next.isEmpty { return nil }
        frontier = next
    }
    return nil
}

@Suite("Shortest-path oracle")
struct ShortestPathOracleTests {
    static let smallMaps: [String] = [
        """
        #  #  #  #  #
        #  >  .  .  #
        #  .  #  .  #
        #  .  .  G  #
        #  #  #  #  #
        """,
        """
        #  #  #  #  #  #
        #  ^  Ky #  .  #
        #  .  .  Ly .  #
        #  .  .  #  G  #
        #  #  #  #  #  #
        """,
        """
        #  #  #  #  #  #  #
        #  <  .  Db .  .  #
        #  #  #  #  ~  .  #
        #  .  .  .  ~  .  #
        #  G  ~  .  .  .  #
        #  #  #  #  #  #  #
        """,
        """
        #  #  #  #  #  #  #
        #  v  .  Kr #  G  #
        #  .  Bb .  Lr .  #
        #  .  Kb .  #  .  #
        #  #  #  #  #  #  #
        """,
    ]

    @Test(arguments: smallMaps.indices)
    func oracleMatchesExhaustiveSearchOnHandMadeMaps(_ index: Int) throws {
        let layout = try TextMap.parse(Self.smallMaps[index])
        let start = MazeState(layout: layout)
        let brute = exhaustiveOptimalSteps(from: start)
        #expect(brute != nil)
        #expect(try ShortestPathOracle.optimalSteps(from: start) == brute)
        // From every heading at the start, too.
        for heading in 0..<4 {
            var turned = start
            turned.heading = heading
            #expect(try ShortestPathOracle.optimalSteps(from: turned) == exhaustiveOptimalSteps(from: turned))
        }
    }

    @Test(arguments: 0..<12)
    func oracleMatchesExhaustiveSearchOnGeneratedLevels(_ seed: Int) throws {
        let levels: [any LevelGenerator] = [DoorKey(size: 5), DoorKey(size: 6), EmptyRoom(size: 6, randomStart: true),
                                            LavaCrossing(size: 7, crossings: 1), PerfectMaze(size: 9, loops: 0.3)]
        for level in levels {
            var generator = SeededGenerator(seed: UInt64(seed))
            let start = MazeState(layout: level.generate(&generator))
            #expect(try ShortestPathOracle.optimalSteps(from: start) == exhaustiveOptimalSteps(from: start),
                    "\(type(of: level)) seed \(seed)")
        }
    }

    @Test func planReplaysToTheGoalInTheEnvironment() throws {
        let layout = try TextMap.parse(Self.smallMaps[1])
        let env = GridMazeEnvironment(level: FixedLevel(layout: layout, maxSteps: 100))
        _ = env.reset(seed: 0)
        let plan = try #require(try ShortestPathOracle.shortestPath(from: env.state))
        var last = StepResult(reward: 0, terminated: false, truncated: false)
        for action in plan { last = try env.step(action.rawValue).result }
        #expect(last.terminated && last.info.success == true)
        #expect(abs(Double(last.reward) - (1 - 0.9 * Double(plan.count) / 100)) < 1e-6)
    }

    @Test func unreachableGoalHasNoPlan() throws {
        let layout = try TextMap.parse("""
        #  #  #  #  #
        #  >  #  G  #
        #  #  #  #  #
        """)
        #expect(try ShortestPathOracle.shortestPath(from: MazeState(layout: layout)) == nil)
    }

    @Test(arguments: stride(from: 5, through: 31, by: 2).map { $0 })
    func expertSolvesEveryGeneratedMaze(_ size: Int) throws {
        var episodes: [(success: Bool, shortest: Int, taken: Int)] = []
        for (loops, algorithm) in [(0.0, PerfectMaze.Algorithm.backtracker), (0.2, .backtracker), (0.0, .kruskal)] {
            let env = GridMazeEnvironment(level: PerfectMaze(size: size, loops: loops, algorithm: algorithm))
            for seed in 0..<5 {
                _ = env.reset(seed: UInt64(seed))
                let shortest = try #require(try ShortestPathOracle.optimalSteps(from: env.state))
                var taken = 0, success = false
                while taken < env.maxSteps {
                    let action = try #require(try ShortestPathOracle.expertAction(in: env.state))
                    let result = try env.step(action.rawValue).result
                    taken += 1
                    if result.done { success = result.info.success == true; break }
                }
                #expect(success, "size \(size) \(algorithm) loops \(loops) seed \(seed)")
                #expect(taken == shortest)
                episodes.append((success, shortest, taken))
            }
        }
        #expect(ShortestPathOracle.successWeightedPathLength(episodes) == 1)
    }

    @Test func successWeightedPathLength() {
        let spl = ShortestPathOracle.successWeightedPathLength([(true, 10, 20), (false, 5, 5), (true, 4, 4)])
        #expect(abs(spl - (0.5 + 0 + 1) / 3) < 1e-12)
    }
}
