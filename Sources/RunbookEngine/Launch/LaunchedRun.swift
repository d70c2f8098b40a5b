import RunbookCore

/// A run that ``RunLauncher`` opened and began: the session to drive, and what a front end
/// shows before the first prompt.
public struct LaunchedRun {
  public let session: Session
  public let journal: any RunJournal
  /// Lowercase hex SHA-256 of the guide's bytes.
  public let guideSHA256: String
  /// The state as it was before this session began (empty for a new run).
  public let before: RunState
  /// What changed since the state was written; nil for a new run.
  public let resumption: Session.Resumption?
  /// Sentences for the admin about the launch (a given value that did not replace an answer).
  public let notices: [String]

  public var run: RunID { journal.run }
  public var runbook: Runbook { session.runbook }
  /// True when the run existed before (it is resumed, not started).
  public var resuming: Bool { resumption != nil }
}
