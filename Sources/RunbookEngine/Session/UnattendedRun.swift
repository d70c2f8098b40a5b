import Foundation
import RunbookCore

/// Runs a session without a person: inputs come from `--set`, `--answers`, environment variables
/// `RUNBOOK_INPUT_<ID>` and defaults; reading pages are acknowledged as they are shown (printed by
/// ``observe``); manual steps, preconditions and `{run}` commands proceed only with `--yes`; the
/// first failed check stops the run.
public struct UnattendedRun {
  /// How an unattended run ended.
  public enum Outcome: Equatable, Sendable {
    case completed
    /// Required inputs have no value: nothing was run. Each entry is one line for the admin.
    case missingInputs([String])
    /// A check failed: the step and why.
    case checkFailed(step: String, reason: String)
    /// A `{run}` command failed (and was not marked `allow-failure`): the step and why.
    case commandFailed(step: String, reason: String)
    /// The run was asked to stop (``Session/shouldCancel`` answered true).
    case interrupted
    /// The run needs a person (or `--yes`) here.
    case needsConfirmation(step: String?, what: String)
  }

  public var yes: Bool
  /// Called before each prompt is answered and once more when the run stops: a front end shows
  /// what the session reached (the unattended transcript).
  public var observe: (Session) -> Void = { _ in }

  public init(yes: Bool) {
    self.yes = yes
  }

  /// Collects the values for an unattended run, in order of precedence: `--set`, `--answers`,
  /// the environment, then defaults. Values already in the state are kept.
  public static func resolve(
    _ runbook: Runbook, set: [String: String], answers: [String: String], environment: [String: String]
  ) -> [String: String] {
    var out: [String: String] = [:]
    for input in runbook.inputs where !input.isDerived {
      // An optional input nobody gave is left empty rather than stopping the run.
      let absent: String? = input.required ? nil : ""
      // A `$VARIABLE` input is also read from that variable (`NODE=worker-1 runbook run …`).
      let asVariable: String? = input.variable.flatMap { environment[$0] }
      let given: String? = set[input.id] ?? answers[input.id] ?? environment[input.environmentName]
      if let v = given ?? asVariable ?? input.defaultValue ?? absent {
        out[input.id] = v
      }
    }
    return out
  }

  /// Lists every required input that the unfinished units need and that has no valid value,
  /// with its label and where it is used, before any step runs (inputs that a command of those
  /// units captures excepted). Units that the values given
  /// rule out (alternatives not chosen) need nothing.
  public static func problems(_ session: Session) -> [String] {
    var lines: [String] = []
    var seen: Set<String> = []
    let validator = InputValidator()
    var needed: [(Input, String)] = session.startInputs.map { ($0, "the start") }
    let known = session.provided.merging(session.values) { _, stored in stored }
    for unit in session.units
    where !session.isFinished(unit) && session.applies(unit, values: known) != false {
      let place =
        unit.step.map { "step \($0.number) (\($0.id))" } ?? "the page \(unit.page?.title ?? unit.id)"
      needed += session.neededInputs(unit).map { ($0, place) }
    }
    // Inputs that commands capture come from the run itself (a capture that fails stops it).
    let captured = session.inputsToCapture(values: known)
    for (input, place) in needed where seen.insert(input.id).inserted {
      if session.values[input.id] != nil || captured.contains(input.id) { continue }
      let given = session.provided[input.id] ?? ""
      switch validator.validate(given, for: input) {
      case .valid: continue
      case .invalid(let why):
        let hint = given.isEmpty ? "missing" : "invalid: \(why)"
        lines.append(
          "\(input.id) (\(input.label)), needed at \(place): \(hint); set it with --set \(input.id)=VALUE or \(input.environmentName)"
        )
      }
    }
    return lines
  }

  /// Drives the session to the end or to the first place it must stop.
  public func run(_ session: Session) throws(SessionError) -> Outcome {
    let missing = Self.problems(session)
    if !missing.isEmpty { return .missingInputs(missing) }
    defer { observe(session) }
    while true {
      if session.shouldCancel?() == true { return .interrupted }
      try session.applyProvided()
      observe(session)
      let prompt = session.next()
      switch prompt {
      case .finished:
        try session.answer(.done)
        return .completed
      case .readPage:
        try session.answer(.acknowledge)
      case .precondition(let note, _, _):
        guard yes else {
          return .needsConfirmation(
            step: nil,
            what:
              "the precondition \"\(note.title ?? note.text.prefix(60).description)\" must be acknowledged")
        }
        try session.answer(.acknowledge)
      case .input(let input, let step, let problem):
        // Only reached when a provided value was refused after the preflight (cannot happen
        // for validated values); stop rather than loop.
        return .needsConfirmation(
          step: step?.id, what: "input \(input.id) needs a value: \(problem ?? "missing")")
      case .confirmRow(let step, _, _, _, _):
        guard yes else { return .needsConfirmation(step: step.id, what: "its table rows must be confirmed") }
        try session.answer(.confirmAll)
      case .command(let step, let index, let command):
        if let warning = session.unfinishedCommandWarning(step: step, index: index) {
          return .needsConfirmation(
            step: step.id, what: warning + " Check it first")
        }
        guard yes else {
          return .needsConfirmation(
            step: step.id, what: "it offers a command to run: \(command.display.prefix(80))")
        }
        // A command allowed to fail that already failed is not run again (a failed command is
        // offered again): go on without it; it stays listed among the run's exceptions.
        if step.codeBlocks[index].allowsFailure,
          session.state.steps[step.id]?.failedCommands.contains(index) == true
        {
          try session.answer(.skipCommand)
          continue
        }
        if let message = try session.answer(.run), !step.codeBlocks[index].allowsFailure {
          if session.shouldCancel?() == true { return .interrupted }
          return .commandFailed(step: step.id, reason: message)
        }
      case .check:
        try session.answer(.run)
      case .checkFailed(let step, _, let outcome):
        if session.shouldCancel?() == true { return .interrupted }
        return .checkFailed(step: step.id, reason: outcome.reason ?? "it failed")
      case .finishStep(let step):
        let automatic =
          step.codeBlocks.contains(where: \.isCheck) && step.tables.isEmpty
          && !step.codeBlocks.contains(where: session.runs)
        guard yes || automatic else { return .needsConfirmation(step: step.id, what: "it is a manual step") }
        try session.answer(.done)
      }
    }
  }
}
