import Foundation
import RunbookEngine

/// A ``Timeline`` as text, one line per session and pause, for the Markdown report and the SVG's
/// description: who drove the run, when, what got done, and how each session ended.
enum TimelineText {
  static func lines(_ timeline: Timeline) -> [String] {
    var lines: [String] = []
    for (index, session) in timeline.sessions.enumerated() {
      if index > 0 {
        lines.append(pause(session.start.timeIntervalSince(timeline.sessions[index - 1].end)))
      }
      let handover =
        index > 0 && timeline.sessions[index - 1].operatorName != session.operatorName ? " (handed over)" : ""
      var what: [String] = []
      if !session.done.isEmpty { what.append("done \(steps(session.done))") }
      if !session.skipped.isEmpty { what.append("skipped \(steps(session.skipped))") }
      if session.failedChecks > 0 {
        what.append("\(session.failedChecks) failed check\(session.failedChecks == 1 ? "" : "s")")
      }
      let ms = Int(session.end.timeIntervalSince(session.start) * 1000)
      lines.append(
        "Session \(index + 1): \(session.operatorName)\(session.host.map { " on \($0)" } ?? "")\(handover), "
          + "\(ReportText.time(session.start)) for \(ReportText.duration(ms))"
          + (what.isEmpty ? "" : "; " + what.joined(separator: ", ")) + "; \(session.ending.rawValue)")
    }
    return lines
  }

  /// `step 3`, `steps 1, 2, 4`.
  static func steps(_ labels: [String]) -> String {
    (labels.count == 1 ? "step " : "steps ") + labels.joined(separator: ", ")
  }

  /// `paused 2 d 3 h`, `paused 5 min`.
  static func pause(_ seconds: TimeInterval) -> String {
    let s = Int(max(seconds, 0))
    switch s {
    case ..<60: return "paused \(s) s"
    case ..<3600: return "paused \(s / 60) min"
    case ..<86_400: return "paused \(s / 3600) h \(s / 60 % 60) min"
    default: return "paused \(s / 86_400) d \(s / 3600 % 24) h"
    }
  }

  /// `10:01` (UTC).
  static func clock(_ date: Date) -> String {
    String(JournalDateFormat.seconds(date).dropFirst(11).prefix(5))
  }
}
