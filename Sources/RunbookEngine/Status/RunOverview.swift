import Foundation

/// One run in one line: what `runbook status` lists for a folder or a database of runs. Built
/// from the journal alone (header and events, no guide), so every store computes the same line;
/// a store may keep it beside the journal and update it on each append (``Builder``).
public struct RunOverview: Sendable, Equatable {
  public var run: RunID
  public var runbookID: String
  public var title: String
  public var outcome: RunSummary.Outcome
  /// Steps of the journal's header by status.
  public var done: Int
  public var skipped: Int
  public var failed: Int
  public var total: Int
  /// Checks whose latest run failed.
  public var failedChecks: Int
  /// Who wrote the last event (the creator when there is none) and when.
  public var lastOperator: String
  public var lastActivity: Date
  public var created: Date
  /// Everyone who took part, in order of first appearance.
  public var operators: [String]
  public var events: Int
  /// Who drives the run right now; nil when nobody does.
  public var holder: LockInfo?

  public init(
    run: RunID, runbookID: String, title: String, outcome: RunSummary.Outcome, done: Int, skipped: Int,
    failed: Int, total: Int, failedChecks: Int, lastOperator: String, lastActivity: Date, created: Date,
    operators: [String], events: Int, holder: LockInfo? = nil
  ) {
    self.run = run
    self.runbookID = runbookID
    self.title = title
    self.outcome = outcome
    self.done = done
    self.skipped = skipped
    self.failed = failed
    self.total = total
    self.failedChecks = failedChecks
    self.lastOperator = lastOperator
    self.lastActivity = lastActivity
    self.created = created
    self.operators = operators
    self.events = events
    self.holder = holder
  }

  /// The overview of a whole journal.
  public init(run: RunID, header: JournalHeader, events: [Event]) {
    var builder = Builder(header: header)
    for event in events { builder.apply(event) }
    self = builder.overview(run: run)
  }

  /// Steps finished (done or skipped), in percent of ``total``.
  public var percent: Int { total == 0 ? 100 : (done + skipped) * 100 / total }

  /// Folds events one at a time, for stores that keep the overview up to date as they append.
  public struct Builder: Sendable {
    public let header: JournalHeader
    public private(set) var state = RunState()
    private var lastType: EventType?

    public init(header: JournalHeader, events: [Event] = []) {
      self.header = header
      state.runbookSHA256 = header.runbook.sha256
      for event in events { apply(event) }
    }

    public mutating func apply(_ event: Event) {
      state.apply(event)
      lastType = event.type
    }

    public func overview(run: RunID) -> RunOverview {
      var done = 0
      var skipped = 0
      var failed = 0
      for step in header.steps {
        switch state.status(of: step.id) {
        case .done: done += 1
        case .skipped: skipped += 1
        case .failed: failed += 1
        case .pending: break
        }
      }
      var failedChecks = 0
      for record in state.steps.values {
        failedChecks += record.checks.values.filter { $0.passed == false }.count
      }
      return RunOverview(
        run: run, runbookID: header.runbook.id, title: header.runbook.title,
        outcome: .of(
          completed: state.completed != nil, exceptions: !state.exceptions.isEmpty, stepFailed: failed > 0,
          last: lastType),
        done: done, skipped: skipped, failed: failed, total: header.steps.count, failedChecks: failedChecks,
        lastOperator: state.lastEvent?.operator ?? header.operator,
        lastActivity: state.lastEvent?.at ?? header.created, created: header.created,
        operators: state.operators.isEmpty ? [header.operator] : state.operators, events: state.events)
    }
  }

  /// Which runs `status` lists: every condition given must hold.
  public struct Filter: Sendable, Equatable {
    /// A runbook id, or words of its title (case-insensitive).
    public var runbook: String?
    /// Someone who took part: `alice@laptop`, or `alice` for any host.
    public var `operator`: String?
    public var outcome: RunSummary.Outcome?
    /// Last activity at or after this time.
    public var since: Date?

    public init(
      runbook: String? = nil, operator: String? = nil, outcome: RunSummary.Outcome? = nil, since: Date? = nil
    ) {
      self.runbook = runbook
      self.operator = `operator`
      self.outcome = outcome
      self.since = since
    }

    public var isEmpty: Bool { runbook == nil && `operator` == nil && outcome == nil && since == nil }

    public func matches(_ run: RunOverview) -> Bool {
      if let runbook, run.runbookID != runbook,
        run.title.range(of: runbook, options: [.caseInsensitive]) == nil
      {
        return false
      }
      if let name = `operator`,
        !run.operators.contains(where: {
          $0 == name || $0.split(separator: "@").first.map(String.init) == name
        })
      {
        return false
      }
      if let outcome, run.outcome != outcome { return false }
      if let since, run.lastActivity < since { return false }
      return true
    }
  }

  /// Most recent activity first; ties by run.
  public static func byLastActivity(_ a: RunOverview, _ b: RunOverview) -> Bool {
    a.lastActivity != b.lastActivity ? a.lastActivity > b.lastActivity : a.run.rawValue < b.run.rawValue
  }
}

/// What a store's ``RunStore/overviews()`` found: a line for each run it could read, and a
/// one-line error for each it could not.
public struct RunOverviews: Sendable {
  public var runs: [RunOverview]
  public var problems: [StoreError]

  public init(runs: [RunOverview], problems: [StoreError]) {
    self.runs = runs
    self.problems = problems
  }
}
