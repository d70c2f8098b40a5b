import ArgumentParser

/// `runbook run` (being written).
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run", abstract: "(not yet available)")

  func run() throws {
    fail(CommandFailure("run is not available yet"))
  }
}
