import Foundation
import RunbookCore

/// One event as a line a person reads: `10:01:12 alice@laptop  step 3 done`. Used by
/// `runbook status --follow` to show a run as it happens. Values come from the event as
/// recorded (the session already masked secrets); the caller sanitises for its screen.
public enum EventText {
  /// `steps` names step ids as a reader sees them (number and title), when the runbook is known.
  public static func line(_ e: Event, steps: [String: String] = [:]) -> String {
    let time = String(JournalDateFormat.seconds(e.at).dropFirst(11).prefix(8))
    return "\(time) \(e.operator)  \(describe(e, steps: steps))"
  }

  static func describe(_ e: Event, steps: [String: String]) -> String {
    let step = e.step.map { steps[$0] ?? "step \($0)" } ?? e.page.map { "page \($0)" } ?? "the run"
    switch e.type {
    case .started: return "started the run on \(e.host ?? "?")"
    case .resumed: return "resumed the run on \(e.host ?? "?")"
    case .runbookChanged: return "found the guide changed (\(e.text ?? ""))"
    case .stepReopened: return "\(step) reopened: \(e.reason ?? "")"
    case .movedTo: return "moved to \(step)"
    case .preconditionAcknowledged: return "acknowledged precondition \((e.index ?? 0) + 1)"
    case .stepStarted: return "\(step) reached"
    case .pageRead: return "\(step) read"
    case .input:
      // An input event with a command index holds what a `{run capture=…}` command printed.
      return "\(e.index == nil ? "answered" : "\(step): captured") \(e.input ?? "?")\(value(e))"
    case .inputChanged: return "changed \(e.input ?? "?")\(value(e))"
    case .rowConfirmed: return "\(step): confirmed row \((e.index ?? 0) + 1) of table \((e.table ?? 0) + 1)"
    case .commandStarted: return "\(step): command started"
    case .checkStarted: return "\(step): check started"
    case .command, .check:
      let what = e.type == .check ? "check" : "command"
      if e.passed == true { return "\(step): \(what) passed" }
      if e.passed == nil { return "\(step): \(what) \(e.reason ?? "not run")" }
      return "\(step): \(what) failed: \(e.reason ?? "")"
    case .note: return "note on \(step): \(e.text ?? "")"
    case .stepDone: return "\(step) done" + (e.reason.map { " anyway: \($0)" } ?? "")
    case .stepSkipped: return "\(step) skipped: \(e.reason ?? "")"
    case .paused: return "saved and quit"
    case .interrupted: return "interrupted: \(e.reason ?? "")"
    case .completed: return "completed the run"
    case .failed: return "failed: \(e.reason ?? "")"
    }
  }

  private static func value(_ e: Event) -> String {
    if e.secret == true { return " (secret)" }
    guard let value = e.value else { return "" }
    return " = \(value)" + (e.from.map { " (was \($0))" } ?? "")
  }
}
