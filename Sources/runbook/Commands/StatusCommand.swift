import ArgumentParser

/// `runbook status` (being written).
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "status", abstract: "(not yet available)")

  func run() throws {
    fail(CommandFailure("status is not available yet"))
  }
}
