/// What an operator asks of the run from a form or the API, before it is checked against the
/// prompt the run is at.
enum RunAction: Sendable, Equatable {
  case acknowledge
  /// Values for the inputs asked now, by input id (answered in the order the run asks them).
  case values([String: String])
  /// Confirms these rows (`"table:row"`) of the current table, in order.
  case confirmRows(Set<String>)
  case confirmAll
  /// Runs the command or check offered now (or retries a failed check).
  case run
  /// Declines the command offered now.
  case notNow
  case done
  /// Finishes a step although one of its commands failed, saying why.
  case doneDespite(reason: String)
  case skip(reason: String)
  case back
  case note(String)
  /// Saves and leaves: the run is paused and released for anyone to resume.
  case quit
  /// Changes an input's recorded answer; the steps that used it reopen.
  case change(input: String, value: String)

  /// The form's or API's name of the action.
  static func named(
    _ name: String, values: [String: String] = [:], rows: Set<String> = [], reason: String = "",
    text: String = "", input: String = ""
  ) -> RunAction? {
    switch name {
    case "acknowledge": return .acknowledge
    case "values", "value": return .values(values)
    case "confirm-rows", "confirm": return .confirmRows(rows)
    case "confirm-all": return .confirmAll
    case "run", "retry": return .run
    case "not-now": return .notNow
    case "done": return .done
    case "done-despite": return .doneDespite(reason: reason)
    case "change": return .change(input: input, value: text)
    case "skip": return .skip(reason: reason)
    case "back": return .back
    case "note": return .note(text)
    case "quit": return .quit
    default: return nil
    }
  }

  /// True when the action only makes sense at the prompt the page showed (a stale page or a
  /// double click must not finish or skip the wrong step).
  var needsPrompt: Bool {
    switch self {
    case .quit, .change: return false
    default: return true
    }
  }
}
