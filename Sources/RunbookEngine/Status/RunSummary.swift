import Foundation
import RunbookCore

/// Who did what, when, what is left and why something failed: the facts `runbook status` and
/// the completion report show, derived from a journal (and the runbook, when it can be found).
public struct RunSummary: Sendable {
  public enum Outcome: String, Sendable, Codable {
    case completed, partial, failed, interrupted
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
  }

  /// Reading pages of the runbook and how many were read (acknowledged).
  public struct PageCount: Sendable, Codable, Equatable {
    public var read: Int
    public var total: Int
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
  public var notes: [RunState.NoteRecord]
  public var current: StepLine?
  public var missingInputs: [String]
  public var warnings: [String]
  /// Hides the values of every input the journal or the runbook calls secret; everything above
  /// is already masked with it.
  public let masker: SecretMasker
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

  /// Builds the summary. `runbook` is the current guide if it could be read; without it the
  /// journal's own list of steps is used.
  public init(
    statePath: String, header: JournalHeader, events: [Event], warnings: [String], runbook: Runbook?,
    currentSHA256: String?, holder: LockInfo? = nil
  ) {
    self.holder = holder
    let state = RunState(header: header, events: events)
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

    let stepList: [(number: String, id: String, title: String)] =
      runbook?.allSteps.map { ($0.number, $0.id, $0.title) } ?? header.steps.map { ("", $0.id, $0.id) }
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
      inputLines.append(
        InputLine(
          id: input.id, label: input.label, value: value.map(masker.mask), secret: input.secret,
          derived: input.isDerived, by: record?.by))
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
    for index in events.indices where events[index].type == .check || events[index].type == .command {
      let e = events[index]
      ranLines.append(
        RanLine(
          kind: e.type.rawValue, step: state.stepID(e.step ?? "", recordedAt: e.seq), command: masker.mask(e.text ?? ""), status: e.status,
          passed: e.passed, reason: e.reason.map(masker.mask), durationMs: e.durationMs,
          output: masker.mask(e.output ?? ""), by: e.operator, at: e.at))
    }
    ran = ranLines

    current = stepLines.first { $0.status == .pending || $0.status == .failed }
    if state.completed != nil {
      outcome = .completed
    } else if stepLines.contains(where: { $0.status == .failed }) || events.last?.type == .failed {
      outcome = .failed
    } else if events.last?.type == .interrupted {
      outcome = .interrupted
    } else {
      outcome = .partial
    }
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
