import ArgumentParser

/// `runbook verify` (being written).
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "verify", abstract: "(not yet available)")

  func run() throws {
    fail(CommandFailure("verify is not available yet"))
  }
}
