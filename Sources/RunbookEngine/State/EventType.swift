/// What a journal event records.
public enum EventType: String, Codable, Sendable {
  case started, resumed
  case preconditionAcknowledged = "precondition-acknowledged"
  case input
  /// A recorded answer was changed: `input`, `value` (or `secret`), `from` (the old value, never
  /// a secret's), `steps` (the steps reopened because they used it).
  case inputChanged = "input-changed"
  case stepStarted = "step-started"
  case stepDone = "step-done"
  case stepSkipped = "step-skipped"
  case stepReopened = "step-reopened"
  case rowConfirmed = "row-confirmed"
  case command, check, note, paused, interrupted, completed, failed
  /// Written before a `{run}` command or a `{check}` starts, so that a run killed while it ran
  /// knows the command may have run partly.
  case commandStarted = "command-started"
  case checkStarted = "check-started"
  case runbookChanged = "runbook-changed"
  case movedTo = "moved-to"
  /// A reading page (a section without steps, the guide's intro) was shown and acknowledged.
  case pageRead = "page-read"
}
