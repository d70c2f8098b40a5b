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
  ]
)
