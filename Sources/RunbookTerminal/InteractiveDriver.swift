import Foundation
import RunbookCore
import RunbookEngine
import RunbookMarkdown

/// Walks a session with a person at a terminal: shows each reading page and step in the order
/// of the guide, asks for inputs (secrets without echo), confirms table rows, offers commands,
/// runs checks and takes the step prompt (done, skip, back, note, save and quit, help). Every
/// answer goes through the session, which records it before moving on.
public final class InteractiveDriver {
  public enum Ending: Equatable, Sendable {
    case completed
    /// Saved and quit (or input ended) before the end.
    case paused
    case interrupted
    /// The state could not be written.
    case failed(String)
  }

  let session: Session
  let io: TerminalIO
  let style: TerminalStyle
  /// The unit last shown (its index in the session's units), and how much of it.
  private var shownUnit: Int?
  private var shownWhole = false
  /// The furthest unit reached, to tell the admin about units a choice ruled out on the way.
  private var reached: Int?
  private var shownPreconditionsHeader = false
  private var shownDerived: Set<String> = []

  public init(session: Session, io: TerminalIO, style: TerminalStyle) {
    self.session = session
    self.io = io
    self.style = style
    session.output = { [io] text in io.write(Sanitizer.terminal(text)) }
  }

  public func run() -> Ending {
    if let ending = offerToRestoreVariables() { return ending }
    while true {
      do {
        try session.applyProvided()
        if let ending = try handle(session.next()) { return ending }
      } catch {
        return .failed(error.description)
      }
    }
  }

  /// After a resume the earlier session's shell is gone: names the commands that set variables
  /// that commands still to run read, and offers to run them again first.
  private func offerToRestoreVariables() -> Ending? {
    let lost = session.lostVariables()
    guard !lost.isEmpty else { return nil }
    io.write(
      "\n"
        + colour(
          "  ! The shell of the earlier session is gone. These commands set variables that commands still to run read:",
          33)
        + "\n")
    for item in lost {
      let text = item.text.trimmingCharacters(in: .whitespacesAndNewlines)
      let first = text.split(separator: "\n").first.map(String.init) ?? ""
      io.write(
        "    step \(Sanitizer.terminal(item.step.number, keepNewlines: false)): "
          + Sanitizer.terminal(first, keepNewlines: false) + (text.contains("\n") ? " …" : "")
          + dim(
            "  sets " + item.names.map { Sanitizer.terminal($0, keepNewlines: false) }.joined(separator: ", ")
          )
          + "\n")
    }
    switch ask(
      "  Run them again now? [r]un them again, [n]o: ", choices: ["r": .run, "run": .run, "n": .skipCommand])
    {
    case .answer(.run):
      for item in lost {
        do {
          if let message = try session.restore(item) {
            io.write(colour("  ✗ " + Sanitizer.terminal(message), 31) + "\n")
          }
        } catch {
          return .failed(error.description)
        }
      }
      return nil
    case .end(let ending): return ending
    default: return nil
    }
  }

  /// Handles one prompt; returns an ending when the run stops here.
  private func handle(_ prompt: Prompt) throws(SessionError) -> Ending? {
    reportRuledOut()
    let ending: Ending?
    switch prompt {
    case .finished:
      try session.answer(.done)
      io.write("\n" + bold("All steps are finished.") + "\n")
      return .completed
    case .precondition(let note, _, let count):
      ending = try acknowledge(note, count: count)
    case .input(let input, let step, let problem):
      ending = try ask(input, at: step, problem: problem)
    case .confirmRow(let step, _, let row, let header, let cells):
      ending = try confirm(row, of: step, header: header, cells: cells)
    case .command(let step, let index, let command):
      ending = try offer(command, in: step, index: index)
    case .check(let step, _, let command):
      try check(command, in: step)
      ending = nil
    case .checkFailed(let step, _, let outcome):
      ending = try checkFailed(outcome, in: step)
    case .finishStep(let step):
      ending = try finish(step)
    case .readPage(let unit):
      ending = try read(unit)
    }
    if let ending { return ending }
    if session.state.completed != nil {
      io.write("\n" + bold("All steps are finished.") + "\n")
      return .completed
    }
    return session.ended ? .paused : nil
  }

  private func acknowledge(_ note: Note, count: Int) throws(SessionError) -> Ending? {
    if let unit = session.currentUnit, unit.page != nil { showUnit() }
    if !shownPreconditionsHeader {
      io.write("\n" + bold("Before you start") + " (\(count) precondition\(count == 1 ? "" : "s"))\n")
      shownPreconditionsHeader = true
    }
    io.write("\n" + renderer.render(note) + "\n")
    return try reply(
      to: ask("Is this true? [y]es, [q]uit: ", choices: ["y": .acknowledge, "yes": .acknowledge]))
  }

  private func ask(_ input: Input, at step: Step?, problem: String?) throws(SessionError) -> Ending? {
    // A choice between alternatives comes before the alternative: show what leads to it only.
    let choosing = session.currentUnit?.conditions.contains { $0.input == input.id } ?? false
    if step != nil || choosing { showUnit(whole: !choosing) }
    if let problem { io.write(colour("  ✗ " + Sanitizer.terminal(problem), 31) + "\n") }
    var lines = [
      "", "  " + bold(Sanitizer.terminal(input.label)) + (input.secret ? " (secret, not shown)" : ""),
    ]
    if let help = input.help { lines.append("  " + Sanitizer.terminal(help)) }
    if let example = input.example { lines.append("  Example: " + Sanitizer.terminal(example)) }
    if !input.choices.isEmpty {
      lines.append("  One of: " + input.choices.map { Sanitizer.terminal($0) }.joined(separator: ", "))
    }
    io.write(lines.joined(separator: "\n") + "\n")
    let def = input.defaultValue.flatMap { $0.isEmpty ? nil : $0 }
    let label = "  > " + (def.map { "[\(Sanitizer.terminal($0))] " } ?? "")
    let read = input.secret ? io.readSecret(prompt: label) : io.readLine(prompt: label)
    switch read {
    case .interrupted: return .interrupted
    case .notUTF8:
      io.write(
        colour("  ✗ That was not UTF-8 text; check the terminal's encoding and type it again.", 31) + "\n")
      return nil
    case .endOfInput:
      try reply(.quit)
      return .paused
    case .line(let text):
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if trimmed == ":q" || trimmed == ":quit" {
        try reply(.quit)
        return .paused
      }
      if trimmed == ":back" {
        try reply(.back)
        return nil
      }
      if trimmed.hasPrefix(":set") {
        if case .end(let ending) = try changeAnswer(trimmed) { return ending }
        return nil
      }
      _ = try session.answer(.value(trimmed.isEmpty ? (def ?? "") : text))
      showDerived()
      return nil
    }
  }

  private func confirm(_ row: Int, of step: Step, header: [String], cells: [String]) throws(SessionError)
    -> Ending?
  {
    showUnit()
    let pairs = zip(header, cells).map { "\(Sanitizer.terminal($0)): \(bold(Sanitizer.terminal($1)))" }
    io.write("\n  Row \(row + 1): " + pairs.joined(separator: " · ") + "\n")
    return try reply(
      to: ask(
        "  Confirm? [y]es, [a]ll rows, [s]kip step, [b]ack, [q]uit: ",
        choices: ["y": .confirm, "yes": .confirm, "a": .confirmAll, "all": .confirmAll, "b": .back]))
  }

  private func offer(_ command: PreparedCommand, in step: Step, index: Int) throws(SessionError) -> Ending? {
    showUnit()
    if let warning = session.unfinishedCommandWarning(step: step, index: index) {
      io.write(
        "\n" + colour("  ! " + Sanitizer.terminal(warning) + " Check before running it again.", 33) + "\n")
    }
    let code = step.codeBlocks[index]
    let what = code.isCommand ? "Command" : "Shell block"
    io.write(
      "\n  \(what):\n" + indent(Sanitizer.terminal(command.display.trimmingCharacters(in: .newlines)), by: 4)
        + "\n")
    if let need = command.needsTerminal {
      io.write(
        colour(
          "  ! It needs a terminal (\(Sanitizer.terminal(need))), and runbook runs commands without one: print it (p), run it in a terminal of your own, then go on (n).",
          33) + "\n")
    }
    if let expected = code.expectedOutput {
      io.write(dim("  Expected output:") + "\n" + indent(dim(Sanitizer.terminal(expected)), by: 4) + "\n")
    }
    var asked: Asked
    repeat {
      asked = ask(
        "  Run it? [r]un, [p]rint it plain to copy, [n]ot now (go on without running it), [s]kip step, [q]uit: ",
        choices: ["r": .run, "run": .run, "n": .skipCommand, "b": .back], allowPrint: true)
      // Printed plain: the text as it runs (values filled in, secrets masked), no indent or colour,
      // so it can be copied into another terminal; then the same question again.
      if case .print = asked {
        io.write("\n" + Sanitizer.terminal(command.display.trimmingCharacters(in: .newlines)) + "\n\n")
      }
    } while asked.isPrint
    switch asked {
    case .print: return nil
    case .answer(let a):
      if a == .run { io.write(dim("  ── output ──") + "\n") }
      if let message = try session.answer(a) {
        io.write(colour("  ✗ " + Sanitizer.terminal(message), 31) + "\n")
      }
      if a == .run { io.write(dim("  ── end ──") + "\n") }
      return nil
    case .end(let e): return e
    case .changed: return nil
    }
  }

  private func check(_ command: PreparedCommand, in step: Step) throws(SessionError) {
    showUnit()
    io.write(
      "\n  Checking:\n" + indent(Sanitizer.terminal(command.display.trimmingCharacters(in: .newlines)), by: 4)
        + "\n" + dim("  ── output ──") + "\n")
    let message = try session.answer(.run)
    io.write(dim("  ── end ──") + "\n")
    if message == nil { io.write(colour("  ✓ Check passed", 32) + "\n") }
  }

  private func checkFailed(_ outcome: CheckRunner.Outcome, in step: Step) throws(SessionError) -> Ending? {
    showUnit()
    io.write(colour("  ✗ The check failed: " + Sanitizer.terminal(outcome.reason ?? ""), 31) + "\n")
    return try reply(
      to: ask(
        "  [r]etry, [s]kip the step (with a reason), [q]uit: ", choices: ["r": .retry, "retry": .retry]))
  }

  private func finish(_ step: Step) throws(SessionError) -> Ending? {
    showUnit()
    if let warning = session.finishWarning(step) {
      io.write(colour("  ! " + Sanitizer.terminal(warning), 33) + "\n")
    }
    var asked = ask(
      "\n  [d]one, [s]kip, [b]ack, [n]ote, [q]uit (save), [?] help: ",
      choices: ["d": .done, "done": .done, "b": .back, "back": .back], allowNote: true)
    if case .answer(.back) = asked { shownUnit = nil }
    if case .answer(.done) = asked, session.finishWarning(step) != nil {
      switch readText("  Why is it done anyway? ") {
      case .success(let reason): asked = .answer(.doneDespite(reason: reason))
      case .failure(let end): asked = end
      }
    }
    return try reply(to: asked)
  }

  /// A reading page: shown, then acknowledged with Enter.
  private func read(_ unit: RunUnit) throws(SessionError) -> Ending? {
    showUnit()
    let asked = ask(
      "\n  [Enter] continue, [b]ack, [n]ote, [q]uit (save), [?] help: ",
      choices: ["": .acknowledge, "continue": .acknowledge, "b": .back, "back": .back],
      allowNote: true, allowSkip: false)
    if case .answer(.back) = asked { shownUnit = nil }
    return try reply(to: asked)
  }

  /// Answers the session with what the admin chose, or returns how the run ends.
  private func reply(to asked: Asked) throws(SessionError) -> Ending? {
    switch asked {
    case .answer(let answer):
      try reply(answer)
      return nil
    case .end(let ending):
      return ending
    case .changed, .print:
      return nil
    }
  }

  /// A renderer that fills placeholders with the values known now (secrets masked).
  private var renderer: TerminalRenderer {
    let values = session.displayValues
    return TerminalRenderer(style: style, values: { values[$0] })
  }

  private enum Asked: Error {
    case answer(Answer)
    case end(Ending)
    /// An answer was changed: the session may be somewhere else now; ask again from the top.
    case changed

    /// `p` at a command: print it plain for copying.
    case print

    var isPrint: Bool {
      if case .print = self { return true }
      return false
    }
  }

  /// Reads until the admin gives one of the answers (or skip, note, quit, help).
  private func ask(
    _ prompt: String, choices: [String: Answer], allowNote: Bool = false, allowSkip: Bool = true,
    allowPrint: Bool = false
  ) -> Asked {
    while true {
      switch io.readLine(prompt: prompt) {
      case .interrupted: return .end(.interrupted)
      case .endOfInput:
        return saveAndQuit()
      case .notUTF8:
        io.write("  Please answer with one of the letters shown (or ? for help).\n")
      case .line(let raw):
        let word = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let answer = choices[word] { return .answer(answer) }
        if word.hasPrefix(":set") || word == "c" || word == "change" {
          do {
            if case .end(let ending) = try changeAnswer(raw.trimmingCharacters(in: .whitespaces)) {
              return .end(ending)
            }
          } catch {
            return .end(.failed(error.description))
          }
          return .changed
        }
        switch word {
        case "p",
          "print" where allowPrint:
          return .print
        case "q", "quit":
          return saveAndQuit()
        case "s", "skip":
          guard allowSkip else {
            io.write("  A page is read, not skipped: press Enter to go on.\n")
            continue
          }
          switch readText("  Why is it skipped? ") {
          case .success(let reason): return .answer(.skip(reason: reason))
          case .failure(let end): return end
          }
        case "n", "note":
          let text: String
          switch readText("  Note: ") {
          case .success(let read): text = read
          case .failure(let end): return end
          }
          do {
            if let message = try session.answer(.note(text)) {
              io.write("  " + message + "\n")
            } else {
              io.write(dim("  Note saved.") + "\n")
            }
          } catch {
            return .end(.failed(error.description))
          }
        case "?", "h", "help":
          io.write(Self.help + "\n")
        default:
          io.write("  Please answer with one of the letters shown (or ? for help).\n")
        }
      }
    }
  }

  private enum Changed {
    case done
    case end(Ending)
  }

  /// `:set ID` (or `c`): asks which answer to change if no id is given, then the new value
  /// (secrets without echo), and changes it through the session, which reopens the steps that
  /// used it.
  private func changeAnswer(_ command: String) throws(SessionError) -> Changed {
    var id =
      command.hasPrefix(":set") ? String(command.dropFirst(4)).trimmingCharacters(in: .whitespaces) : ""
    let changeable = session.runbook.inputs.filter { !$0.isDerived && session.values[$0.id] != nil }
    if id.isEmpty {
      guard !changeable.isEmpty else {
        io.write("  No answer has been given yet.\n")
        return .done
      }
      io.write("  Answers: " + changeable.map { Sanitizer.terminal($0.id) }.joined(separator: ", ") + "\n")
      switch readText("  Change which one? ") {
      case .success(let text): id = text.trimmingCharacters(in: .whitespaces)
      case .failure(.end(let ending)): return .end(ending)
      case .failure: return .done
      }
    }
    guard let input = session.runbook.input(Placeholder.normalize(id)), !input.isDerived else {
      io.write(
        colour(
          "  ✗ There is no input `\(Sanitizer.terminal(id))`; the inputs are "
            + changeable.map { Sanitizer.terminal($0.id) }.joined(separator: ", ") + ".", 31) + "\n")
      return .done
    }
    let label = "  New value for " + Sanitizer.terminal(input.label) + ": "
    switch input.secret ? io.readSecret(prompt: label) : io.readLine(prompt: label) {
    case .line(let value):
      if let message = try session.answer(.change(input: input.id, value: value)) {
        io.write(colour("  ✗ " + Sanitizer.terminal(message), 31) + "\n")
      } else {
        io.write(dim("  Changed. Steps that used it are open again.") + "\n")
        shownUnit = nil
      }
      return .done
    case .interrupted: return .end(.interrupted)
    case .endOfInput:
      if case .end(let ending) = saveAndQuit() { return .end(ending) }
      return .done
    case .notUTF8:
      io.write("  That was not UTF-8 text; nothing was changed.\n")
      return .done
    }
  }

  /// A line of free text (a reason, a note), asked again when it is not UTF-8; Ctrl-C and the
  /// end of input end the run as they do at any prompt.
  private func readText(_ prompt: String) -> Result<String, Asked> {
    while true {
      switch io.readLine(prompt: prompt) {
      case .line(let text): return .success(text)
      case .interrupted: return .failure(.end(.interrupted))
      case .endOfInput: return .failure(saveAndQuit())
      case .notUTF8: io.write("  That was not UTF-8 text; check the terminal's encoding and type it again.\n")
      }
    }
  }

  /// Records the pause; `answer` returns an optional message, so success is "did not throw".
  private func saveAndQuit() -> Asked {
    do {
      _ = try session.answer(.quit)
      return .end(.paused)
    } catch {
      return .end(.failed(error.description))
    }
  }

  static let help = """

      done (d)    the step is finished; it is recorded with your name and the time
      skip (s)    skip the step; you are asked why (the reason goes into the report)
      back (b)    go back to the previous step
      note (n)    add a note to this step, for whoever reads the report
      quit (q)    save and quit; run the same command (or runbook resume) to continue
      change (c)  change an answer given earlier (also :set ID); the steps that used it open again
      At an input prompt, type :q to save and quit, :set ID to change another answer;
      Ctrl-C also stops safely.
    """

  private func reply(_ answer: Answer) throws(SessionError) {
    if let message = try session.answer(answer) {
      io.write(colour("  ✗ " + Sanitizer.terminal(message), 31) + "\n")
    }
  }

  private var unitText: UnitText { UnitText(renderer: renderer, runbookTitle: session.runbook.title) }

  /// Shows the unit the session is at, once: the headings it enters and what comes before it,
  /// then (when `whole`) the step or page and what comes after it.
  private func showUnit(whole: Bool = true) {
    guard let index = session.currentUnitIndex else { return }
    let unit = session.units[index]
    let text = unitText
    if shownUnit != index {
      shownUnit = index
      shownWhole = false
      let opening = text.opening(unit)
      if !opening.isEmpty { io.write("\n" + opening + "\n") }
    }
    guard whole, !shownWhole else { return }
    shownWhole = true
    let rest = [text.heading(unit, position: session.position) ?? "", text.body(unit), text.closing(unit)]
      .filter { !$0.isEmpty }
    if !rest.isEmpty { io.write("\n" + rest.joined(separator: "\n\n") + "\n") }
  }

  /// Tells the admin, one line each, about the steps and pages a choice ruled out since the
  /// last prompt.
  private func reportRuledOut() {
    guard let current = session.currentUnitIndex ?? Optional(session.units.count) else { return }
    let from = (reached ?? -1) + 1
    defer { reached = max(reached ?? -1, current) }
    guard from < current else { return }
    for index in from..<current {
      let unit = session.units[index]
      guard let reason = session.notApplicableReason(unit) else { continue }
      let what =
        unit.step.map { "Step \($0.number) " + Sanitizer.terminal($0.title, keepNewlines: false) }
        ?? Sanitizer.terminal(unit.page?.title ?? "", keepNewlines: false)
      io.write(dim("  ↷ \(what): \(Sanitizer.terminal(reason, keepNewlines: false))") + "\n")
    }
  }

  private func showDerived() {
    for input in session.runbook.inputs where input.isDerived && !shownDerived.contains(input.id) {
      if let value = session.displayValues[input.id] {
        shownDerived.insert(input.id)
        io.write("  " + dim(Sanitizer.terminal(input.label) + ":") + " " + Sanitizer.terminal(value) + "\n")
      }
    }
  }

  private func bold(_ s: String) -> String { style.color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  private func dim(_ s: String) -> String { style.color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
  private func colour(_ s: String, _ code: Int) -> String { style.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
  private func indent(_ s: String, by n: Int) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: n) + $0 }
      .joined(separator: "\n")
  }
}
