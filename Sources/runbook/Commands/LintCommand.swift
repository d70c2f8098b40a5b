import ArgumentParser
import RunbookCore

/// `runbook lint FILE|DIR ...`: the compiler's diagnostics plus the authoring rules.
struct LintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check guides for problems (placeholder for the linter)."
  )

  @Argument(help: "Guides or folders of guides.")
  var paths: [String]

  func run() throws {
    fail(CommandFailure("lint is not implemented yet"))
  }
}
