import ArgumentParser

/// `runbook report` (being written).
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "report", abstract: "(not yet available)")

  func run() throws {
    fail(CommandFailure("report is not available yet"))
  }
}
