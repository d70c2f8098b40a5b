import ArgumentParser

/// `runbook resume` (being written).
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "resume", abstract: "(not yet available)")

  func run() throws {
    fail(CommandFailure("resume is not available yet"))
  }
}
