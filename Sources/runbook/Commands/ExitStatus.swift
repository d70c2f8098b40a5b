import ArgumentParser
import Foundation

/// The exit statuses of `runbook`, in one place (documented in README.md).
enum ExitStatus {
  static let success: Int32 = 0
  static let failed: Int32 = 1
  static let usage: Int32 = 2
  static let inputsMissing: Int32 = 3
  static let paused: Int32 = 4
  static let stateInUse: Int32 = 5
  static let interrupted: Int32 = 130
}

/// An error that ends the command with a one-line message on standard error and a status.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  var status: Int32

  init(_ message: String, status: Int32 = ExitStatus.usage) {
    self.message = message
    self.status = status
  }

  var description: String { message }
}

extension ParsableCommand {
  /// Prints a failure as `runbook: message` and exits with its status.
  func fail(_ failure: CommandFailure) -> Never {
    StandardStreams.error("runbook: \(failure.message)")
    Foundation.exit(failure.status)
  }
}
