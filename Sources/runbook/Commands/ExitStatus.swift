import ArgumentParser
import Foundation
import RunbookEngine

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

/// How a command ends when it does not succeed plainly: a status, and a one-line message for
/// standard error (`runbook: message`) followed by indented detail lines. ``RunbookCommand`` is
/// the only place that prints it and exits; commands throw it.
struct CommandFailure: Error, CustomStringConvertible {
  /// Nil when the command already said everything (a paused run, a failed `verify`).
  var message: String?
  var details: [String]
  var status: Int32

  init(_ message: String?, status: Int32 = ExitStatus.usage, details: [String] = []) {
    self.message = message
    self.status = status
    self.details = details
  }

  /// Ends with a status and nothing more to say.
  static func exit(_ status: Int32) -> CommandFailure { CommandFailure(nil, status: status) }

  /// A failure to launch a run, with the status its kind means.
  init(_ error: LaunchError) {
    switch error.kind {
    case .inputsMissing(let lines):
      self.init(error.description + ":", status: ExitStatus.inputsMissing, details: lines)
    case .store(.inUse):
      self.init(error.description, status: ExitStatus.stateInUse)
    case .guide, .request, .store:
      self.init(error.description, status: ExitStatus.usage)
    }
  }

  var description: String { message ?? "exit status \(status)" }
}
