// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "runbook",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "runbook", targets: ["runbook"]),
    .library(name: "RunbookCore", targets: ["RunbookCore"]),
    .library(name: "RunbookEngine", targets: ["RunbookEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    // The web UI's server (`runbook serve`). Its default traits pull in swift-configuration,
    // which runbook does not use.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    // Hummingbird's logger, quietened for `runbook serve`.
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // postgres-nio's own dependencies, named because RunbookPostgres imports them (event loops,
    // TLS settings, its logger).
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // The cmark-gfm C library from Debian (libcmark-gfm-dev, libcmark-gfm-extensions-dev).
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),
    // libyaml from Debian (libyaml-dev): front matter and answers files, read by RunbookCore's
    // YAMLComposer, the only file that talks to its C API.
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    // The only module that talks to cmark-gfm's C API.
    .target(name: "RunbookMarkdown", dependencies: ["CCmarkGFM"]),
    // The runbook model, the compiler, diagnostics and lint rules.
    .target(
      name: "RunbookCore",
      dependencies: ["RunbookMarkdown", "CYAML"],
      // ICU's regular expressions (BoundedRegex), from the Swift toolchain's Foundation.
      linkerSettings: [.linkedLibrary("_FoundationICU")]
    ),
    // Sessions, the state journal, input validation, commands and checks.
    .target(
      name: "RunbookEngine",
      dependencies: ["RunbookMarkdown", "RunbookCore", .product(name: "Crypto", package: "swift-crypto")]
    ),
    // Completion reports (Markdown, HTML, JSON).
    .target(
      name: "RunbookReports",
      dependencies: ["RunbookCore", "RunbookEngine", .product(name: "Mustache", package: "swift-mustache")]
    ),
    // Runs kept in PostgreSQL (a RunStore through postgres-nio); the engine never imports it.
    .target(
      name: "RunbookPostgres",
      dependencies: [
        "RunbookEngine", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The terminal UI: rendering runbook content for a terminal, prompts, raw input.
    .target(name: "RunbookTerminal", dependencies: ["RunbookMarkdown", "RunbookCore", "RunbookEngine"]),
    // The web UI (`runbook serve`): pages, the JSON API and live events over the same Session.
    .target(
      name: "RunbookWeb",
      dependencies: [
        "RunbookMarkdown", "RunbookCore", "RunbookEngine", "RunbookReports",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "runbook",
      dependencies: [
        "RunbookCore", "RunbookEngine", "RunbookReports", "RunbookTerminal", "RunbookPostgres", "RunbookWeb",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // mimalloc (Debian libmimalloc-dev) replaces malloc for the whole process (`lint` allocates
      // on every core; docs/performance.md). Only the program (and the tests that link it) use
      // it; the libraries and the in-process benchmarks do not.
      linkerSettings: [.linkedLibrary("mimalloc")]
    ),
    // Golden files, paths and process helpers shared by the test targets.
    .target(
      name: "RunbookTestSupport", path: "Tests/Support",
      exclude: ["oidc_stub.py", "pty_run.py", "moto_server.py"]),
    .testTarget(name: "RunbookMarkdownTests", dependencies: ["RunbookMarkdown"]),
    .testTarget(
      name: "RunbookCoreTests", dependencies: ["RunbookMarkdown", "RunbookCore", "RunbookTestSupport"],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "RunbookEngineTests", dependencies: ["RunbookCore", "RunbookEngine", "RunbookTestSupport"]),
    .testTarget(
      name: "RunbookReportsTests",
      dependencies: [
        "RunbookCore", "RunbookEngine", "RunbookReports", "RunbookTestSupport", "RunbookPostgres",
      ],
      exclude: ["Golden"]
    ),
    .testTarget(
      name: "RunbookTerminalTests",
      dependencies: ["RunbookMarkdown", "RunbookCore", "RunbookTerminal", "RunbookTestSupport"]),
    .testTarget(
      name: "CLITests",
      dependencies: ["runbook", "RunbookMarkdown", "RunbookCore", "RunbookEngine", "RunbookTestSupport"]
    ),
    // `runbook serve`: the web module's own tests, and browser tests in headless Chromium
    // (Browser/browser_test.py, Selenium), skipped when the browser tools are missing.
    .testTarget(
      name: "WebTests",
      dependencies: ["runbook", "RunbookWeb", "RunbookCore", "RunbookEngine", "RunbookTestSupport"],
      exclude: ["Browser", "Fixtures"]
    ),
    .testTarget(
      name: "RunbookPostgresTests",
      dependencies: ["RunbookPostgres", "RunbookEngine", "RunbookTestSupport", "runbook"]
    ),
    .testTarget(
      name: "ReliabilityTests",
      dependencies: ["RunbookCore", "RunbookEngine", "RunbookTestSupport", "runbook"]),
  ]
)
