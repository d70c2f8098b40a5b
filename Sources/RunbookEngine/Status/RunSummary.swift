import Foundation
import RunbookCore

/// Who did what, when, what is left and why something failed: the facts `runbook status` and
/// the completion report show, derived from a journal (and the runbook, when it can be found).
public struct RunSummary: Sendable {
  public enum Outcome: String, Sendable, Codable, CaseIterable {
    case completed, partial, failed, interrupted
    /// Completed, but a command failed (allowed to fail, or its step was done anyway) or a
    /// failed check's step was skipped (``RunState/exceptions``).
    case completedWithExceptions = "completed with exceptions"

    /// The one rule for a run's outcome (`status`, the report, ``RunOverview``): completed after
    /// a `completed` event (with exceptions when ``RunState/exceptions`` is not empty), failed
    /// when a step failed or the last event is `failed`, interrupted when the last event is
    /// `interrupted`, else partial.
    public static func of(completed: Bool, exceptions: Bool = false, stepFailed: Bool, last: EventType?)
      -> Outcome
    {
      if completed { return exceptions ? .completedWithExceptions : .completed }
      if stepFailed || last == .failed { return .failed }
      return last == .interrupted ? .interrupted : .partial
    }
  }

  public struct StepLine: Sendable, Codable {
    public var number: String
    public var id: String
    public var title: String
    public var status: RunState.StepStatus
    public var by: String?
    public var at: Date?
    public var durationMs: Int?
    public var reason: String?
    public var notes: [String]
  }

  public struct InputLine: Sendable, Codable {
    public var id: String
    public var label: String
    /// The value, "provided (secret)" for secrets, nil when not given yet.
    public var value: String?
    public var secret: Bool
    public var derived: Bool
    public var by: String?
    /// Earlier answers when it was changed, oldest first (values masked; nil for a secret).
    public var earlier: [Earlier] = []
  }

  /// An answer that a later one replaced.
  public struct Earlier: Sendable, Codable {
    public var value: String?
    public var by: String
    public var at: Date
  }

  /// Reading pages of the runbook and how many were read (acknowledged).
  public struct PageCount: Sendable, Codable, Equatable {
    public var read: Int
    public var total: Int
  }

  /// A failed command or check the run went on past (``RunState/exceptions``), listed once.
  public struct Exception: Sendable, Codable, Equatable {
    public var kind: String  // "check" or "command"
    public var step: String
    public var command: String
    public var reason: String

    public init(kind: String, step: String, command: String, reason: String) {
      self.kind = kind
      self.step = step
      self.command = command
      self.reason = reason
    }

    /// The exception a failed `command` or `check` event stands for (its texts already masked).
    public init(_ event: Event) {
      self.init(
        kind: event.type.rawValue, step: event.step ?? "?", command: event.text ?? "",
        reason: event.reason ?? "it failed")
    }

    /// One line: `step 1.2: command `false` failed: it exited with status 1`.
    public var line: String {
      let text = command.trimmingCharacters(in: .whitespacesAndNewlines)
      let first = text.split(separator: "\n").first.map(String.init) ?? ""
      let more = text.contains("\n") ? " …" : ""
      return "step \(step): \(kind) `\(first)\(more)` failed: \(reason)"
    }
  }

  public struct RanLine: Sendable, Codable {
    public var kind: String  // "check" or "command"
    public var step: String
    public var command: String
    public var status: Int?
    public var passed: Bool?
    public var reason: String?
    public var durationMs: Int?
    public var output: String
    public var by: String
    public var at: Date
  }

  public var statePath: String
  public var title: String
  public var runbookID: String
  public var runbookPath: String
  public var sha256: String
  /// True when the guide on disk differs from the version the run followed last.
  public var runbookChanged: Bool?
  public var outcome: Outcome
  public var started: Date?
  public var finished: Date?
  public var lastActivity: Date?
  public var lastOperator: String?
  public var operators: [String]
  public var steps: [StepLine]
  /// Nil without the runbook (the journal does not list the pages).
  public var pages: PageCount?
  public var inputs: [InputLine]
  public var ran: [RanLine]
  /// Failed commands and checks the run went on past, each once.
  public var exceptions: [Exception] = []
  public var notes: [RunState.NoteRecord]
  public var current: StepLine?
  public var missingInputs: [String]
  public var warnings: [String]
  /// Hides the values of every input the journal or the runbook calls secret; everything above
  /// is already masked with it.
  public let masker: SecretMasker
  /// The fold of the journal, with the history of steps an edit of the guide renumbered moved
  /// to their new ids.
  public let state: RunState
  /// Who drives the run right now, when someone does (the store's lock).
  public var holder: LockInfo?

  public var counts: (done: Int, skipped: Int, failed: Int, pending: Int, total: Int) {
    let done = steps.filter { $0.status == .done }.count
    let skipped = steps.filter { $0.status == .skipped }.count
    let failed = steps.filter { $0.status == .failed }.count
    return (done, skipped, failed, steps.count - done - skipped - failed, steps.count)
  }

  public var percent: Int {
    let c = counts
    return c.total == 0 ? 100 : (c.done + c.skipped) * 100 / c.total
  }

  /// What a summary needs of a journal's events, gathered one event at a time (``add(_:)``), so
  /// that a long journal is never held whole: the folded state and the commands and checks that
  /// ran (the summary lists each of them).
  public struct Facts: Sendable {
    /// The fold of the events so far; its guide hash is nil until a `runbook-changed` event.
    public private(set) var state = RunState()
    /// The `command` and `check` events, in order.
    public private(set) var ran: [Event] = []

    public init() {}

    /// The run in time, gathered as the events go by.
    public private(set) var timeline = Timeline.Builder()

    public mutating func add(_ event: Event) {
      state.apply(event)
      timeline.add(event)
      if event.type == .check || event.type == .command { ran.append(event) }
    }
  }

  /// Builds the summary. `runbook` is the current guide if it could be read; without it the
  /// journal's own list of steps is used.
  public init(
    statePath: String, header: JournalHeader, events: [Event], warnings: [String], runbook: Runbook?,
    currentSHA256: String?, holder: LockInfo? = nil
  ) {
    var facts = Facts()
    for index in events.indices { facts.add(events[index]) }
    self.init(
      statePath: statePath, header: header, facts: facts, warnings: warnings, runbook: runbook,
      currentSHA256: currentSHA256, holder: holder)
  }

  /// Builds the summary from the facts of a journal read event by event.
  public init(
    statePath: String, header: JournalHeader, facts: Facts, warnings: [String], runbook: Runbook?,
    currentSHA256: String?, holder: LockInfo? = nil
  ) {
    self.holder = holder
    var state = facts.state
    // A guide edited since the run last used it may have renumbered finished steps: their
    // history goes with them, as a resume would record it.
    if let runbook, let current = currentSHA256, current != (state.runbookSHA256 ?? header.runbook.sha256) {
      let moved = state.moves(toward: runbook.allSteps, header: header)
      if !moved.isEmpty { state.move(moved, at: Int.max) }
    }
    self.state = state
    // Never a secret's value, whether the journal or the runbook says it is one: a journal that
    // holds the value of an input the runbook now calls secret (written before it was marked
    // secret) has that value masked wherever it appears.
    let secretIDs = Set((runbook?.inputs ?? []).filter(\.secret).map(\.id))
      .union(state.inputs.filter { $0.value.secret }.map(\.key))
    let masker = SecretMasker(
      secrets: state.inputs.filter { secretIDs.contains($0.key) }.compactMap(\.value.value))
    self.masker = masker
    self.statePath = statePath
    title = runbook?.title ?? header.runbook.title
    runbookID = header.runbook.id
    runbookPath = header.runbook.path
    let followed = state.runbookSHA256 ?? header.runbook.sha256
    sha256 = followed
    runbookChanged = currentSHA256.map { $0 != followed }
    started = state.started
    finished = state.completed
    lastActivity = state.lastEvent?.at
    lastOperator = state.lastEvent?.operator
    operators = state.operators
    notes = state.notes.map { note in
      var note = note
      note.text = masker.mask(note.text)
      return note
    }
    self.warnings = warnings

    let titles = runbook.map { FilledTitles(runbook: $0, state: state) }
    let stepList: [(number: String, id: String, title: String)] =
      runbook?.allSteps.map { ($0.number, $0.id, titles?.fill($0.title) ?? $0.title) }
      ?? header.steps.map { ("", $0.id, $0.id) }
    var notesByStep: [String: [String]] = [:]
    for note in state.notes {
      if let step = note.step { notesByStep[step, default: []].append(masker.mask(note.text)) }
    }
    steps = stepList.map { step in
      let record = state.steps[step.id]
      var line = StepLine(
        number: step.number, id: step.id, title: step.title, status: record?.status ?? .pending,
        by: record?.by,
        at: record?.at, durationMs: nil, reason: record?.reason.map(masker.mask),
        notes: notesByStep[step.id] ?? [])
      if let started = record?.startedAt, let at = record?.at, line.status == .done {
        line.durationMs = Int(at.timeIntervalSince(started) * 1000)
      }
      return line
    }
    let stepLines = steps
    pages = runbook.map { guide in
      let all = guide.pages
      return PageCount(read: all.filter { state.pagesRead.contains($0.id) }.count, total: all.count)
    }

    var inputLines: [InputLine] = []
    var missing: [String] = []
    let known = state.inputs.compactMapValues(\.value)
    let derived = runbook.map { DerivedValues($0).evaluate(known) } ?? [:]
    for input in runbook?.inputs ?? [] {
      let record = state.inputs[input.id]
      let value: String? =
        input.isDerived
        ? derived[input.id]
        : record.map { $0.secret || input.secret ? "provided (secret)" : ($0.value ?? "") }
      let secret = input.secret || record?.secret == true
      inputLines.append(
        InputLine(
          id: input.id, label: input.label, value: value.map(masker.mask), secret: input.secret,
          derived: input.isDerived, by: record?.by,
          earlier: (record?.earlier ?? []).map {
            Earlier(value: secret ? nil : $0.value.map(masker.mask), by: $0.by, at: $0.at)
          }))
      if value == nil, !input.isDerived, input.required { missing.append(input.id) }
    }
    if runbook == nil {
      for (id, record) in state.inputs.sorted(by: { $0.key < $1.key }) {
        inputLines.append(
          InputLine(
            id: id, label: id, value: record.secret ? "provided (secret)" : record.value,
            secret: record.secret, derived: false, by: record.by))
      }
    }
    inputs = inputLines
    missingInputs = missing

    var ranLines: [RanLine] = []
    for e in facts.ran {
      ranLines.append(
        RanLine(
          kind: e.type.rawValue, step: state.stepID(e.step ?? "", recordedAt: e.seq),
          command: masker.mask(e.text ?? ""), status: e.status,
          passed: e.passed, reason: e.reason.map(masker.mask), durationMs: e.durationMs,
          output: masker.mask(e.output ?? ""), by: e.operator, at: e.at))
    }
    ran = ranLines

    current = stepLines.first { $0.status == .pending || $0.status == .failed }
    exceptions = state.exceptions.map { e in
      Exception(
        kind: e.type.rawValue, step: state.stepID(e.step ?? "", recordedAt: e.seq),
        command: masker.mask(e.text ?? ""), reason: masker.mask(e.reason ?? "it failed"))
    }
    outcome = Outcome.of(
      completed: state.completed != nil, exceptions: !exceptions.isEmpty,
      stepFailed: stepLines.contains { $0.status == .failed },
      last: state.lastEvent?.type)
  }

  /// The checks whose latest run failed, with their output.
  public var failedChecks: [RanLine] {
    struct Key: Hashable {
      var step: String
      var command: String
    }
    var latest: [Key: Int] = [:]  // index in `ran` of each check's latest run
    var order: [Key] = []
    for (index, line) in ran.enumerated() where line.kind == "check" {
      let key = Key(step: line.step, command: line.command)
      if latest.updateValue(index, forKey: key) == nil { order.append(key) }
    }
    return order.compactMap { latest[$0] }.map { ran[$0] }.filter { $0.passed == false }
  }
}
