// swift-tools-version:6.0
// The framework's package. The folder tree is the architecture (see DESIGN.md): system
// libraries and core modules under Sources/, each environment family and agent family in its
// own folder under environments/ and agents/, one test target per module under Tests/.
import PackageDescription

let package = Package(
    name: "rl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rl", targets: ["RLCommand"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "RL", targets: ["RL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSDL2", path: "Sources/CSDL2", pkgConfig: "sdl2",
                       providers: [.apt(["libsdl2-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),

        // Core modules.
        .target(name: "Tensor", dependencies: ["CBLAS"], path: "Sources/Tensor", exclude: ["README.md"]),
        .target(name: "RL", path: "Sources/RL"),
        .target(name: "Replay",
                dependencies: ["RL", "CZstd", "CZlib", "CPNG", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Sources/Replay"),
        .target(name: "Viewer", dependencies: ["CSDL2", "RL", "Replay"], path: "Sources/Viewer"),

        // Environment families: each folder is its own target.
        .target(name: "GridMaze", dependencies: ["RL"], path: "environments/GridMaze",
                exclude: ["README.md"]),
        .target(name: "AtariConsole", path: "environments/Atari/Console",
                exclude: ["README.md"]),
        .target(name: "ALE", dependencies: ["AtariConsole", "RL"], path: "environments/Atari/ALE",
                exclude: ["README.md"]),

        // Agents: what they share, then each family.
        .target(name: "AgentKit", dependencies: ["Tensor", "RL", "Replay"], path: "agents/AgentKit"),
        .target(name: "DQN", dependencies: ["AgentKit", "Tensor", "RL", "Replay"], path: "agents/DQN"),

        // The command-line tool: thin wiring over the modules.
        .executableTarget(
            name: "RLCommand",
            dependencies: [
                "Tensor", "RL", "Replay", "Viewer", "GridMaze", "AtariConsole", "ALE", "AgentKit", "DQN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/rl"),

        // Tests: one target per module, and what they share for finding ../shared/data and the
        // Python tool environment with the oracles.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["TestSupport", "Tensor"], path: "Tests/TensorTests",
                    exclude: ["Goldens"]),
        .testTarget(name: "RLTests", dependencies: ["TestSupport", "RL"], path: "Tests/RLTests"),
        // A deterministic image environment for the store's and viewer's tests, and the
        // process the crash test kills with SIGKILL while it records.
        .target(name: "ReplayFixtures", dependencies: ["RL"], path: "Tests/ReplayFixtures"),
        .executableTarget(name: "store-crash-helper", dependencies: ["Replay", "RL", "ReplayFixtures"],
                          path: "Tests/StoreCrashHelper"),
        .testTarget(name: "ReplayTests",
                    dependencies: ["TestSupport", "Replay", "RL", "ReplayFixtures", "store-crash-helper"],
                    path: "Tests/ReplayTests"),
        .testTarget(name: "ViewerTests", dependencies: ["TestSupport", "Viewer", "Replay", "RL", "ReplayFixtures"],
                    path: "Tests/ViewerTests"),
        .testTarget(name: "AgentKitTests", dependencies: ["TestSupport", "AgentKit", "RL", "Tensor"],
                    path: "Tests/AgentKitTests"),
        .testTarget(name: "DQNTests", dependencies: ["TestSupport", "DQN", "AgentKit", "RL", "Replay", "Tensor", "GridMaze"],
                    path: "Tests/DQNTests",
                    exclude: ["Goldens"]),
        .testTarget(name: "GridMazeTests", dependencies: ["TestSupport", "GridMaze", "RL"],
                    path: "Tests/GridMazeTests"),
        .testTarget(name: "ALETests", dependencies: ["TestSupport", "ALE", "AtariConsole", "RL"],
                    path: "Tests/ALETests"),
        // Cross-module round trips: the framework's own environments through the store.
        .testTarget(name: "IntegrationTests",
                    dependencies: ["TestSupport", "RL", "Replay", "GridMaze", "ALE"],
                    path: "Tests/IntegrationTests"),
        .testTarget(name: "AtariConsoleTests", dependencies: ["TestSupport", "AtariConsole"],
                    path: "Tests/AtariConsoleTests"),
    ],
    swiftLanguageModes: [.v6]
)
