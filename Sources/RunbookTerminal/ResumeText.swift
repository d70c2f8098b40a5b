import Foundation
import RunbookCore
import RunbookEngine

/// What an admin sees when a run resumes: what is done, by whom and when, and what changed.
public enum ResumeText {
  public static func render(
    _ runbook: Runbook, _ state: RunState, _ resumption: Session.Resumption, style: TerminalStyle
  ) -> String {
    let steps = runbook.allSteps
    let done = steps.filter { state.status(of: $0.id) == .done }.count
    let skipped = steps.filter { state.status(of: $0.id) == .skipped }.count
    var lines = [
      "Resuming \(Sanitizer.terminal(runbook.title, keepNewlines: false)): \(done) of \(steps.count) steps done\(skipped > 0 ? ", \(skipped) skipped" : "")."
    ]
    if !state.operators.isEmpty {
      lines.append("  by \(state.operators.map { Sanitizer.terminal($0) }.joined(separator: ", "))")
    }
    if let last = state.lastEvent {
      lines.append(
        "  last activity: \(Sanitizer.terminal(last.operator)), \(JournalDateFormat.seconds(last.at))")
    }
    if resumption.runbookChanged { lines.append("  The runbook changed since the state was written.") }
    if !resumption.reopened.isEmpty {
      lines.append("  Reopened because they changed: \(resumption.reopened.joined(separator: ", "))")
    }
    if !resumption.removed.isEmpty {
      lines.append("  No longer in the runbook: \(resumption.removed.joined(separator: ", "))")
    }
    for (id, why) in resumption.invalidInputs.sorted(by: { $0.key < $1.key }) {
      lines.append("  Input \(id) will be asked again: \(Sanitizer.terminal(why, keepNewlines: false))")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
