import Foundation
import RunbookCore
import RunbookMarkdown

/// The session engine: it walks a runbook step by step, says what comes next (``next()``),
/// takes answers (``answer(_:)``) and records every answer in the event log before it moves on.
/// It knows nothing about terminals; clock, process runner and log are injected.
public final class Session {
  public let runbook: Runbook
  public let log: EventLog
  public private(set) var state: RunState
  public let operatorName: String

  /// Values given for inputs, secrets included (secrets live only here, never in the log).
  public private(set) var values: [String: String] = [:]
  /// Values supplied ahead of time (`--set`, `--answers`, environment), used when asked.
  public var provided: [String: String] = [:]

  /// Receives command and check output as it streams (already masked).
  public var output: @Sendable (String) -> Void = { _ in }
  /// Asked while a command runs; true stops it (the terminal sets this on Ctrl-C).
  public var shouldCancel: (@Sendable () -> Bool)?

  private let clock: WallClock
  private let runner: ProcessRunner
  private let order: [Step]
  private let indexByID: [String: Int]
  private var cursor: Int?
  private var problems: [String: String] = [:]
  private var failedCheck: (step: String, index: Int, outcome: CheckRunner.Outcome)?
  public private(set) var ended = false

  public init(
    runbook: Runbook, log: EventLog, operator operatorName: String, clock: WallClock, runner: ProcessRunner
  ) {
    self.runbook = runbook
    self.log = log
    self.operatorName = operatorName
    self.clock = clock
    self.runner = runner
    order = runbook.allSteps
    var index: [String: Int] = [:]
    for (i, step) in order.enumerated() where index[step.id] == nil { index[step.id] = i }
    indexByID = index
    state = RunState(header: log.header, events: log.events)
    for (id, record) in state.inputs {
      if let value = record.value { values[id] = value }
    }
  }

  // MARK: - Starting and resuming

  /// What changed since the state was written, found when a session resumes.
  public struct Resumption: Sendable, Equatable {
    public var reopened: [String] = []
    public var removed: [String] = []
    public var invalidInputs: [String: String] = [:]
    public var runbookChanged = false

    public init() {}
  }

  /// Records the start of a session: `started` for a new state, else `resumed` with the
  /// reconciliation of an edited runbook (changed steps reopened, removed steps listed,
  /// stored inputs validated again).
  @discardableResult
  public func begin(host: String, pid: Int, sha256: String) throws(StoreError) -> Resumption {
    var resumption = Resumption()
    if log.events.isEmpty {
      var e = event(.started)
      e.host = host
      e.pid = pid
      try record(e)
      try markStarted()
      return resumption
    }
    var e = event(.resumed)
    e.host = host
    e.pid = pid
    try record(e)
    let current = Dictionary(order.map { ($0.id, StepFingerprint.of($0)) }, uniquingKeysWith: { a, _ in a })
    for (id, record) in state.steps.sorted(by: { $0.key < $1.key }) where record.status != .pending {
      guard let fingerprint = current[id] else {
        resumption.removed.append(id)
        continue
      }
      if let old = record.fingerprint, old != fingerprint, record.status == .done || record.status == .skipped
      {
        resumption.reopened.append(id)
      }
    }
    resumption.reopened.sort { (indexByID[$0] ?? 0) < (indexByID[$1] ?? 0) }
    for id in resumption.reopened {
      var reopen = event(.stepReopened)
      reopen.step = id
      reopen.reason = "the step changed in the runbook since it was finished"
      try record(reopen)
    }
    if sha256 != state.runbookSHA256 {
      resumption.runbookChanged = true
      var changed = event(.runbookChanged)
      changed.sha256 = sha256
      changed.steps = resumption.reopened
      changed.text =
        "reopened: \(resumption.reopened.joined(separator: ", ")); removed: \(resumption.removed.joined(separator: ", "))"
      try record(changed)
    }
    try markStarted()
    let validator = InputValidator()
    for input in runbook.inputs where !input.isDerived {
      guard let value = values[input.id] else { continue }
      if case .invalid(let why) = validator.validate(value, for: input) {
        values[input.id] = nil
        resumption.invalidInputs[input.id] = why
      }
    }
    return resumption
  }

  /// Moves the session to a step (`--from`), recorded as an event.
  public func move(to reference: String) throws(SessionError) {
    guard let index = indexByID[reference] ?? order.firstIndex(where: { $0.number == reference }) else {
      throw SessionError("no step \(reference); `runbook show` lists the step numbers and ids")
    }
    var e = event(.movedTo)
    e.step = order[index].id
    try recordOrFail(e)
    cursor = index
    try startCurrentStep()
  }

  // MARK: - What comes next

  /// The step the session is at, if any.
  public var currentStep: Step? {
    guard let index = currentIndex else { return nil }
    return order[index]
  }

  /// 1-based position of the current step among all steps.
  public var position: (index: Int, total: Int)? {
    currentIndex.map { ($0 + 1, order.count) }
  }

  private var currentIndex: Int? {
    if let cursor { return cursor }
    return order.firstIndex { !state.isFinished($0.id) }
  }

  /// What the session needs next. Asking has no effect: call ``applyProvided()`` first so that
  /// values given ahead of time are used instead of asked for.
  public func next() -> Prompt {
    let preconditions = runbook.preconditions
    if let missing = preconditions.indices.first(where: { !state.acknowledged.contains($0) }) {
      return .precondition(preconditions[missing], index: missing, count: preconditions.count)
    }
    if let input = startInputs.first(where: { values[$0.id] == nil }) {
      return .input(input, step: nil, problem: problems[input.id])
    }
    guard let index = currentIndex else { return .finished }
    let step = order[index]
    if let input = neededInputs(step).first(where: { values[$0.id] == nil }) {
      return .input(input, step: step, problem: problems[input.id])
    }
    let record = state.steps[step.id] ?? RunState.StepRecord()
    let current = currentValues
    for (t, table) in step.tables.enumerated() {
      for (r, row) in table.rows.enumerated() where !record.confirmedRows.contains("\(t):\(r)") {
        return .confirmRow(
          step: step, table: t, row: r, header: table.header.map(\.cellText),
          cells: row.map { Self.fill($0.cellText, current, runbook.inputs) })
      }
    }
    let blocks = step.codeBlocks
    for (i, code) in blocks.enumerated() where code.isCommand && record.commands[i] == nil {
      return .command(step: step, index: i, PreparedCommand(code, values: current, inputs: runbook.inputs))
    }
    if let failed = failedCheck, failed.step == step.id {
      return .checkFailed(step: step, index: failed.index, failed.outcome)
    }
    for (i, code) in blocks.enumerated() where code.isCheck && record.checks[i]?.passed != true {
      return .check(step: step, index: i, PreparedCommand(code, values: current, inputs: runbook.inputs))
    }
    return .finishStep(step)
  }

  /// Uses the values given ahead of time (``provided``) for the inputs the session asks for now,
  /// recording each valid one as an answer; a refused value is dropped and its problem comes with
  /// the prompt. Returns true when it used or refused anything.
  @discardableResult
  public func applyProvided() throws(SessionError) -> Bool {
    var changed = false
    while case .input(let input, let step, _) = next(), let given = provided.removeValue(forKey: input.id) {
      changed = true
      switch InputValidator().validate(given, for: input) {
      case .valid(let value): try setInput(input, value, step: step)
      case .invalid(let why): problems[input.id] = why
      }
    }
    return changed
  }

  /// Inputs no step needs (neither used, asked nor read from the environment by a step's
  /// commands): asked at the start. Computed once: it depends only on the runbook, and `next()`
  /// reads it on every call (it was most of the time of an answer with many steps).
  public private(set) lazy var startInputs: [Input] = {
    let neededByAStep = Set(order.flatMap { neededInputs($0).map(\.id) })
    return runbook.inputs.filter { !$0.isDerived && !neededByAStep.contains($0.id) }
  }()

  /// The inputs a step needs before it can be shown: those asked there (`ask`, or first used
  /// there), and any its text, commands or checks use that have no value yet (a secret after a
  /// resume, say), through derived inputs to the inputs they are made of.
  public func neededInputs(_ step: Step) -> [Input] {
    var ids: [String] = []
    func add(_ id: String) {
      guard let input = runbook.input(id) else { return }
      if input.isDerived {
        DerivedValues.references(input).forEach(add)
      } else if !ids.contains(id) {
        ids.append(id)
      }
    }
    for input in runbook.inputs {
      if input.ask == step.id || input.ask == step.number
        || (input.ask == nil && input.firstUsedIn == step.id)
      {
        add(input.id)
      }
    }
    for id in step.usedPlaceholders { add(id) }
    let commands = step.codeBlocks.filter { $0.isCheck || $0.isCommand }.map(\.text).joined(separator: "\n")
    for input in runbook.inputs where commands.contains(input.environmentName) { add(input.id) }
    return ids.compactMap { runbook.input($0) }
  }

  /// Current values with derived values computed.
  public var currentValues: [String: String] {
    values.merging(DerivedValues(runbook).evaluate(values)) { a, _ in a }
  }

  /// Values to show: secrets masked.
  public var displayValues: [String: String] {
    var shown = currentValues
    for input in runbook.inputs where input.secret && shown[input.id] != nil {
      shown[input.id] = SecretMasker.mask
    }
    return shown
  }

  static func fill(_ text: String, _ values: [String: String], _ inputs: [Input]) -> String {
    let secrets = Set(inputs.filter(\.secret).map(\.id))
    return Placeholder.substitute(text) { secrets.contains($0.id) ? nil : values[$0.id] }
  }

  // MARK: - Answers

  /// Takes an answer to the current prompt (after using any ``provided`` values) and records
  /// what it means. Returns nil, or a message for the admin (why a value was refused, say).
  @discardableResult
  public func answer(_ answer: Answer) throws(SessionError) -> String? {
    try applyProvided()
    let message = try respond(to: next(), with: answer)
    if message == nil, !ended, case .finished = next(), state.completed == nil {
      try complete()
    }
    return message
  }

  private func respond(to prompt: Prompt, with answer: Answer) throws(SessionError) -> String? {
    switch (prompt, answer) {
    case (_, .quit):
      try recordOrFail(event(.paused))
      ended = true
    case (.precondition(_, let index, _), .acknowledge):
      var e = event(.preconditionAcknowledged)
      e.index = index
      try recordOrFail(e)
    case (.input(let input, let step, _), .value(let raw)):
      return try give(raw, for: input, at: step)
    case (.confirmRow(let step, let table, let row, _, _), .confirm):
      try confirm(step, table: table, rows: [row])
    case (.confirmRow(let step, let table, let row, _, _), .confirmAll):
      try confirm(step, table: table, rows: Array(row..<step.tables[table].rows.count))
    case (.command(let step, let index, let command), .run):
      let outcome = try run(command, as: .command, step: step, index: index)
      return outcome.passed ? nil : "The command failed: \(outcome.reason ?? "")"
    case (.command(let step, let index, let command), .skipCommand):
      var e = event(.command)
      e.step = step.id
      e.index = index
      e.text = command.display
      e.reason = "not run"
      try recordOrFail(e)
    case (.check(let step, let index, _), .run), (.checkFailed(let step, let index, _), .retry):
      let prepared = PreparedCommand(step.codeBlocks[index], values: currentValues, inputs: runbook.inputs)
      let outcome = try run(prepared, as: .check, step: step, index: index)
      failedCheck = outcome.passed ? nil : (step.id, index, outcome)
      return outcome.passed ? nil : "The check failed: \(outcome.reason ?? "")"
    case (.finishStep(let step), .done):
      try finish(step)
    case (.finishStep(let step), .skip(let reason)), (.checkFailed(let step, _, _), .skip(let reason)),
      (.command(let step, _, _), .skip(let reason)), (.confirmRow(let step, _, _, _, _), .skip(let reason)),
      (.check(let step, _, _), .skip(let reason)):
      return try skip(step, because: reason)
    case (_, .back):
      guard let index = currentIndex, index > 0 else { return "This is the first step." }
      cursor = index - 1
      failedCheck = nil
      try startCurrentStep()
    case (_, .note(let text)):
      return try addNote(text)
    case (.finished, _):
      try complete()
    default:
      throw SessionError("that answer does not fit the current question")
    }
    return nil
  }

  private func give(_ raw: String, for input: Input, at step: Step?) throws(SessionError) -> String? {
    switch InputValidator().validate(raw, for: input) {
    case .valid(let value):
      try setInput(input, value, step: step)
      problems[input.id] = nil
      return nil
    case .invalid(let why):
      problems[input.id] = why
      return why
    }
  }

  private func finish(_ step: Step) throws(SessionError) {
    var e = event(.stepDone)
    e.step = step.id
    e.fingerprint = StepFingerprint.of(step)
    e.durationMs = state.steps[step.id]?.startedAt.map { Int(clock.now().timeIntervalSince($0) * 1000) }
    try recordOrFail(e)
    try advance(from: step)
  }

  private func skip(_ step: Step, because reason: String) throws(SessionError) -> String? {
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      return "Say why the step is skipped, so whoever reads the report knows."
    }
    var e = event(.stepSkipped)
    e.step = step.id
    e.reason = reason
    e.fingerprint = StepFingerprint.of(step)
    try recordOrFail(e)
    failedCheck = nil
    try advance(from: step)
    return nil
  }

  private func addNote(_ text: String) throws(SessionError) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return "The note is empty." }
    var e = event(.note)
    e.step = currentStep?.id
    e.text = SecretMasker(secrets: secretValues).mask(trimmed)
    try recordOrFail(e)
    return nil
  }

  private func complete() throws(SessionError) {
    guard state.completed == nil else { return }
    try recordOrFail(event(.completed))
    ended = true
  }

  /// After a step is finished, go to the next unfinished step after it (so `--from` and
  /// `back` continue forward), wrapping to the first unfinished one.
  private func advance(from step: Step) throws(SessionError) {
    guard let index = indexByID[step.id] else { return }
    cursor = order.indices.first { $0 > index && !state.isFinished(order[$0].id) }
    try startCurrentStep()
  }

  /// Records when the admin first reaches a step, for the time it took.
  private func markStarted() throws(StoreError) {
    if let next = currentStep, state.steps[next.id]?.startedAt == nil {
      var e = event(.stepStarted)
      e.step = next.id
      try record(e)
    }
  }

  private func startCurrentStep() throws(SessionError) {
    do {
      try markStarted()
    } catch {
      throw SessionError(error.description, journal: error)
    }
  }

  private func confirm(_ step: Step, table: Int, rows: [Int]) throws(SessionError) {
    for row in rows where state.steps[step.id]?.confirmedRows.contains("\(table):\(row)") != true {
      var e = event(.rowConfirmed)
      e.step = step.id
      e.table = table
      e.index = row
      try recordOrFail(e)
    }
  }

  private func setInput(_ input: Input, _ value: String, step: Step?) throws(SessionError) {
    var e = event(.input)
    e.input = input.id
    e.step = step?.id
    if input.secret {
      e.secret = true
    } else {
      e.value = value
    }
    try recordOrFail(e)
    values[input.id] = value
  }

  private var secretValues: [String] {
    runbook.inputs.filter(\.secret).compactMap { values[$0.id] }
  }

  private func execute(_ command: PreparedCommand) -> CheckRunner.Outcome {
    CheckRunner(runner: runner, clock: clock, secrets: secretValues, shouldCancel: shouldCancel)
      .run(command, output: output)
  }

  /// Runs a command or check and records what happened: masked text, status, output tail.
  private func run(_ command: PreparedCommand, as type: EventType, step: Step, index: Int)
    throws(SessionError)
    -> CheckRunner.Outcome
  {
    let outcome = execute(command)
    var e = event(type)
    e.step = step.id
    e.index = index
    e.text = command.display
    e.status = outcome.result.status.map(Int.init)
    e.passed = outcome.passed
    e.reason = outcome.reason
    e.output = Self.tail(outcome.result.outputTail)
    e.durationMs = Int(outcome.result.duration * 1000)
    try recordOrFail(e)
    return outcome
  }

  /// The last lines of output kept in the journal.
  static func tail(_ text: String, lines: Int = 40, bytes: Int = 8 * 1024) -> String {
    var kept = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1).joined(
      separator: "\n")
    if kept.utf8.count > bytes { kept = String(decoding: kept.utf8.suffix(bytes), as: UTF8.self) }
    return kept
  }

  // MARK: - Events

  private func event(_ type: EventType) -> Event {
    Event(type: type, at: clock.now(), operator: operatorName)
  }

  private func record(_ event: Event) throws(StoreError) {
    let stored = try log.append(event)
    state.apply(stored)
  }

  private func recordOrFail(_ event: Event) throws(SessionError) {
    do {
      try record(event)
    } catch {
      throw SessionError(error.description, journal: error)
    }
  }
}

/// Why the session could not go on: one sentence for the admin.
public struct SessionError: Error, CustomStringConvertible, Sendable {
  public var description: String
  /// Set when the state file could not be written.
  public var journal: StoreError?

  public init(_ description: String, journal: StoreError? = nil) {
    self.description = description
    self.journal = journal
  }
}

extension Step {
  /// Ids of every placeholder in the step's own title, body, tables and code.
  public var usedPlaceholders: [String] {
    var ids: [String] = []
    func scan(_ inlines: [Inline]) {
      for inline in inlines {
        if case .code(let text, _) = inline {
          ids += Placeholder.scan(text).map(\.id)
        } else {
          scan(inline.children)
        }
      }
    }
    scan(titleInlines)
    func walk(_ content: [Content]) {
      for item in content {
        switch item {
        case .paragraph(let i, _), .heading(_, let i, _): scan(i)
        case .list(let l): l.items.forEach(walk)
        case .quote(let c, _): walk(c)
        case .note(let n): walk(n.content)
        case .tabs(let a, _): for alternative in a { walk(alternative.content) }
        case .table(let t): (t.header + t.rows.flatMap { $0 }).forEach(scan)
        case .code(let c): ids += Placeholder.scan(c.text).map(\.id)
        case .html, .rule: break
        }
      }
    }
    walk(body)
    return ids
  }
}
