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
  /// Steps shown in full once: a parent step comes back after its sub-steps, shown short.
  private var shownSteps: Set<String> = []
  /// The state file or run id, named in the header of each step.
  let runLabel: String?
  /// Whether a command that runs longer than a second shows a status line (a terminal only).
  let live: Bool
  /// Where command output goes while a command runs.
  private let sink = OutputSink()

  /// - Parameters:
  ///   - runLabel: the state file or run id, shown with the runbook's title above each step.
  ///   - live: true when standard output is a terminal: a command or check that runs longer
  ///     than a second keeps a status line under its output (elapsed time, attempt, last line).
  public init(
    session: Session, io: TerminalIO, style: TerminalStyle, runLabel: String? = nil, live: Bool = false
  ) {
    self.session = session
    self.io = io
    self.style = style
    self.runLabel = runLabel
    self.live = live
    let sink = self.sink
    session.output = { [io] text in
      let clean = Sanitizer.terminal(text)
      if let status = sink.status { status.output(clean) } else { io.write(clean) }
    }
    session.onAttempt = { [io, sink, style] number, total, wait in
      let text = "  ↻ Attempt \(number) of \(total)" + (wait > 0 ? ", after \(Self.seconds(wait))" : "")
      let shown = style.color ? "\u{1B}[33m\(text)\u{1B}[0m" : text
      if let status = sink.status {
        status.attempt(number, of: total)
        status.line(shown)
      } else {
        io.write(shown + "\n")
      }
    }
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
      "  Run them again now?",
      keys: [
        Key(["r", "run"], "[r]un them again", "run those commands again first", .answer(.run)),
        Key(["n", "no"], "[n]o", "go on without them", .answer(.skipCommand)),
        Key(["q", "quit"], "[q]uit", Key.quit.meaning, .quit), .help,
      ])
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
      to: ask(
        "Is this true?",
        keys: [
          Key(["y", "yes"], "[y]es", "it is true: go on", .answer(.acknowledge)), .note, .change,
          Key(["q", "quit"], "[q]uit", Key.quit.meaning, .quit), .help,
        ]))
  }

  private func ask(_ input: Input, at step: Step?, problem: String?) throws(SessionError) -> Ending? {
    // A choice between alternatives comes before the alternative: show what leads to it only.
    let choosing = session.currentUnit?.conditions.contains { $0.input == input.id } ?? false
    if step != nil || choosing { showUnit(whole: !choosing) }
    if let problem { say("✗ " + problem, colour: 31) }
    var label = StyledText(Sanitizer.terminal(input.label, keepNewlines: false), attributes(SGR.bold))
    if input.secret { label.append(" (secret, not shown)") }
    var lines = ["", wrapped(label, indent: "  ")]
    if let help = input.help { lines.append(wrapped(help, indent: "  ")) }
    if let example = input.example {
      lines.append(wrapped("Example: " + example, indent: "  ", rest: "    "))
    }
    if !input.choices.isEmpty {
      lines.append(wrapped("One of: " + input.choices.joined(separator: ", "), indent: "  ", rest: "    "))
    }
    io.write(lines.joined(separator: "\n") + "\n")
    let def = input.defaultValue.flatMap { $0.isEmpty ? nil : $0 }
    let prompt = "  > " + (def.map { "[\(Sanitizer.terminal($0, keepNewlines: false))] " } ?? "")
    var read = input.secret ? io.readSecret(prompt: prompt) : io.readLine(prompt: prompt)
    while case .line(let text) = read, text.trimmingCharacters(in: .whitespaces) == "?" {
      io.write(helpText(Self.inputKeys) + "\n")
      read = input.secret ? io.readSecret(prompt: prompt) : io.readLine(prompt: prompt)
    }
    switch read {
    case .interrupted: return .interrupted
    case .notUTF8:
      say("✗ That was not UTF-8 text; check the terminal's encoding and type it again.", colour: 31)
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
    var line = StyledText("Row \(row + 1): ")
    for (index, (name, value)) in zip(header, cells).enumerated() {
      if index > 0 { line.append(" · ") }
      line.append(Sanitizer.terminal(name, keepNewlines: false) + ": ")
      line.append(Sanitizer.terminal(value, keepNewlines: false), attributes(SGR.bold))
    }
    io.write("\n" + wrapped(line, indent: "  ", rest: "    ") + "\n")
    return try reply(
      to: ask(
        "  Confirm?",
        keys: [
          Key(["y", "yes"], "[y]es", "the row is as the table says", .answer(.confirm)),
          Key(
            ["a", "all"], "[a]ll rows", "confirm this row and the rest of the table", .answer(.confirmAll)),
          Key(["s", "skip"], "[s]kip step", Key.skip.meaning, .skip), .back, .note, .change,
          Key(["q", "quit"], "[q]uit", Key.quit.meaning, .quit), .help,
        ]))
  }

  private func offer(_ command: PreparedCommand, in step: Step, index: Int) throws(SessionError) -> Ending? {
    showUnit()
    if let warning = session.unfinishedCommandWarning(step: step, index: index) {
      io.write("\n")
      say("! " + warning + " Check before running it again.", colour: 33)
    }
    let code = step.codeBlocks[index]
    let what = code.isCommand ? "Command" : "Shell block"
    let failed = session.failedAttempts(step: step, index: index)
    let retries = command.retries > 0 ? " (up to \(command.retries + 1) attempts)" : ""
    let heading =
      failed > 0 ? "\(what), attempt \(failed + 1) (it failed before)\(retries):" : "\(what)\(retries):"
    io.write("\n  " + heading + "\n" + codeText(command.display) + "\n")
    if let need = command.needsTerminal {
      say(
        "! It needs a terminal (\(need)), and runbook runs commands without one: print it (p), run it in a terminal of your own, then go on (n).",
        colour: 33)
    }
    if let expected = code.expectedOutput {
      let lines = Sanitizer.terminal(expected).split(separator: "\n", omittingEmptySubsequences: false)
      io.write(
        dim("  Expected output:") + "\n" + lines.map { "    " + dim(String($0)) }.joined(separator: "\n")
          + "\n")
    }
    var asked: Asked
    repeat {
      asked = ask(
        "  Run it?",
        keys: [
          Key(["r", "run"], failed > 0 ? "[r]un again" : "[r]un", "run the command now", .answer(.run)),
          Key(
            ["p", "print"], "[p]rint it plain to copy",
            "print it as it runs (values filled in, secrets masked), to copy", .print),
          Key(
            ["n", "not"], "[n]ot now (go on without running it)", "go on without running it",
            .answer(.skipCommand)),
          Key(["s", "skip"], "[s]kip step", Key.skip.meaning, .skip), Key.back.hidden, Key.change,
          Key(["q", "quit"], "[q]uit", Key.quit.meaning, .quit), .help,
        ])
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
      let message = try running(attempts: command.retries + 1) { () throws(SessionError) in
        try session.answer(a)
      }
      if let message { say("✗ " + message, colour: 31) }
      if a == .run { io.write(dim("  ── end ──") + "\n") }
      // A captured value is shown like an answer (a secret masked); `c` changes it.
      if a == .run, message == nil, let id = step.codeBlocks[index].captureInput,
        let input = session.runbook.input(id), let shown = session.displayValues[id]
      {
        io.write(
          colour("  ✓ " + Sanitizer.terminal(input.label + ": " + shown, keepNewlines: false), 32) + "\n")
      }
      return nil
    case .end(let e): return e
    case .changed: return nil
    }
  }

  private func check(_ command: PreparedCommand, in step: Step) throws(SessionError) {
    showUnit()
    let retries = command.retries > 0 ? " (up to \(command.retries + 1) attempts)" : ""
    io.write(
      "\n  Checking\(retries):\n" + codeText(command.display) + "\n" + dim("  ── output ──") + "\n")
    let message = try running(attempts: command.retries + 1) { () throws(SessionError) in
      try session.answer(.run)
    }
    io.write(dim("  ── end ──") + "\n")
    if message == nil { io.write(colour("  ✓ Check passed", 32) + "\n") }
  }

  private func checkFailed(_ outcome: CheckRunner.Outcome, in step: Step) throws(SessionError) -> Ending? {
    showUnit()
    say("✗ The check failed: " + (outcome.reason ?? ""), colour: 31)
    return try reply(
      to: ask(
        "  ",
        keys: [
          Key(["r", "retry"], "[r]etry", "run the check again", .answer(.retry)),
          Key(["s", "skip"], "[s]kip the step (with a reason)", Key.skip.meaning, .skip), .note, .change,
          Key(["q", "quit"], "[q]uit", Key.quit.meaning, .quit), .help,
        ]))
  }

  /// Runs a command or check through the session; at a terminal, with a status line once it
  /// has run for a second.
  private func running(attempts: Int, _ body: () throws(SessionError) -> String?) throws(SessionError)
    -> String?
  {
    guard live else { return try body() }
    let status = LiveStatus(width: renderer.width, color: style.color) { [io] in io.write($0) }
    status.attempt(1, of: attempts)
    sink.status = status
    status.start()
    defer {
      status.stop()
      sink.status = nil
    }
    return try body()
  }

  private func finish(_ step: Step) throws(SessionError) -> Ending? {
    let waiting = session.firstOpenSubStep(of: step) != nil
    if !waiting, shownSteps.contains(step.id), !step.steps.isEmpty, shownUnit != session.currentUnitIndex {
      showReturn(to: step)
    } else {
      showUnit()
    }
    if !waiting, let warning = session.finishWarning(step) { say("! " + warning, colour: 33) }
    let first: Key =
      waiting
      ? Key(
        ["", "d", "done"], "[Enter] go on to its sub-steps",
        "go on to the sub-steps; the step is finished after them", .answer(.done))
      : .done
    io.write("\n")
    var asked = ask("  ", keys: [first, .skip, .back, .note, .change] + viewKeys + [.quit, .help])
    if case .answer(.back) = asked { shownUnit = nil }
    if !waiting, case .answer(.done) = asked, session.finishWarning(step) != nil {
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
    io.write("\n")
    let asked = ask(
      "  ",
      keys: [
        Key(["", "continue"], "[Enter] continue", "the page is read: go on", .answer(.acknowledge)),
        Key(["b", "back"], "[b]ack", "go back to the previous step or page", .answer(.back)),
        Key(["n", "note"], "[n]ote", "add a note to this page, for whoever reads the report", .note), .change,
      ] + viewKeys + [.quit, .help])
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
    var renderer = TerminalRenderer(style: style, values: { values[$0] })
    renderer.fold = Self.fold
    return renderer
  }

  /// Code longer than 12 lines shows its first 6; `v` shows it all.
  static let fold = TerminalRenderer.CodeFold(limit: 12, shown: 6, hint: "v shows all of it")

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

  /// A key the admin may press at a prompt, and what it does: the prompt names the keys that
  /// have a label, `?` lists every key valid there and nothing else.
  struct Key {
    enum Action {
      case answer(Answer)
      case skip, note, change, view, quit, help, print
    }
    /// What the admin may type (the first is the key); "" is Enter.
    var words: [String]
    /// How the prompt names it (`[d]one`); nil when the prompt leaves it out.
    var label: String?
    /// One line for `?`.
    var meaning: String
    var action: Action

    init(_ words: [String], _ label: String?, _ help: String, _ action: Action) {
      self.words = words
      self.label = label
      self.meaning = help
      self.action = action
    }

    /// The same key, left out of the prompt (still listed by `?`).
    var hidden: Key {
      var key = self
      key.label = nil
      return key
    }

    static let done = Key(
      ["d", "done"], "[d]one", "the step is finished; it is recorded with your name and the time",
      .answer(.done))
    static let skip = Key(
      ["s", "skip"], "[s]kip", "skip the step; you are asked why (the reason goes into the report)", .skip)
    static let back = Key(["b", "back"], "[b]ack", "go back to the previous step", .answer(.back))
    static let note = Key(
      ["n", "note"], "[n]ote", "add a note to this step, for whoever reads the report", .note)
    static let change = Key(
      ["c", "change"], nil,
      "change an answer given earlier (also :set ID); the steps that used it open again",
      .change)
    static let view = Key(["v", "view"], "[v]iew code", "show the long code of this step in full", .view)
    static let quit = Key(
      ["q", "quit"], "[q]uit (save)", "save and quit; run the same command (or runbook resume) to continue",
      .quit)
    static let help = Key(["?", "h", "help"], "[?] help", "list the keys valid here", .help)
  }

  /// At an input: what may be typed instead of a value.
  static let inputKeys = [
    Key([":q"], nil, "save and quit; run the same command (or runbook resume) to continue", .quit),
    Key([":back"], nil, "go back to the previous step", .answer(.back)),
    Key([":set"], nil, ":set ID changes an answer given earlier; the steps that used it open again", .change),
    Key(["Enter"], nil, "takes the default shown in brackets, if there is one", .help),
    Key(["Ctrl-C"], nil, "stops safely; everything answered so far is saved", .quit),
  ]

  /// `v` when the unit at hand has code folded away.
  private var viewKeys: [Key] { foldedCode.isEmpty ? [] : [.view] }

  /// Reads until the admin presses one of `keys` (skip, note and change are asked further).
  private func ask(_ lead: String, keys: [Key]) -> Asked {
    let named = keys.compactMap(\.label)
    let prompt = promptText(lead.trimmingCharacters(in: .whitespaces), named)
    while true {
      switch io.readLine(prompt: prompt) {
      case .interrupted: return .end(.interrupted)
      case .endOfInput:
        return saveAndQuit()
      case .notUTF8:
        say("Please type one of the keys shown (? lists them).")
      case .line(let raw):
        let word = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let isSet = word.hasPrefix(":set")
        guard let key = keys.first(where: { $0.words.contains(word) || (isSet && $0.words.contains("c")) })
        else {
          say("Please type one of the keys shown (? lists them).")
          continue
        }
        switch key.action {
        case .answer(let answer): return .answer(answer)
        case .change:
          do {
            if case .end(let ending) = try changeAnswer(raw.trimmingCharacters(in: .whitespaces)) {
              return .end(ending)
            }
          } catch {
            return .end(.failed(error.description))
          }
          return .changed
        case .print:
          return .print
        case .quit:
          return saveAndQuit()
        case .skip:
          switch readText("  Why is it skipped? ") {
          case .success(let reason): return .answer(.skip(reason: reason))
          case .failure(let end): return end
          }
        case .note:
          let text: String
          switch readText("  Note: ") {
          case .success(let read): text = read
          case .failure(let end): return end
          }
          do {
            if let message = try session.answer(.note(text)) {
              say(message)
            } else {
              io.write(dim("  Note saved.") + "\n")
            }
          } catch {
            return .end(.failed(error.description))
          }
        case .view:
          io.write("\n" + foldedCode.joined(separator: "\n\n") + "\n")
        case .help:
          io.write(helpText(keys) + "\n")
        }
      }
    }
  }

  /// The keys valid at a prompt, one a line, wrapped under their description.
  private func helpText(_ keys: [Key]) -> String {
    let names = keys.map { key in
      key.words.map { $0.isEmpty ? "Enter" : $0 }.joined(separator: ", ")
    }
    let column = min((names.map { DisplayWidth.of($0) }.max() ?? 0) + 4, 20)
    var lines = [""]
    let hanging = String(repeating: " ", count: column)
    for (name, key) in zip(names, keys) {
      let text = wrapped(key.meaning, indent: hanging)
      if DisplayWidth.of(name) + 3 > column {
        lines.append("  " + name)
        lines.append(text)
      } else {
        let pad = String(repeating: " ", count: column - 2 - DisplayWidth.of(name))
        lines.append("  " + name + pad + text.dropFirst(column))
      }
    }
    return lines.joined(separator: "\n") + "\n"
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
        say("No answer has been given yet.")
        return .done
      }
      say("Answers: " + changeable.map(\.id).joined(separator: ", "), rest: "    ")
      switch readText("  Change which one? ") {
      case .success(let text): id = text.trimmingCharacters(in: .whitespaces)
      case .failure(.end(let ending)): return .end(ending)
      case .failure: return .done
      }
    }
    guard let input = session.runbook.input(Placeholder.normalize(id)), !input.isDerived else {
      say(
        "✗ There is no input `\(id)`; the inputs are " + changeable.map(\.id).joined(separator: ", ") + ".",
        colour: 31)
      return .done
    }
    let label = promptText("New value for " + Sanitizer.terminal(input.label, keepNewlines: false) + ":")
    switch input.secret ? io.readSecret(prompt: label) : io.readLine(prompt: label) {
    case .line(let value):
      if let message = try session.answer(.change(input: input.id, value: value)) {
        say("✗ " + message, colour: 31)
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
      say("That was not UTF-8 text; nothing was changed.")
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
      case .notUTF8: say("That was not UTF-8 text; check the terminal's encoding and type it again.")
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

  private func reply(_ answer: Answer) throws(SessionError) {
    if let message = try session.answer(answer) { say("✗ " + message, colour: 31) }
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
    if let step = unit.step { shownSteps.insert(step.id) }
    let heading = text.heading(unit, position: session.position).map { header(unit) + $0 } ?? ""
    let rest = [heading, text.body(unit), text.closing(unit)].filter { !$0.isEmpty }
    if !rest.isEmpty { io.write("\n" + rest.joined(separator: "\n\n") + "\n") }
  }

  /// Above each step: the runbook's title and the state file (or run id), then the titles of
  /// the steps it is a sub-step of, one line each.
  private func header(_ unit: RunUnit) -> String {
    guard let step = unit.step else { return "" }
    var context = Sanitizer.terminal(session.runbook.title, keepNewlines: false)
    if let runLabel { context += " · " + Sanitizer.terminal(runLabel, keepNewlines: false) }
    var lines = [wrapped(StyledText(context, attributes(SGR.dim)), indent: "")]
    var parents: [Step] = []
    var parent = session.parent(of: step)
    while let current = parent {
      parents.insert(current, at: 0)
      parent = session.parent(of: current)
    }
    for (depth, parent) in parents.enumerated() {
      let indent = String(repeating: "  ", count: depth)
      let title = "Step " + parent.number + ": " + filledTitle(parent)
      lines.append(
        indent
          + encode(
            StyledText(LiveStatus.truncate(title, to: renderer.width - indent.count), attributes(SGR.dim))))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A parent step after its sub-steps: its heading again, to be finished.
  private func showReturn(to step: Step) {
    guard let index = session.currentUnitIndex else { return }
    shownUnit = index
    shownWhole = true
    let position = session.position ?? (1, 1)
    var line = StyledText(
      "Step " + Sanitizer.terminal(step.number, keepNewlines: false), attributes(SGR.bold))
    line.append(" · \(position.index) of \(position.total)", attributes(SGR.dim))
    line.append(" · its sub-steps are finished")
    io.write(
      "\n" + header(session.units[index]) + wrapped(line, indent: "") + "\n"
        + wrapped(StyledText(filledTitle(step), attributes(SGR.bold)), indent: "") + "\n")
  }

  /// A step's title with the values known now filled in (secrets masked), sanitised.
  private func filledTitle(_ step: Step) -> String {
    let values = session.displayValues
    let secrets = Set(session.runbook.inputs.filter(\.secret).map(\.id))
    let title = Placeholder.substitute(step.title) { secrets.contains($0.id) ? nil : values[$0.id] }
    return Sanitizer.terminal(title, keepNewlines: false)
  }

  /// The code of the unit at hand that a fold hides, each block in full.
  private var foldedCode: [String] {
    guard let unit = session.currentUnit else { return [] }
    var plain = renderer
    plain.fold = nil
    var blocks: [CodeBlock] = []
    let content: [Content]
    switch unit.kind {
    case .step(let step): content = unit.before + step.content + unit.after
    case .page(let page): content = unit.before + page.content + unit.after
    }
    content.walk { if case .code(let code) = $0 { blocks.append(code) } }
    return blocks.filter { Self.fold.folds($0.displayText) }.map { plain.render($0) }
  }

  /// A command's or check's text, indented, folded when long.
  private func codeText(_ text: String) -> String {
    let (lines, hidden) = Self.fold.apply(Sanitizer.terminal(text))
    var out = lines.map { $0.isEmpty ? "" : "    " + $0 }
    if hidden > 0 { out.append("    " + dim(Self.fold.note(hidden: hidden))) }
    return out.joined(separator: "\n")
  }

  /// A message for the admin, sanitised and wrapped at word boundaries under a two-space indent.
  private func say(_ text: String, colour code: Int? = nil, rest: String = "  ") {
    let styled = StyledText(
      Sanitizer.terminal(text, keepNewlines: false), code.map { attributes($0) } ?? .none)
    io.write(wrapped(styled, indent: "  ", rest: rest) + "\n")
  }

  private func wrapped(_ text: String, indent: String, rest: String? = nil) -> String {
    wrapped(StyledText(Sanitizer.terminal(text, keepNewlines: false)), indent: indent, rest: rest)
  }

  /// Text wrapped to the width at word boundaries: `indent` before the first line, `rest` before
  /// the others.
  private func wrapped(_ text: StyledText, indent: String, rest: String? = nil) -> String {
    let rest = rest ?? indent
    let width = max(10, renderer.width - max(indent.count, rest.count))
    return TextWrapper.wrap(text, width: width).enumerated().map { index, line in
      (index == 0 ? indent : rest) + encode(line)
    }.joined(separator: "\n")
  }

  /// A prompt wrapped at word boundaries, the cursor after its last line.
  private func promptText(_ text: String) -> String {
    wrapped(StyledText(text), indent: "  ") + " "
  }

  /// A prompt naming its keys: wrapped between the keys (`[q]uit (save)` stays on one line),
  /// the cursor after its last line.
  private func promptText(_ lead: String, _ labels: [String]) -> String {
    let width = renderer.width - 2
    var lines: [String] = []
    var line = lead
    for (index, label) in labels.enumerated() {
      let item = label + (index == labels.count - 1 ? ":" : ",")
      if line.isEmpty {
        line = item
      } else if DisplayWidth.of(line) + 1 + DisplayWidth.of(item) <= width {
        line += " " + item
      } else {
        lines.append(line)
        line = item
      }
    }
    lines.append(line)
    return lines.map { wrapped($0, indent: "  ") }.joined(separator: "\n") + " "
  }

  private func attributes(_ code: Int...) -> TextAttributes {
    guard style.color else { return .none }
    return code.reduce(TextAttributes.none) { $0.adding($1) }
  }

  private func encode(_ text: StyledText) -> String { text.encoded(color: style.color, hyperlinks: false) }

  static func seconds(_ t: TimeInterval) -> String {
    t < 1 ? "\(Int(t * 1000))ms" : t == t.rounded() ? "\(Int(t))s" : String(format: "%.1fs", t)
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
      io.write(
        wrapped(
          StyledText("↷ \(what): \(Sanitizer.terminal(reason, keepNewlines: false))", attributes(SGR.dim)),
          indent: "  ", rest: "    ") + "\n")
    }
  }

  private func showDerived() {
    for input in session.runbook.inputs where input.isDerived && !shownDerived.contains(input.id) {
      if let value = session.displayValues[input.id] {
        shownDerived.insert(input.id)
        var line = StyledText(Sanitizer.terminal(input.label, keepNewlines: false) + ":", attributes(SGR.dim))
        line.append(" " + Sanitizer.terminal(value, keepNewlines: false))
        io.write(wrapped(line, indent: "  ", rest: "    ") + "\n")
      }
    }
  }

  private func bold(_ s: String) -> String { style.color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  private func dim(_ s: String) -> String { style.color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
  private func colour(_ s: String, _ code: Int) -> String { style.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}

/// The status line of the command running now, if any (set and cleared on the session's thread,
/// read from the command's output callback).
final class OutputSink: @unchecked Sendable {
  private let lock = NSLock()
  private var current: LiveStatus?

  var status: LiveStatus? {
    get { lock.withLock { current } }
    set { lock.withLock { current = newValue } }
  }
}
