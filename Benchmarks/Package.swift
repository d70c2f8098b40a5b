// swift-tools-version: 6.1
// The benchmarks of runbook, kept out of the main package so that its build and `swift test`
// stay lean. Run them with `scripts/bench` from the repository root (docs/performance.md).
import PackageDescription

let package = Package(
  name: "runbook-benchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    // The product under test, by path; named so the checkout's folder name does not matter.
    .package(name: "runbook", path: ".."),
  ],
  targets: [
    // cmark-gfm's C library itself, for the "parse alone, in process" baseline. The same
    // Debian library the product links; its own module name, so nothing of the product's
    // internals is needed.
    .systemLibrary(name: "BenchCmark", pkgConfig: "libcmark-gfm"),
    .executableTarget(
      name: "runbook-bench",
      dependencies: [
        "BenchCmark",
        .product(name: "RunbookCore", package: "runbook"),
        .product(name: "RunbookEngine", package: "runbook"),
      ]
    ),
    // Start-up floors: a Swift program that does nothing, and one that loads Foundation.
    .executableTarget(name: "floor-swift"),
    .executableTarget(name: "floor-foundation"),
  ]
)
