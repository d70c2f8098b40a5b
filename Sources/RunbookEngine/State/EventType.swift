/// What a journal event records.
public enum EventType: String, Codable, Sendable {
  case started, resumed
  case preconditionAcknowledged = "precondition-acknowledged"
  case input
  case stepStarted = "step-started"
  case stepDone = "step-done"
  case stepSkipped = "step-skipped"
  case stepReopened = "step-reopened"
  case rowConfirmed = "row-confirmed"
  case command, check, note, paused, interrupted, completed, failed
  case runbookChanged = "runbook-changed"
  case movedTo = "moved-to"
}
