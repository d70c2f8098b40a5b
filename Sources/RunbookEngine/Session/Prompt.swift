import RunbookCore

/// What the session needs next. A driver (the terminal UI, a test, later a web UI) shows it and
/// answers with an ``Answer``.
public enum Prompt: Sendable {
  /// A precondition to acknowledge, `index` of `count`.
  case precondition(Note, index: Int, count: Int)
  /// An input to ask; `step` is nil for inputs asked at the start. `problem` says why the
  /// previous answer was refused.
  case input(Input, step: Step?, problem: String?)
  /// A table row to confirm, with placeholders filled in.
  case confirmRow(step: Step, table: Int, row: Int, header: [String], cells: [String])
  /// A `{run}` command to offer.
  case command(step: Step, index: Int, PreparedCommand)
  /// A `{check}` to run now (answer ``Answer/run``).
  case check(step: Step, index: Int, PreparedCommand)
  /// A check failed: retry, skip the step with a reason, or quit.
  case checkFailed(step: Step, index: Int, CheckRunner.Outcome)
  /// Everything in the step is settled: done, skip, back, note or quit.
  case finishStep(Step)
  /// A reading page (``RunUnit/page``) to show with what comes before and after it, then
  /// acknowledge (``Answer/acknowledge``); back, note and quit work as at a step.
  case readPage(RunUnit)
  /// All steps are finished.
  case finished
}

/// An answer to a ``Prompt``.
public enum Answer: Sendable, Equatable {
  case acknowledge
  case value(String)
  case confirm
  case confirmAll
  case run
  case skipCommand
  case retry
  case done
  /// Finishes a step although one of its commands failed (``Session/finishWarning(_:)``), saying why.
  case doneDespite(reason: String)
  case skip(reason: String)
  case back
  case note(String)
  /// Changes the recorded answer of an input (at any prompt): the steps that used it reopen.
  case change(input: String, value: String)
  case quit
}
