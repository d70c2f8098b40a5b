import Foundation
import RunbookCore
import RunbookMarkdown

/// The session engine: it walks a runbook unit by unit (``units``: reading pages and steps, in
/// document order), says what comes next (``next()``), takes answers (``answer(_:)``) and records
/// every answer in the event log before it moves on. It knows nothing about terminals; clock,
/// process runner and log are injected.
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
  /// Told before each retry of a check or command that has retries: the attempt about to start
  /// (2 or more), how many there are in all, and the seconds waited before it.
  public var onAttempt: ((_ attempt: Int, _ of: Int, _ wait: TimeInterval) -> Void)?
  /// Asked while a command runs; true stops it (the terminal sets this on Ctrl-C).
  public var shouldCancel: (@Sendable () -> Bool)?

  private let clock: WallClock
  private let runner: ProcessRunner
  private let order: [Step]
  private let indexByID: [String: Int]
  /// What the run walks, in document order: reading pages and steps (``Runbook/walk``).
  public let units: [RunUnit]
  private let unitByStepID: [String: Int]
  /// Each sub-step's parent step, by the sub-step's id.
  private let parentByStepID: [String: Step]
  /// Where the admin is, in ``units``, when it is not simply the first open unit (after `back`
  /// or `--from`, and after finishing a unit).
  private var cursor: Int?
  private var problems: [String: String] = [:]
  private var failedCheck: (step: String, index: Int, outcome: CheckRunner.Outcome)?
  public private(set) var ended = false
  /// The `resumed` event of a session that opened a finished run, written only if it acts.
  private var deferredResume: Event?
  /// The run's shell: what one shell block sets is there for the next (in this process).
  public let shell = ShellSession()
  /// True when shell blocks not marked `{run}` are offered to run as commands too
  /// (``CodeBlock/isOfferedShellBlock``): guided runs, and unattended runs with
  /// `--run-shell-blocks`. False: only `{run}` blocks are commands.
  public var offersShellBlocks = false { didSet { stepInputsByID = [:] } }
  /// ``stepInputs(_:)`` by step id: it depends only on the runbook and ``offersShellBlocks``, and
  /// every prompt asks for it (scanning a step's text for placeholders each time was a quarter of
  /// an answer's work).
  private var stepInputsByID: [String: [Input]] = [:]

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
    units = runbook.walk
    var unitIndex: [String: Int] = [:]
    for (i, unit) in units.enumerated() {
      if let step = unit.step, unitIndex[step.id] == nil { unitIndex[step.id] = i }
    }
    unitByStepID = unitIndex
    var parents: [String: Step] = [:]
    for step in order {
      for sub in step.steps where parents[sub.id] == nil { parents[sub.id] = step }
    }
    parentByStepID = parents
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
    // Opening a finished run of the same guide only reads it, so the reader is not an operator:
    // `resumed` is written with the first thing this session records, if it records anything.
    if state.completed != nil, sha256 == state.runbookSHA256 {
      deferredResume = e
      return resumption
    }
    try record(e)
    if sha256 != state.runbookSHA256 {
      resumption.runbookChanged = true
      let moved = movedSteps()
      var after = state
      after.move(moved, at: Int.max)
      (resumption.reopened, resumption.removed) = changedSteps(after)
      var changed = event(.runbookChanged)
      changed.sha256 = sha256
      changed.steps = resumption.reopened
      changed.moved = moved.isEmpty ? nil : moved
      changed.text =
        "reopened: \(resumption.reopened.joined(separator: ", ")); removed: \(resumption.removed.joined(separator: ", "))"
      try record(changed)
    } else {
      (resumption.reopened, resumption.removed) = changedSteps(state)
    }
    for id in resumption.reopened {
      var reopen = event(.stepReopened)
      reopen.step = id
      reopen.reason = "the step changed in the runbook since it was finished"
      try record(reopen)
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

  /// Finished steps whose content changed in the guide (to reopen), and steps with history
  /// that the guide no longer has, in document order.
  private func changedSteps(_ state: RunState) -> (reopened: [String], removed: [String]) {
    var reopened: [String] = []
    var removed: [String] = []
    for (id, record) in state.steps.sorted(by: { $0.key < $1.key }) where record.status != .pending {
      guard let index = indexByID[id] else {
        removed.append(id)
        continue
      }
      let step = order[index]
      let changed =
        record.content.map { $0 != StepFingerprint.content(of: step) }
        ?? record.fingerprint.map { $0 != StepFingerprint.of(step) } ?? false
      if changed, record.status == .done || record.status == .skipped { reopened.append(id) }
    }
    reopened.sort { (indexByID[$0] ?? 0) < (indexByID[$1] ?? 0) }
    return (reopened, removed)
  }

  /// Steps whose content now sits under another id (the guide renumbered them): old id to new id.
  private func movedSteps() -> [String: String] {
    state.moves(toward: order, header: log.header)
  }

  /// Moves the session to a step (`--from`), recorded as an event.
  public func move(to reference: String) throws(SessionError) {
    guard let index = indexByID[reference] ?? order.firstIndex(where: { $0.number == reference }) else {
      throw SessionError("no step \(reference); `runbook show` lists the step numbers and ids")
    }
    var e = event(.movedTo)
    e.step = order[index].id
    try recordOrFail(e)
    cursor = unitByStepID[order[index].id]
    try startCurrentStep()
  }

  // MARK: - What comes next

  /// The step the session is at, if it is at a step.
  public var currentStep: Step? { currentUnit?.step }

  /// The unit (reading page or step) the session is at, if any is left.
  public var currentUnit: RunUnit? { currentUnitIndex.map { units[$0] } }

  /// 1-based position of the current step among all steps.
  public var position: (index: Int, total: Int)? {
    currentStep.flatMap { indexByID[$0.id] }.map { ($0 + 1, order.count) }
  }

  /// The index in ``units`` of the unit the session is at: where `back` or `--from` put it,
  /// else the first unit neither finished nor ruled out by a condition.
  public var currentUnitIndex: Int? {
    if let cursor {
      if applies(units[cursor]) != false { return cursor }
      return units.indices.first { $0 > cursor && isOpen($0) } ?? units.indices.first(where: isOpen)
    }
    return units.indices.first(where: isOpen)
  }

  private var currentIndex: Int? { currentUnitIndex }

  private func isOpen(_ index: Int) -> Bool {
    !isFinished(units[index]) && applies(units[index]) != false
  }

  /// True when a unit is finished: a step done or skipped, a page read.
  public func isFinished(_ unit: RunUnit) -> Bool {
    switch unit.kind {
    case .step(let step): state.isFinished(step.id)
    case .page(let page): state.pagesRead.contains(page.id)
    }
  }

  /// Whether a unit applies given the values known now: false when a condition it depends on
  /// fails, nil while an input a condition reads has no value, true otherwise.
  public func applies(_ unit: RunUnit, values known: [String: String]? = nil) -> Bool? {
    let known = known ?? values
    var unknown = false
    for condition in unit.conditions {
      guard let value = known[condition.input] else {
        unknown = true
        continue
      }
      if !condition.holds(for: value) { return false }
    }
    return unknown ? nil : true
  }

  /// Why a unit does not apply (the first condition that fails, with the value given), or nil.
  public func notApplicableReason(_ unit: RunUnit) -> String? {
    for condition in unit.conditions {
      guard let value = values[condition.input], !condition.holds(for: value) else { continue }
      return "not applicable: \(condition.input) is \(value)"
    }
    return nil
  }

  /// Preconditions of the units up to `index` (those asked by the time it is reached) not
  /// acknowledged yet.
  private func pendingPreconditions(through index: Int) -> [Int] {
    units[...index].filter { applies($0) != false }.flatMap(\.preconditions)
      .filter { !state.acknowledged.contains($0) }
  }

  /// What the session needs next. Asking has no effect: call ``applyProvided()`` first so that
  /// values given ahead of time are used instead of asked for.
  public func next() -> Prompt {
    guard let index = currentIndex else { return .finished }
    let preconditions = runbook.preconditions
    if let missing = pendingPreconditions(through: index).first {
      return .precondition(preconditions[missing], index: missing, count: preconditions.count)
    }
    if let input = startInputs.first(where: { values[$0.id] == nil }) {
      return .input(input, step: nil, problem: problems[input.id])
    }
    let unit = units[index]
    if let input = neededInputs(unit).first(where: {
      values[$0.id] == nil && !awaitsCapture($0.id, in: unit.step)
    }) {
      return .input(input, step: unit.step, problem: problems[input.id])
    }
    guard let step = unit.step else { return .readPage(unit) }
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
    // A command is offered until it ran and passed or the admin chose not to run it: a failed
    // one is offered again (to retry, or to go on without it).
    for (i, code) in blocks.enumerated()
    where runs(code) && record.commands[i]?.passed != true
      && record.commands[i]?.reason != Self.notRun
    {
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
    if changed { try recordNotApplicable() }
    return changed
  }

  /// Inputs no unit needs (neither used, asked nor read from the environment by a step's
  /// commands, nor read by a condition): asked at the start. Computed once: it depends only on
  /// the runbook, and `next()` reads it on every call (it was most of the time of an answer
  /// with many steps).
  public private(set) lazy var startInputs: [Input] = {
    let neededByAUnit = Set(units.flatMap { neededInputs($0).map(\.id) })
    let captured = Set(order.flatMap { $0.codeBlocks.compactMap(\.captureInput) })
    return runbook.inputs.filter {
      !$0.isDerived && !neededByAUnit.contains($0.id) && !captured.contains($0.id)
    }
  }()

  /// The inputs a unit needs before it can be shown: those its conditions read (the choice
  /// between alternatives comes before the alternative), then, for a step, those of
  /// ``neededInputs(_:)-(Step)``.
  public func neededInputs(_ unit: RunUnit) -> [Input] {
    var ids: [String] = []
    for condition in unit.conditions where !ids.contains(condition.input) { ids.append(condition.input) }
    let own = unit.step.map(stepInputs) ?? []
    return ids.compactMap { id in runbook.input(id).flatMap { $0.isDerived ? nil : $0 } }
      + own.filter { !ids.contains($0.id) }
  }

  /// The inputs a step needs before it can be shown: those its conditions read, those asked
  /// there (`ask`, or first used there), and any its text, commands or checks use that have no
  /// value yet (a secret after a resume, say), through derived inputs to the inputs they are
  /// made of.
  public func neededInputs(_ step: Step) -> [Input] {
    guard let index = unitByStepID[step.id] else { return stepInputs(step) }
    return neededInputs(units[index])
  }

  private func stepInputs(_ step: Step) -> [Input] {
    if let known = stepInputsByID[step.id] { return known }
    let inputs = scanStepInputs(step)
    stepInputsByID[step.id] = inputs
    return inputs
  }

  private func scanStepInputs(_ step: Step) -> [Input] {
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
    let commands = step.codeBlocks.filter { $0.isCheck || runs($0) }.map(\.text).joined(separator: "\n")
    for input in runbook.inputs
    where commands.contains(input.environmentName)
      || (input.variable.map { commands.contains("$" + $0) || commands.contains("${" + $0) } ?? false)
    {
      add(input.id)
    }
    return ids.compactMap { runbook.input($0) }
  }

  /// True while a `{run capture=ID}` command of `step` that gives input `id` is still to run: the
  /// input is not asked there, the command gives it. Once the command was skipped (`not run`),
  /// the admin is asked for it.
  public func awaitsCapture(_ id: String, in step: Step?) -> Bool {
    guard let step else { return false }
    let record = state.steps[step.id]
    return step.codeBlocks.enumerated().contains { i, code in
      code.captureInput == id && record?.commands[i]?.reason != Self.notRun
    }
  }

  /// The inputs that `{run capture=ID}` commands of unfinished units will give, for the units
  /// that apply (or may apply) given `known` values: an unattended run does not need them
  /// beforehand.
  public func inputsToCapture(values known: [String: String]) -> Set<String> {
    var ids: Set<String> = []
    for unit in units where !isFinished(unit) && applies(unit, values: known) != false {
      for code in unit.step?.codeBlocks ?? [] { if let id = code.captureInput { ids.insert(id) } }
    }
    return ids
  }

  /// Current values with derived values computed.
  public var currentValues: [String: String] {
    values.merging(DerivedValues(runbook).evaluate(values)) { a, _ in a }
  }

  /// Values to show: secrets masked, also where another value holds one (a derived URL with a
  /// password in it, say).
  public var displayValues: [String: String] {
    let masker = SecretMasker(secrets: secretValues)
    var shown = currentValues.mapValues { masker.mask($0) }
    for input in runbook.inputs where input.secret && shown[input.id] != nil {
      shown[input.id] = SecretMasker.mask
    }
    return shown
  }

  static func fill(_ text: String, _ values: [String: String], _ inputs: [Input]) -> String {
    let secrets = Set(inputs.filter(\.secret).map(\.id))
    return Placeholder.substitute(text) { secrets.contains($0.id) ? nil : values[$0.id] }
  }

  /// True when a block of a step runs as a command in this session (``offersShellBlocks``).
  public func runs(_ code: CodeBlock) -> Bool { code.runs(offeringShellBlocks: offersShellBlocks) }

  /// The reason recorded for a command the admin chose not to run.
  static let notRun = "not run"

  // MARK: - Answers

  /// Takes an answer to the current prompt (after using any ``provided`` values) and records
  /// what it means. Returns nil, or a message for the admin (why a value was refused, say).
  @discardableResult
  public func answer(_ answer: Answer) throws(SessionError) -> String? {
    try applyProvided()
    let message = try respond(to: next(), with: answer)
    if !ended { try recordNotApplicable() }
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
      // A page whose preconditions are all acknowledged has been read.
      if let at = currentIndex, units[at].page != nil, !units[at].preconditions.isEmpty,
        units[at].preconditions.allSatisfy(state.acknowledged.contains), !isFinished(units[at])
      {
        try read(units[at], at: at)
      }
    case (.readPage(let unit), .acknowledge):
      guard let at = currentIndex else { break }
      try read(unit, at: at)
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
      e.reason = Self.notRun
      try recordOrFail(e)
    case (.check(let step, let index, _), .run), (.checkFailed(let step, let index, _), .retry):
      let prepared = PreparedCommand(step.codeBlocks[index], values: currentValues, inputs: runbook.inputs)
      let outcome = try run(prepared, as: .check, step: step, index: index)
      failedCheck = outcome.passed ? nil : (step.id, index, outcome)
      return outcome.passed ? nil : "The check failed: \(outcome.reason ?? "")"
    case (.finishStep(let step), .done) where firstOpenSubStep(of: step) != nil:
      // A parent step is finished after its sub-steps: go on to them first.
      cursor = firstOpenSubStep(of: step)
      try startCurrentStep()
    case (.finishStep(let step), .done):
      if let warning = finishWarning(step) { return warning + " Say why the step is done anyway." }
      try finish(step)
    case (.finishStep(let step), .doneDespite(let reason)):
      guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
        return "Say why the step is done anyway, so whoever reads the report knows."
      }
      try finish(step, reason: reason)
    case (.finishStep(let step), .skip(let reason)), (.checkFailed(let step, _, _), .skip(let reason)),
      (.command(let step, _, _), .skip(let reason)), (.confirmRow(let step, _, _, _, _), .skip(let reason)),
      (.check(let step, _, _), .skip(let reason)):
      return try skip(step, because: reason)
    case (_, .back):
      guard let index = currentIndex,
        let previous = units.indices.last(where: { $0 < index && applies(units[$0]) != false })
      else { return "This is the first step." }
      cursor = previous
      failedCheck = nil
      try startCurrentStep()
    case (_, .note(let text)):
      return try addNote(text)
    case (_, .change(let id, let value)):
      return try change(id, to: value)
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

  /// What a recheck found for one finished step.
  public struct Recheck: Sendable {
    public var step: Step
    /// The outcome of each of its checks, in order; the step is reopened when one failed.
    public var outcomes: [CheckRunner.Outcome]
    public var passed: Bool { outcomes.allSatisfy(\.passed) }
  }

  /// Runs the `{check}` blocks of every finished step again (support staff resuming a setup
  /// days later) and reopens each step whose check now fails, with the reason; the session then
  /// continues at the first of them. `each` is told about every step as it is rechecked.
  @discardableResult
  public func recheck(_ each: (Recheck) -> Void = { _ in }) throws(SessionError) -> [Recheck] {
    var results: [Recheck] = []
    for step in order where state.status(of: step.id) == .done && step.codeBlocks.contains(where: \.isCheck) {
      var result = Recheck(step: step, outcomes: [])
      for (index, code) in step.codeBlocks.enumerated() where code.isCheck {
        let prepared = PreparedCommand(code, values: currentValues, inputs: runbook.inputs)
        result.outcomes.append(try run(prepared, as: .check, step: step, index: index))
        if shouldCancel?() == true { break }
      }
      if let failed = result.outcomes.first(where: { !$0.passed }) {
        var reopen = event(.stepReopened)
        reopen.step = step.id
        reopen.reason = "its check failed on recheck: \(failed.reason ?? "it failed")"
        try recordOrFail(reopen)
      }
      results.append(result)
      each(result)
      if shouldCancel?() == true { break }
    }
    if results.contains(where: { !$0.passed }) {
      cursor = nil
      try startCurrentStep()
    }
    return results
  }

  /// Why finishing the step needs a reason: one of its commands failed and did not pass since
  /// (commands marked `allow-failure` excepted). Nil when it can simply be done.
  public func finishWarning(_ step: Step) -> String? {
    guard let record = state.steps[step.id] else { return nil }
    let blocks = step.codeBlocks
    let failed = record.failedCommands.sorted().filter { $0 < blocks.count && !blocks[$0].allowsFailure }
    guard let first = failed.first, let event = record.commands[first] else { return nil }
    let why = event.reason == Self.notRun ? "" : " (\(event.reason ?? "it failed"))"
    return failed.count == 1
      ? "Its command failed\(why) and has not passed since."
      : "\(failed.count) of its commands failed and have not passed since."
  }

  private func finish(_ step: Step, reason: String? = nil) throws(SessionError) {
    var e = event(.stepDone)
    e.step = step.id
    e.reason = reason
    e.fingerprint = StepFingerprint.of(step)
    e.content = StepFingerprint.content(of: step)
    e.durationMs = state.steps[step.id]?.startedAt.map { Int(clock.now().timeIntervalSince($0) * 1000) }
    try recordOrFail(e)
    try advance(from: step)
  }

  private func skip(_ step: Step, because reason: String) throws(SessionError) -> String? {
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      return "Say why the step is skipped, so whoever reads the report knows."
    }
    try recordOrFail(skipped(step, because: reason))
    failedCheck = nil
    try advance(from: step)
    return nil
  }

  /// Replaces a recorded answer (validated like any answer) and reopens every finished step
  /// that used it, directly or through a derived value, so they are done again with the new
  /// value. Returns a message when the value is refused or nothing changed.
  private func change(_ id: String, to raw: String) throws(SessionError) -> String? {
    let id = Placeholder.normalize(id)
    guard let input = runbook.input(id), !input.isDerived else {
      let names = runbook.inputs.filter { !$0.isDerived }.map(\.id).joined(separator: ", ")
      return "There is no input `\(id)` to change; the inputs are \(names)."
    }
    let value: String
    switch InputValidator().validate(raw, for: input) {
    case .valid(let valid): value = valid
    case .invalid(let why): return why
    }
    guard values[id] != value else { return "\(input.label) is already that value." }
    try replace(input, with: value)
    return nil
  }

  /// Records a new value for an answered input and reopens every finished step that used it,
  /// going back to the earliest one. Steps whose commands capture the input are not reopened:
  /// running them again would replace the new value (or create what they create once more).
  private func replace(_ input: Input, with value: String, capturedBy: (step: Step, index: Int)? = nil)
    throws(SessionError)
  {
    let id = input.id
    let affected = order.filter { step in
      !step.codeBlocks.contains { $0.captureInput == id } && neededInputs(step).contains { $0.id == id }
    }
    let reopened = affected.filter { step in
      guard let record = state.steps[step.id] else { return false }
      return record.status != .pending || !record.confirmedRows.isEmpty || !record.commands.isEmpty
        || !record.checks.isEmpty
    }
    var e = event(.inputChanged)
    e.input = id
    e.step = capturedBy?.step.id ?? currentStep?.id
    e.index = capturedBy?.index
    let secret = input.secret || SecretMasker(secrets: secretValues).reveals(value)
    if secret {
      e.secret = true
    } else {
      e.value = value
      if let old = state.inputs[id], !old.secret { e.from = old.value }
    }
    e.steps = reopened.map(\.id)
    try recordOrFail(e)
    values[id] = value
    problems[id] = nil
    for step in reopened {
      var reopen = event(.stepReopened)
      reopen.step = step.id
      reopen.reason = "it uses \(input.label), which was changed"
      try recordOrFail(reopen)
    }
    if let failed = failedCheck, reopened.contains(where: { $0.id == failed.step }) { failedCheck = nil }
    // Go back to the earliest step to do again.
    if let first = reopened.first, let index = unitByStepID[first.id], index < (currentIndex ?? units.count) {
      cursor = index
      try startCurrentStep()
    }
  }

  private func addNote(_ text: String) throws(SessionError) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return "The note is empty." }
    var e = event(.note)
    e.step = currentStep?.id
    e.page = currentUnit?.page?.id
    e.text = trimmed
    try recordOrFail(e)
    return nil
  }

  /// The start of a step's `{run}` command that never finished: the run was killed while it ran
  /// (no outcome recorded: it may still be running) or stopped it (it may have run partly).
  public func unfinishedCommand(step: Step, index: Int) -> Event? {
    state.unfinished[RunState.runKey(step: step.id, index: index, check: false)]
  }

  /// A command an earlier session ran that set shell variables which commands still to run read.
  /// The shell that held them ended with that session (a resumed run starts with a fresh shell).
  public struct LostVariables: Sendable {
    public var step: Step
    public var index: Int
    /// The command as it was recorded (secrets masked).
    public var text: String
    /// The variables it set that later commands read, in the order it recorded them.
    public var names: [String]
  }

  /// The commands run before this session whose variables later commands need: none in a new
  /// run, nor once this session ran them (or anything that set those variables) again.
  public func lostVariables() -> [LostVariables] {
    var needed: Set<String> = []
    for step in order where !state.isFinished(step.id) {
      for code in step.codeBlocks where (runs(code) || code.isCheck) && code.isShellScript {
        needed.formUnion(ShellVariables(code.scannedText).reads.map(\.name))
      }
    }
    let carried = shell.carried
    var out: [LostVariables] = []
    for step in order {
      guard let record = state.steps[step.id] else { continue }
      for (index, event) in record.commands.sorted(by: { $0.key < $1.key }) where event.passed == true {
        let names = (event.variables ?? []).filter { needed.contains($0) && !carried.contains($0) }
        if names.isEmpty { continue }
        out.append(LostVariables(step: step, index: index, text: event.text ?? "", names: names))
      }
    }
    return out
  }

  /// Runs an earlier command again (``lostVariables()``) so that its variables are in this
  /// session's shell; recorded like any command. Returns nil, or why it failed.
  @discardableResult
  public func restore(_ lost: LostVariables) throws(SessionError) -> String? {
    guard lost.index < lost.step.codeBlocks.count else { return "that command is no longer in the guide" }
    let prepared = PreparedCommand(
      lost.step.codeBlocks[lost.index], values: currentValues, inputs: runbook.inputs)
    let outcome = try run(prepared, as: .command, step: lost.step, index: lost.index)
    return outcome.passed ? nil : "The command failed: \(outcome.reason ?? "")"
  }

  /// Why a step's `{run}` command should not simply run again, in one sentence, or nil.
  public func unfinishedCommandWarning(step: Step, index: Int) -> String? {
    guard let started = unfinishedCommand(step: step, index: index) else { return nil }
    let when = "at \(JournalDateFormat.seconds(started.at)) by \(started.operator)"
    return started.type == .commandStarted
      ? "This command was started \(when) and no outcome was recorded (the run was killed while it ran): it may have run partly, or may still be running."
      : "This command was stopped before it finished \(when): it may have run partly."
  }

  /// Records that the run stopped because of `reason` (Ctrl-C, a signal, output closed).
  public func recordInterruption(_ reason: String) throws(SessionError) {
    var e = event(.interrupted)
    e.step = currentStep?.id
    e.reason = reason
    try recordOrFail(e)
    ended = true
  }

  private func complete() throws(SessionError) {
    guard state.completed == nil else { return }
    try recordOrFail(event(.completed))
    ended = true
  }

  /// After a step is finished, go to the next open unit after it (so `--from` and `back`
  /// continue forward), wrapping to the first open one.
  private func advance(from step: Step) throws(SessionError) {
    guard let index = unitByStepID[step.id] else { return }
    try advance(fromUnit: index)
  }

  private func advance(fromUnit index: Int) throws(SessionError) {
    // The last open sub-step of a parent that waits for them leads back to the parent, to be
    // finished in its turn (the innermost parent first).
    var parent = units[index].step.flatMap { parentByStepID[$0.id] }
    while let step = parent, let at = unitByStepID[step.id] {
      if isOpen(at) {
        if firstOpenSubStep(of: step) == nil {
          cursor = at
          try startCurrentStep()
          return
        }
        break
      }
      parent = parentByStepID[step.id]
    }
    cursor = units.indices.first { $0 > index && isOpen($0) }
    try startCurrentStep()
  }

  /// The index in ``units`` of the first sub-step of `step` (at any depth) that is neither
  /// finished nor ruled out, or nil when there is none: a parent step is finished after its
  /// sub-steps, and answering ``Answer/done`` to a parent that has one goes on to it.
  public func firstOpenSubStep(of step: Step) -> Int? {
    guard !step.steps.isEmpty, let at = unitByStepID[step.id] else { return nil }
    var index = at + 1
    while index < units.count, let sub = units[index].step, isDescendant(sub, of: step) {
      if isOpen(index) { return index }
      index += 1
    }
    return nil
  }

  /// The step a sub-step belongs to, if it is one.
  public func parent(of step: Step) -> Step? { parentByStepID[step.id] }

  private func isDescendant(_ step: Step, of ancestor: Step) -> Bool {
    var parent = parentByStepID[step.id]
    while let current = parent {
      if current.id == ancestor.id { return true }
      parent = parentByStepID[current.id]
    }
    return false
  }

  /// Records that a reading page was shown and acknowledged, and moves on.
  private func read(_ unit: RunUnit, at index: Int) throws(SessionError) {
    guard let page = unit.page else { return }
    var e = event(.pageRead)
    e.page = page.id
    try recordOrFail(e)
    try advance(fromUnit: index)
  }

  /// Records every unfinished step that a condition now rules out as skipped, with the value
  /// that rules it out as the reason (the alternative the admin did not choose).
  private func recordNotApplicable() throws(SessionError) {
    for unit in units {
      guard let step = unit.step, !state.isFinished(step.id), let reason = notApplicableReason(unit) else {
        continue
      }
      try recordOrFail(skipped(step, because: reason))
    }
  }

  /// The `step-skipped` event for a step, with what it looked like when it was skipped.
  private func skipped(_ step: Step, because reason: String) -> Event {
    var e = event(.stepSkipped)
    e.step = step.id
    e.reason = reason
    e.fingerprint = StepFingerprint.of(step)
    e.content = StepFingerprint.content(of: step)
    return e
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

  private func setInput(_ input: Input, _ value: String, step: Step?, capturedBy command: Int? = nil)
    throws(SessionError)
  {
    var e = event(.input)
    e.input = input.id
    e.step = step?.id
    e.index = command
    // A value that holds a secret is kept like a secret: asked again after a resume. The
    // secrets given with --set, --answers or the environment count before they are recorded
    // (a step may record the value that holds one before the secret itself).
    let given = runbook.inputs.filter(\.secret).compactMap { provided[$0.id] }
    if input.secret || SecretMasker(secrets: secretValues + given).reveals(value) {
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
    let total = command.retries + 1
    return CheckRunner(
      runner: runner, clock: clock, secrets: secretValues, shouldCancel: shouldCancel, shell: shell
    )
    .run(command, output: output) { [onAttempt] in onAttempt?($0, total, command.interval) }
  }

  /// How many times a step's `{run}` command (or `{check}`) ran and failed since the step was
  /// last finished or reopened: a command offered again is attempt this plus one.
  public func failedAttempts(step: Step, index: Int, check: Bool = false) -> Int {
    var count = 0
    for e in log.events.reversed() {
      guard e.step == step.id else { continue }
      if [.stepDone, .stepSkipped, .stepReopened].contains(e.type) { break }
      if e.type == (check ? .check : .command), e.index == index, e.passed == false { count += 1 }
    }
    return count
  }

  /// Runs a command or check and records what happened: masked text, status, output tail. Its
  /// start is recorded first, so a run killed meanwhile knows it may have run partly.
  private func run(_ command: PreparedCommand, as type: EventType, step: Step, index: Int)
    throws(SessionError) -> CheckRunner.Outcome
  {
    var start = event(type == .check ? .checkStarted : .commandStarted)
    start.step = step.id
    start.index = index
    start.text = command.display
    try recordOrFail(start)
    var outcome = execute(command)
    if type == .command, outcome.passed, let id = command.capture {
      // The value is recorded first, so that a captured secret is masked in what follows.
      switch captured(outcome.captured ?? "", for: id) {
      case .success(let (input, value)): try capture(value, into: input, step: step, index: index)
      case .failure(let problem):
        outcome.passed = false
        outcome.reason = problem.description
      }
    }
    outcome.captured = nil
    var e = event(type)
    e.step = step.id
    e.index = index
    e.text = command.display
    e.status = outcome.result.status.map(Int.init)
    e.passed = outcome.passed
    e.interrupted = outcome.interrupted ? true : nil
    e.reason = outcome.reason
    e.output = Self.tail(outcome.result.outputTail)
    e.variables = outcome.set.isEmpty ? nil : outcome.set
    e.durationMs = Int(outcome.result.duration * 1000)
    try recordOrFail(e)
    return outcome
  }

  /// The value a `{run capture=ID}` command printed: its standard output without the final line
  /// break, validated like a typed answer. The failure says why in one sentence (never the
  /// value of a secret).
  private func captured(_ output: String, for id: String) -> Result<(Input, String), SessionError> {
    guard let input = runbook.input(id), !input.isDerived else {
      return .failure(
        SessionError("it captures into `\(id)`, which the runbook does not declare as an input"))
    }
    var value = output
    // "\r\n" is one Character, so dropLast takes either line ending whole.
    if value.hasSuffix("\r\n") || value.hasSuffix("\n") { value = String(value.dropLast()) }
    let name = "\(input.label) (`\(input.id)`)"
    if value.isEmpty { return .failure(SessionError("it printed nothing to capture as \(name)")) }
    if value.contains(where: \.isNewline) {
      return .failure(
        SessionError(
          "it printed more than one line to capture as \(name); make it print only the value (with the AWS CLI: --query … --output text)"
        ))
    }
    switch InputValidator().validate(value, for: input) {
    case .valid(let valid): return .success((input, valid))
    case .invalid(let why):
      let shown = input.secret ? "" : " `\(value.prefix(80))`"
      return .failure(SessionError("it printed\(shown), which is not a valid \(name): \(why)"))
    }
  }

  /// Records a captured value like an answer (an `input` event with the command's index); a value
  /// that differs from the one recorded changes it, reopening the other steps that used it.
  private func capture(_ value: String, into input: Input, step: Step, index: Int) throws(SessionError) {
    guard let old = values[input.id] else {
      try setInput(input, value, step: step, capturedBy: index)
      problems[input.id] = nil
      return
    }
    guard old != value else { return }
    try replace(input, with: value, capturedBy: (step, index))
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

  /// Appends an event with every secret masked in its texts (notes, skip reasons, command
  /// text, output), whatever path it came by: the one place nothing secret can slip past.
  private func record(_ event: Event) throws(StoreError) {
    if var resumed = deferredResume {
      resumed.at = event.at
      state.apply(try log.append(resumed))
      deferredResume = nil
    }
    let stored = try log.append(masked(event))
    state.apply(stored)
  }

  private func masked(_ event: Event) -> Event {
    let masker = SecretMasker(secrets: secretValues)
    guard !masker.isEmpty else { return event }
    var e = event
    e.text = e.text.map(masker.mask)
    e.value = e.value.map(masker.mask)
    e.reason = e.reason.map(masker.mask)
    e.output = e.output.map(masker.mask)
    return e
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
