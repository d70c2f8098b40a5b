import RunbookCore

/// A run's answers as a YAML map of input id to value, the form `--answers` reads: the latest
/// value of every input answered in the run, secrets left out and named in a comment.
public enum AnswersText {
  public static func render(_ contents: JournalContents, run: String) -> String {
    let state = RunState(header: contents.header, events: contents.events)
    var lines = [
      "# Answers of \(comment(contents.header.runbook.title)) (\(comment(run))), for --answers."
    ]
    let secrets = state.inputs.filter { $0.value.secret || $0.value.value == nil }.map(\.key).sorted()
    if !secrets.isEmpty {
      lines.append(
        "# Secrets are not recorded; give them with --set ID=VALUE or RUNBOOK_INPUT_<ID>: "
          + secrets.joined(separator: ", "))
    }
    for (id, record) in state.inputs.sorted(by: { $0.key < $1.key }) {
      guard !record.secret, let value = record.value else { continue }
      lines.append("\(id): \(quoted(value))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A YAML single-quoted scalar: everything literal, `'` doubled.
  static func quoted(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// Text for a YAML comment: one line, no control characters.
  static func comment(_ text: String) -> String {
    Sanitizer.terminal(text, keepNewlines: false)
  }
}
