/// Puts input values into the script of a code block so that no value can escape its quoting:
/// the one place a value meets a command.
///
/// For shell blocks (`sh`, `bash`, `zsh`, `console`, …) every value already travels in the
/// environment as `RUNBOOK_INPUT_<ID>`; each `<placeholder>` is rewritten into a reference to
/// that variable in the form its quoting context needs: `"${RUNBOOK_INPUT_ID}"` in a bare word
/// (and inside `$(…)` and backticks), `${RUNBOOK_INPUT_ID}` inside double quotes and unquoted
/// here-documents, `'"${RUNBOOK_INPUT_ID}"'` inside single quotes (the quote is closed and
/// opened again), `'"${RUNBOOK_INPUT_ID}"$'` inside `$'…'`. An expansion's result is never read
/// again as shell code, so `'`, `"`, `$(…)`, backticks, `;`, `\`, `*` or a leading `-` in a value
/// arrive as exactly those characters. In a quoted here-document (`<<'EOF'`) and in comments
/// nothing is expanded, so the value is written as it is (values never hold a line break).
/// Where a value would be read again as code (an argument of `eval`, of `sh -c`/`bash -c`, of
/// `ssh` or `watch`) there is no safe form: the block is refused (``problems``), and `lint` says
/// so.
///
/// Python blocks get a Python string literal (a bare placeholder) or the string closed and
/// concatenated with one (inside quotes), never shell quoting.
public enum ScriptSubstitution {
  /// A block's script with values in place, and what the admin sees.
  public struct Result: Sendable, Equatable {
    /// What runs.
    public var script: String
    /// What is shown and recorded: values as a reader would write them, secrets as `<name>`.
    public var display: String
    /// Placeholders that have no value yet (their input ids).
    public var missing: [String]
    /// Why the block cannot run safely, one sentence each; empty when it can.
    public var problems: [String]
  }

  /// The languages whose blocks run in a shell.
  public static let shellLanguages: Set<String> = [
    "sh", "bash", "shell", "zsh", "console", "shell-session", "shellsession", "terminal",
  ]
  public static let pythonLanguages: Set<String> = ["python", "python3", "py"]

  /// Substitutes `values` (by input id) into `text`, written in `language` (nil: unlabelled,
  /// read as shell). Placeholders of `secrets` are shown as `<name>`.
  public static func substitute(
    _ text: String, language: String?, values: [String: String], secrets: Set<String>
  ) -> Result {
    let occurrences = Placeholder.scan(text)
    let lower = language?.lowercased()
    let python = lower.map(pythonLanguages.contains) ?? false
    let context: (Int) -> ScriptContext
    if python {
      let contexts = PythonContexts.of(text)
      context = contexts.context(at:)
    } else {
      let contexts = ShellContexts.of(text)
      context = contexts.context(at:)
    }
    var script = ""
    var display = ""
    var missing: [String] = []
    var problems: [String] = []
    let characters = Array(text)
    var cursor = 0
    for occurrence in occurrences where occurrence.offset >= cursor {
      let between = String(characters[cursor..<occurrence.offset])
      script += between
      display += between
      cursor = occurrence.offset + occurrence.name.count + 2
      let written = "<\(occurrence.name)>"
      guard let value = values[occurrence.id] else {
        missing.append(occurrence.id)
        script += written
        display += written
        continue
      }
      let context = context(occurrence.offset)
      let shown = secrets.contains(occurrence.id) ? written : nil
      if python {
        script += pythonForm(value, context)
        display += shown ?? (context == .comment ? value : pythonForm(value, context))
        continue
      }
      let variable = "RUNBOOK_INPUT_" + occurrence.id.uppercased()
      switch context {
      case .reparsed(let by):
        let advice =
          by.contains("ssh")
          ? "the environment does not reach the remote side: pass it as data (a file, standard input)"
          : "use \"$\(variable)\" inside its quoted script instead"
        problems.append("`\(written)` is passed to \(by), which would run the value as code; \(advice)")
        script += written
        display += shown ?? value
      case .literalHeredoc(let delimiter, let line) where line.trimmingSpaces() == written:
        if value == delimiter {
          problems.append("the value of `\(written)` would end its here-document early")
        }
        script += value
        display += shown ?? value
      case .literalHeredoc, .comment:
        script += value
        display += shown ?? value
      case .bare:
        script += "\"${\(variable)}\""
        display += shown ?? ShellQuote.quote(value)
      case .doubleQuoted, .expandingHeredoc:
        script += "${\(variable)}"
        display += shown ?? value
      case .singleQuoted:
        script += "'\"${\(variable)}\"'"
        display += shown ?? value
      case .ansiC:
        script += "'\"${\(variable)}\"$'"
        display += shown ?? value
      case .python:
        script += written
      }
    }
    let rest = String(characters[cursor...])
    script += rest
    display += rest
    return Result(script: script, display: display, missing: missing, problems: problems)
  }

  /// A Python string literal of `value` (JSON's escaping is valid Python), closing and reopening
  /// the string around it when the placeholder sits inside one.
  static func pythonForm(_ value: String, _ context: ScriptContext) -> String {
    let literal = JSONString.quote(value)
    switch context {
    case .python(let quote?): return quote + " " + literal + " " + quote
    case .comment: return value
    default: return literal
    }
  }
}

/// Where a place in a script sits, as its interpreter reads it.
enum ScriptContext: Equatable, Sendable {
  case bare, singleQuoted, doubleQuoted, ansiC, comment, expandingHeredoc
  /// Inside a quoted here-document (`<<'EOF'`): `line` is the whole line the place is on.
  case literalHeredoc(delimiter: String, line: String)
  /// An argument that a command reads again as code: `eval`, `sh -c`, `ssh`, `watch`.
  case reparsed(by: String)
  /// Python: inside a string opened by `quote` (`'`, `"`, `'''`, `"""`, with any prefix), or
  /// nil outside strings.
  case python(quote: String?)
}
