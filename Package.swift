// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every target: Swift 6 language mode plus the upcoming features we hold ourselves to.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let package = Package(
    name: "Tutor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tutord", targets: ["tutord"]),
        .executable(name: "tutor", targets: ["tutor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["JSON", "YAML"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // MARK: Libraries, in the direction data flows.
        .target(name: "TutorCivilDate", swiftSettings: swiftSettings),
        .target(name: "TutorJSON", swiftSettings: swiftSettings),
        .target(name: "TutorWire", dependencies: ["TutorCivilDate", "TutorJSON"], swiftSettings: swiftSettings),
        .target(name: "TutorClient", dependencies: ["TutorWire"] + nio, swiftSettings: swiftSettings),
        // `tutor mcp`: an MCP server over stdio (the official Swift SDK), a thin client of tutord.
        .target(
            name: "TutorMCP",
            dependencies: ["TutorWire", "TutorJSON", "TutorClient", .product(name: "MCP", package: "swift-sdk")],
            swiftSettings: swiftSettings,
            // The SDK links FoundationNetworking (its HTTP transports), which a static Swift runtime
            // (the installed build) links with libcurl.
            linkerSettings: [.linkedLibrary("curl", .when(platforms: [.linux]))]
        ),
        // What may leave the process: a child's environment (an allow-list) and URLs shown without their credentials.
        .target(name: "TutorSecrets", swiftSettings: swiftSettings),
        .target(
            name: "TutorCatalogue", exclude: ["Resources"], swiftSettings: swiftSettings, plugins: ["EmbedResources"]),
        .target(name: "TutorLearning", dependencies: ["TutorCatalogue", "TutorCivilDate"], swiftSettings: swiftSettings),
        .target(
            name: "TutorStore",
            dependencies: [
                "TutorCivilDate", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The model boundary: chat and embedding protocols, messages, tool calls, requests, events, usage, errors.
        .target(name: "TutorModel", swiftSettings: swiftSettings),
        .target(
            name: "TutorLLM",
            dependencies: [
                "TutorModel",
                "TutorCivilDate", "TutorJSON", "TutorSecrets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ] + nio,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TutorRetrieval",
            dependencies: ["TutorStore", "TutorModel", "TutorSecrets", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(name: "TutorAgent", dependencies: ["TutorModel", "TutorJSON"], swiftSettings: swiftSettings),
        // Every prompt and canned reply as a template, built into the binary, and the library that renders them.
        .target(
            name: "TutorPrompts",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            path: "Prompts",
            exclude: ["README.md", "Model", "Messages", "Offline"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedResources"]
        ),
        // The progress report: the roadmap's layered layout and the self-contained HTML page.
        .target(name: "TutorReport", dependencies: ["TutorWire"], swiftSettings: swiftSettings),
        // The application layer: services over the learner's records, the jobs, one context, one error.
        .target(
            name: "TutorApp",
            dependencies: [
                "TutorWire", "TutorCatalogue", "TutorLearning", "TutorStore", "TutorRetrieval", "TutorModel", "TutorPrompts", "TutorReport",
                "TutorCivilDate", "TutorJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TutorTools",
            dependencies: [
                "TutorApp", "TutorWire", "TutorJSON", "TutorCatalogue", "TutorLearning", "TutorStore", "TutorRetrieval", "TutorAgent",
                "TutorPrompts", "TutorModel", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The tools the agent calls, each declared once and registered in one place.
        .target(
            name: "TutorToolAdapters", dependencies: ["TutorApp", "TutorTools", "TutorAgent", "TutorWire", "TutorStore"],
            swiftSettings: swiftSettings),
        // What a learner's message asks for and what the chat waits for: intents, the dialogue router, the turn planner.
        .target(
            name: "TutorDialogue",
            dependencies: [
                "TutorToolAdapters", "TutorApp", "TutorAgent", "TutorModel", "TutorPrompts", "TutorCatalogue", "TutorLearning", "TutorJSON",
                "TutorStore",
            ],
            swiftSettings: swiftSettings),
        // The built-in offline model: the dialogue router's calls, replies from templates.
        .target(
            name: "TutorOffline",
            dependencies: [
                "TutorDialogue", "TutorToolAdapters", "TutorModel", "TutorAgent", "TutorPrompts", "TutorCatalogue", "TutorJSON",
                "TutorStore", "TutorApp", "TutorWire", "TutorTools",
            ],
            swiftSettings: swiftSettings
        ),
        // The one place a chat session is assembled (model, tools, prompts, transcript), for the daemon and eval.
        .target(
            name: "TutorChatSession",
            dependencies: [
                "TutorApp", "TutorTools", "TutorToolAdapters", "TutorOffline", "TutorDialogue", "TutorAgent", "TutorModel", "TutorPrompts",
                "TutorStore",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TutorEval",
            dependencies: [
                "TutorApp", "TutorChatSession", "TutorAgent", "TutorModel", "TutorStore", "TutorCatalogue", "TutorLearning", "TutorWire",
                "TutorPrompts", "TutorToolAdapters", "TutorOffline", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TutorDaemon",
            dependencies: [
                "TutorWire", "TutorJSON", "TutorStore", "TutorApp", "TutorTools", "TutorChatSession", "TutorCatalogue", "TutorAgent",
                "TutorModel", "TutorLLM", "TutorRetrieval", "TutorLearning", "TutorToolAdapters", "TutorOffline", "TutorSecrets",
                "TutorPrompts", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ] + nio,
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),

        // MARK: Executables: parse, bootstrap, run.
        .executableTarget(
            name: "tutord",
            dependencies: [
                "TutorDaemon", "TutorEval", "TutorCatalogue", "TutorModel", "TutorPrompts", "TutorWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tutor",
            dependencies: [
                "TutorWire", "TutorClient", "TutorSecrets", "TutorMCP", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support and tooling.
        .executableTarget(name: "tutor-embed", path: "Tools/EmbedResources/Generator", swiftSettings: swiftSettings),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["tutor-embed"], path: "Tools/EmbedResources/Plugin"),
        .target(
            name: "TutorTesting",
            dependencies: [
                "TutorWire", "TutorClient", "TutorStore", "TutorApp", "TutorCatalogue", "TutorLearning",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ] + nio,
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tutor-fake-llm",
            dependencies: [
                "TutorTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/FakeEndpoint",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tutor-bench",
            dependencies: [
                "TutorWire", "TutorClient", "TutorTesting", "TutorStore", "TutorCatalogue", "TutorLearning", "TutorRetrieval", "TutorModel",
                "TutorLLM", "TutorApp", "TutorPrompts", "TutorReport",
                "TutorCivilDate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ] + nio,
            path: "Tools/Benchmarks",
            exclude: ["langchain_agent.py"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "TutorJSONTests", dependencies: ["TutorJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TutorWireTests",
            dependencies: ["TutorWire", "TutorJSON", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorStoreTests", dependencies: ["TutorStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TutorLLMTests",
            dependencies: ["TutorLLM", "TutorModel", "TutorJSON", "TutorTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorRetrievalTests",
            dependencies: [
                "TutorRetrieval", "TutorStore", "TutorModel", "TutorLLM", "TutorTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: [],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorEvalTests", dependencies: ["TutorEval", "TutorLearning", "TutorToolAdapters"], swiftSettings: swiftSettings),
        .testTarget(name: "TutorCatalogueTests", dependencies: ["TutorCatalogue"], swiftSettings: swiftSettings),
        .testTarget(name: "TutorReportTests", dependencies: ["TutorReport", "TutorWire", "TutorCatalogue"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TutorPromptsTests", dependencies: ["TutorPrompts"], exclude: ["Fixtures"], swiftSettings: swiftSettings,
            plugins: ["EmbedResources"]),
        .testTarget(
            name: "TutorToolAdaptersTests",
            dependencies: [
                "TutorToolAdapters", "TutorApp", "TutorTools", "TutorAgent", "TutorJSON", "TutorStore", "TutorCatalogue", "TutorWire",
                "TutorRetrieval",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorToolsTests",
            dependencies: [
                "TutorApp", "TutorTools", "TutorAgent", "TutorJSON", "TutorStore", "TutorCatalogue", "TutorWire", "TutorPrompts",
                "TutorModel", "TutorToolAdapters", "TutorTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorOfflineTests",
            dependencies: [
                "TutorOffline", "TutorApp", "TutorTools", "TutorAgent", "TutorStore", "TutorCatalogue", "TutorWire", "TutorPrompts",
                "TutorModel", "TutorToolAdapters", "TutorChatSession", "TutorTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TutorDialogueTests", dependencies: ["TutorDialogue", "TutorCatalogue", "TutorJSON", "TutorToolAdapters"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TutorLearningTests", dependencies: ["TutorLearning", "TutorCatalogue", "TutorTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TutorDaemonTests",
            dependencies: [
                "TutorDaemon", "TutorWire", "TutorStore", "TutorApp", "TutorTools", "TutorChatSession", "TutorCatalogue", "TutorAgent",
                "TutorTesting", "TutorModel", "TutorLLM", "TutorLearning", "TutorOffline",
                "TutorPrompts",
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ] + nio,
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TutorTesting", "TutorWire", "TutorJSON", "TutorClient", "TutorCatalogue", "TutorStore", "tutord", "tutor",
                "TutorToolAdapters", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
