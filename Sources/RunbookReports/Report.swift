import Foundation
import RunbookCore
import RunbookEngine

/// A run's completion report (or, for a run that is not finished, its handoff summary): the
/// facts of ``RunSummary`` plus the runbook's tables with the values filled in, what is left,
/// the resume command and the journal's tamper evidence.
///
/// Every string is already safe to print: terminal escape sequences and other control
/// characters are shown inert (`ESC` as `^[`), by ``Sanitizer/terminal(_:keepNewlines:)``.
/// Secret values are never known here: the journal records only that a secret was given, and
/// placeholders of secret inputs stay `<name>`.
public struct Report: Sendable {
  /// The `format` of the JSON document.
  public static let formatName = "runbook-report"
  /// The JSON schema version (docs/report.md); raised when a key changes meaning or goes away.
  public static let schemaVersion = 1
  /// How many of the last lines of a command's output the report shows.
  public static let outputLines = 20

  /// The guide the run followed.
  public struct RunbookInfo: Sendable, Equatable {
    public var id: String
    /// The path recorded in the state file.
    public var path: String
    /// Lowercase hex SHA-256 of the guide the run followed (last).
    public var sha256: String
    /// The SHA-256 of the guide the report was built with; nil when it was not found.
    public var currentSHA256: String?
    /// False when the report is built from the state file alone.
    public var found: Bool
    /// True when the guide found differs from the version the run followed.
    public var changed: Bool
  }

  /// A step: number, title, status, who finished it, when, how long it took, why it was
  /// skipped or failed, and its notes.
  public struct StepEntry: Sendable, Equatable {
    /// As a reader sees it (`3`, `5.a`); empty when the report is built from the journal alone.
    public var number: String
    public var id: String
    /// The step's first paragraph, without a final colon; empty when the report is built from
    /// the journal alone.
    public var title: String
    /// `done`, `skipped`, `failed` or `pending`.
    public var status: String
    public var by: String?
    public var at: Date?
    public var durationMs: Int?
    public var reason: String?
    public var notes: [String]
  }

  /// An input and its value as the report shows it.
  public struct InputEntry: Sendable, Equatable {
    public var id: String
    public var label: String
    /// The value; `provided (secret)` for a secret that was given; nil when not given yet.
    public var value: String?
    public var secret: Bool
    public var derived: Bool
    public var provided: Bool
    public var by: String?
    /// Earlier answers when it was changed, oldest first.
    public var earlier: [EarlierAnswer]
  }

  /// An answer that a later one replaced: its value (nil for a secret), who gave it and when.
  public struct EarlierAnswer: Sendable, Equatable {
    public var value: String?
    public var by: String
    public var at: Date
  }

  /// Where something sits in the runbook: a step, or a section's text outside steps.
  public struct StepRef: Sendable, Equatable {
    public var number: String
    public var id: String
    public var title: String
  }

  /// A table of the runbook, every cell with the (non-secret) values filled in.
  public struct TableEntry: Sendable, Equatable {
    /// A heading for the table: `Step 3: Configure Appsmith`, a section title, or
    /// `Before you start`.
    public var location: String
    public var step: StepRef?
    public var section: String?
    public var header: [String]
    /// Every row has as many cells as the header.
    public var rows: [[String]]
  }

  /// A check or command that ran (or was passed over), as recorded: its text with values
  /// substituted and secrets masked by the session.
  public struct RanEntry: Sendable, Equatable {
    /// `check` or `command`.
    public var kind: String
    public var step: StepRef
    public var command: String
    public var exitStatus: Int?
    public var passed: Bool?
    /// `passed`, `failed` or `not run`.
    public var result: String
    public var reason: String?
    public var durationMs: Int?
    /// The last ``Report/outputLines`` lines of output.
    public var output: String
    /// Lines of the recorded output left out before ``output``.
    public var omittedLines: Int
    public var by: String
    public var at: Date
  }

  public struct NoteEntry: Sendable, Equatable {
    public var step: StepRef?
    public var text: String
    public var by: String
    public var at: Date
  }

  public struct InputRef: Sendable, Equatable {
    public var id: String
    public var label: String
  }

  /// For a run that is not finished: what is left, and how to go on.
  public struct Remaining: Sendable, Equatable {
    /// Steps still pending or failed, in order.
    public var steps: [StepEntry]
    public var missingInputs: [InputRef]
    /// Checks whose latest run failed.
    public var failedChecks: [RanEntry]
    /// `runbook resume <state path>`.
    public var resumeCommand: String
  }

  /// The hash chain of the state file.
  public struct Integrity: Sendable, Equatable {
    /// SHA-256 of the journal's last line; nil when the file could not be checked.
    public var chainHead: String?
    public var verified: Bool
    public var events: Int
    public var problem: String?
    public var warnings: [String]
  }

  public struct Progress: Sendable, Equatable {
    public var done, skipped, failed, pending, total, percent: Int
    /// Reading pages read, and in all (0 without the runbook).
    public var pagesRead = 0
    public var pages = 0
  }

  public var title: String
  public var statePath: String
  public var runbook: RunbookInfo
  public var outcome: RunSummary.Outcome
  public var started: Date?
  /// When the run completed; nil for a run that is not finished.
  public var finished: Date?
  public var lastActivity: Date?
  /// From the start to the end (or, for a run not finished, to the last activity), pauses
  /// included.
  public var durationMs: Int?
  /// Everyone who took part, in order of first appearance.
  public var operators: [String]
  public var progress: Progress
  public var steps: [StepEntry]
  public var inputs: [InputEntry]
  public var tables: [TableEntry]
  public var ran: [RanEntry]
  /// Failed commands and checks a completed run went on past (its outcome is then
  /// "completed with exceptions"), each once: one line each.
  public var exceptions: [String] = []
  public var notes: [NoteEntry]
  /// Nil when the run completed.
  public var remaining: Remaining?
  public var integrity: Integrity
  public var warnings: [String]
  /// The run in time: sessions, and the time spent on each step (its names already cleaned).
  public var timeline: Timeline

  /// True when the runbook was not found and the report is built from the state file alone.
  public var journalOnly: Bool { !runbook.found }

  /// Builds the report of the state file at `statePath`. `runbook` is the guide as it is now
  /// (nil when it cannot be found) and `guideSHA256` the SHA-256 of its bytes.
  public init(
    statePath: String, contents: JournalContents, verification: VerifyResult, runbook guide: Runbook?,
    guideSHA256: String?
  ) {
    var facts = RunSummary.Facts()
    for index in contents.events.indices { facts.add(contents.events[index]) }
    self.init(
      statePath: statePath, header: contents.header, facts: facts, warnings: contents.warnings,
      verification: verification, runbook: guide, guideSHA256: guideSHA256)
  }

  /// Builds the report from the facts of a journal read event by event
  /// (``RunStore/read(_:each:)``), without holding its events.
  public init(
    statePath: String, header: JournalHeader, facts: RunSummary.Facts, warnings: [String],
    verification: VerifyResult, runbook guide: Runbook?, guideSHA256: String?
  ) {
    let summary = RunSummary(
      statePath: statePath, header: header, facts: facts, warnings: warnings,
      runbook: guide, currentSHA256: guide == nil ? nil : guideSHA256)
    // Values: never a secret's (RunSummary's masker knows which), wherever they appear.
    let state = facts.state
    let masker = summary.masker
    let secretIDs = Set(summary.inputs.filter(\.secret).map(\.id))
      .union(state.inputs.filter { $0.value.secret }.map(\.key))
    let line = { (text: String) in Sanitizer.terminal(masker.mask(text), keepNewlines: false) }
    let block = { (text: String) in Sanitizer.terminal(masker.mask(text), keepNewlines: true) }

    title = line(summary.title)
    self.statePath = line(statePath)
    runbook = RunbookInfo(
      id: line(header.runbook.id), path: line(summary.runbookPath), sha256: line(summary.sha256),
      currentSHA256: guide == nil ? nil : guideSHA256.map(line), found: guide != nil,
      changed: guide != nil && summary.runbookChanged == true)
    outcome = summary.outcome
    started = summary.started
    finished =
      summary.outcome == .completed || summary.outcome == .completedWithExceptions ? summary.finished : nil
    lastActivity = summary.lastActivity
    if let started = summary.started, let end = finished ?? summary.lastActivity {
      durationMs = max(0, Int((end.timeIntervalSince(started) * 1000).rounded()))
    }
    operators = summary.operators.map(line)
    let counts = summary.counts
    progress = Progress(
      done: counts.done, skipped: counts.skipped, failed: counts.failed, pending: counts.pending,
      total: counts.total, percent: summary.percent, pagesRead: summary.pages?.read ?? 0,
      pages: summary.pages?.total ?? 0)

    steps = summary.steps.map { step in
      StepEntry(
        number: line(step.number), id: line(step.id),
        title: guide == nil ? "" : Self.stepTitle(line(step.title)),
        status: step.status.rawValue,
        by: step.by.map(line), at: step.at, durationMs: step.durationMs, reason: step.reason.map(line),
        notes: step.notes.map(block))
    }
    let stepRefs = Dictionary(
      steps.map { ($0.id, StepRef(number: $0.number, id: $0.id, title: $0.title)) },
      uniquingKeysWith: { first, _ in first })
    func ref(_ id: String) -> StepRef {
      stepRefs[line(id)] ?? StepRef(number: "", id: line(id), title: "")
    }

    var known: [String: String] = [:]
    for (id, record) in state.inputs where !secretIDs.contains(id) {
      if let value = record.value { known[id] = value }
    }
    let derived =
      guide.map { DerivedValues($0).evaluate(known).filter { !secretIDs.contains($0.key) } } ?? [:]
    let values = known.merging(derived) { given, _ in given }

    inputs = summary.inputs.map { input in
      let secret = input.secret || secretIDs.contains(input.id)
      let value: String?
      if secret {
        value = state.inputs[input.id] != nil ? "provided (secret)" : nil
      } else if input.derived {
        value = derived[input.id]
      } else {
        value = input.value
      }
      return InputEntry(
        id: line(input.id), label: line(input.label), value: value.map(line), secret: secret,
        derived: input.derived, provided: value != nil, by: input.by.map(line),
        earlier: input.earlier.map {
          EarlierAnswer(value: secret ? nil : $0.value.map(line), by: line($0.by), at: $0.at)
        })
    }

    tables = guide.map { Self.tables(of: $0, values: values, secrets: secretIDs, clean: block) } ?? []

    func ranEntry(_ ran: RunSummary.RanLine) -> RanEntry {
      let all = block(ran.output).split(separator: "\n", omittingEmptySubsequences: false)
      var lines = Array(all)
      while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
      let kept = lines.suffix(Self.outputLines)
      let result: String
      switch (ran.passed, ran.status) {
      case (true?, _), (nil, 0?): result = "passed"
      case (false?, _), (nil, _?): result = "failed"
      case (nil, nil): result = "not run"
      }
      return RanEntry(
        kind: ran.kind, step: ref(ran.step), command: block(ran.command), exitStatus: ran.status,
        passed: ran.passed, result: result, reason: ran.reason.map(line), durationMs: ran.durationMs,
        output: kept.joined(separator: "\n"), omittedLines: lines.count - kept.count, by: line(ran.by),
        at: ran.at)
    }
    ran = summary.ran.map(ranEntry)
    exceptions = summary.exceptions.map { line($0.line) }
    notes = summary.notes.map { note in
      NoteEntry(step: note.step.map(ref), text: block(note.text), by: line(note.by), at: note.at)
    }

    if summary.outcome == .completed || summary.outcome == .completedWithExceptions {
      remaining = nil
    } else {
      let labels = Dictionary(inputs.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
      remaining = Remaining(
        steps: steps.filter { $0.status == "pending" || $0.status == "failed" },
        missingInputs: summary.missingInputs.map {
          InputRef(id: line($0), label: labels[line($0)] ?? line($0))
        },
        failedChecks: summary.failedChecks.map(ranEntry),
        resumeCommand: "runbook resume " + ReportText.shellWord(line(statePath)))
    }

    integrity = Integrity(
      chainHead: verification.chainHead.map(line), verified: verification.ok, events: verification.events,
      problem: verification.problem.map(line), warnings: verification.warnings.map(line))
    self.warnings = summary.warnings.map(line)
    timeline = facts.timeline.timeline(
      steps: steps.map { (label: $0.number.isEmpty ? $0.id : $0.number, title: $0.title, id: $0.id) },
      state: summary.state)
    for index in timeline.sessions.indices {
      timeline.sessions[index].operatorName = line(timeline.sessions[index].operatorName)
      timeline.sessions[index].host = timeline.sessions[index].host.map(line)
    }
    timeline.operators = timeline.operators.map(line)
    // Time taken is time spent on the step in sessions, not the pauses between them.
    let spent = Dictionary(
      timeline.rows.map { row in (row.id, row.spans.reduce(0) { $0 + $1.end.timeIntervalSince($1.start) }) },
      uniquingKeysWith: { a, _ in a })
    for index in steps.indices where steps[index].durationMs != nil {
      if let seconds = spent[steps[index].id] { steps[index].durationMs = Int((seconds * 1000).rounded()) }
    }
    for index in timeline.rows.indices {
      timeline.rows[index].label = line(timeline.rows[index].label)
      for span in timeline.rows[index].spans.indices {
        timeline.rows[index].spans[span].operatorName = line(timeline.rows[index].spans[span].operatorName)
      }
      for mark in timeline.rows[index].marks.indices {
        timeline.rows[index].marks[mark].operatorName = line(timeline.rows[index].marks[mark].operatorName)
      }
    }
  }

  // MARK: - Tables

  /// Every table of the runbook in document order: the introduction, the preconditions, then
  /// each section's text and steps (sub-steps after their parent's body, before its closing).
  static func tables(
    of runbook: Runbook, values: [String: String], secrets: Set<String>, clean block: (String) -> String
  ) -> [TableEntry] {
    var out: [TableEntry] = []
    func fill(_ cellText: String) -> String {
      block(Placeholder.substitute(cellText) { secrets.contains($0.id) ? nil : values[$0.id] })
    }
    func add(_ content: [Content], location: String, step: StepRef?, section: String?) {
      for table in Self.tables(in: content) {
        let header = table.header.map { fill($0.cellText) }
        let rows = table.rows.map { row -> [String] in
          var cells = row.map { fill($0.cellText) }
          if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
          return Array(cells.prefix(max(header.count, 1)))
        }
        out.append(TableEntry(location: location, step: step, section: section, header: header, rows: rows))
      }
    }
    func clean(_ text: String) -> String { block(text).replacingOccurrences(of: "\n", with: " ") }
    add(runbook.intro, location: "Introduction", step: nil, section: nil)
    for note in runbook.preconditions {
      add(note.content, location: "Before you start", step: nil, section: nil)
    }
    func walk(_ step: Step, in section: String) {
      let ref = StepRef(
        number: clean(step.number), id: clean(step.id), title: stepTitle(clean(fill(step.title))))
      let location = "Step \(ref.number): \(ref.title)"
      add(step.content, location: location, step: ref, section: section)
      for sub in step.steps { walk(sub, in: section) }
      add(step.closing, location: location, step: ref, section: section)
    }
    func walk(_ section: Section) {
      let title = clean(section.title)
      let location = title.isEmpty ? clean(runbook.title) : title
      add(section.intro, location: location, step: nil, section: title)
      for step in section.steps { walk(step, in: title) }
      add(section.closing, location: location, step: nil, section: title)
      for sub in section.sections { walk(sub) }
    }
    for section in runbook.sections { walk(section) }
    return out
  }

  /// A step's title for a table or heading: without the colon that introduces its body.
  static func stepTitle(_ title: String) -> String {
    var text = title.trimmingCharacters(in: .whitespaces)
    if text.hasSuffix(":") { text.removeLast() }
    return text.trimmingCharacters(in: .whitespaces)
  }

  /// Tables in content, searching lists, quotes, notes and tabs.
  static func tables(in content: [Content]) -> [Table] {
    var out: [Table] = []
    for item in content {
      switch item {
      case .table(let table): out.append(table)
      case .list(let list): out += list.items.flatMap { tables(in: $0) }
      case .quote(let inner, _): out += tables(in: inner)
      case .note(let note): out += tables(in: note.content)
      case .tabs(let alternatives, _): out += alternatives.flatMap { tables(in: $0.content) }
      case .paragraph, .heading, .code, .html, .rule: break
      }
    }
    return out
  }
}
