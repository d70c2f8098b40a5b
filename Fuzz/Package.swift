// swift-tools-version: 6.1
// libFuzzer targets for runbook. Build and run them with ./run.sh (see docs/fuzzing.md);
// `swift build` here without `-sanitize=fuzzer` fails to link, since libFuzzer provides `main`.
import PackageDescription

let package = Package(
  name: "RunbookFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "runbook", path: "..")],
  targets: [
    // Hands `main` to libFuzzer (see FuzzDriver.swift).
    .target(name: "FuzzDriver"),
    // (a) any bytes as a guide: compile, lint, JSON, outline.
    .executableTarget(
      name: "FuzzCompiler", dependencies: ["FuzzDriver", .product(name: "RunbookCore", package: "runbook")]),
    // (b) front matter plus a value validated against every declared input.
    .executableTarget(
      name: "FuzzInputs", dependencies: ["FuzzDriver", .product(name: "RunbookCore", package: "runbook")]),
    // (c) any bytes as a state file: read, verify and open.
    .executableTarget(
      name: "FuzzJournal", dependencies: ["FuzzDriver", .product(name: "RunbookEngine", package: "runbook")]),
    // (d) a secret in a command's output, in random forms and pieces: never shown unmasked.
    .executableTarget(
      name: "FuzzMasker",
      dependencies: [
        "FuzzDriver", .product(name: "RunbookCore", package: "runbook"),
        .product(name: "RunbookEngine", package: "runbook"),
      ]),
    // (e) guides nested deep in random mixtures: no crash, bounded depth.
    .executableTarget(
      name: "FuzzNesting", dependencies: ["FuzzDriver", .product(name: "RunbookCore", package: "runbook")]),
  ]
)
