import Foundation
import RunbookCore

/// `runbook status` as plain text a support engineer can paste into a ticket, and as JSON.
public enum StatusText {
  public static func render(_ s: RunSummary, resumeCommand: String) -> String {
    var out: [String] = []
    func clean(_ t: String) -> String { Sanitizer.terminal(t, keepNewlines: false) }
    let c = s.counts
    out.append(clean(s.title))
    out.append("  state:     \(clean(s.statePath))")
    let changed =
      s.runbookChanged.map { $0 ? "changed since the run last used it" : "unchanged" }
      ?? "not found on this machine"
    out.append("  runbook:   \(clean(s.runbookPath)) (sha256 \(s.sha256.prefix(12)); \(changed))")
    out.append("  outcome:   \(s.outcome.rawValue)")
    out.append(
      "  progress:  \(c.done) done, \(c.skipped) skipped, \(c.failed) failed, \(c.pending) pending of \(c.total) (\(s.percent)%)"
    )
    if let pages = s.pages, pages.total > 0 {
      let plural = pages.total == 1 ? "" : "s"
      out.append("  pages:     \(pages.read) of \(pages.total) reading page\(plural) read")
    }
    if let current = s.current {
      out.append(
        "  current:   step \(clean(current.number)) · \(clean(current.title)) (\(clean(current.id)))")
    }
    if let at = s.lastActivity {
      out.append("  last:      \(clean(s.lastOperator ?? "?")), \(JournalDateFormat.seconds(at))")
    }
    if let started = s.started { out.append("  started:   \(JournalDateFormat.seconds(started))") }
    if let finished = s.finished { out.append("  finished:  \(JournalDateFormat.seconds(finished))") }
    out.append("  operators: \(s.operators.map(clean).joined(separator: ", "))")
    let given = s.inputs.filter { $0.value != nil }
    if !given.isEmpty {
      out.append("  inputs:")
      for input in given {
        out.append("    \(input.id) = \(clean(input.value ?? ""))\(input.derived ? " (derived)" : "")")
        for earlier in input.earlier {
          out.append(
            "      earlier: \(earlier.value.map(clean) ?? "(secret)") (\(clean(earlier.by)), \(JournalDateFormat.seconds(earlier.at)))"
          )
        }
      }
    }
    let skipped = s.steps.filter { $0.status == .skipped }
    if !skipped.isEmpty {
      out.append("  skipped:")
      for step in skipped {
        out.append(
          "    step \(clean(step.number)) (\(clean(step.id))) by \(clean(step.by ?? "?")): \(clean(step.reason ?? ""))"
        )
      }
    }
    // A completed run's failed checks are among its exceptions: each failure is listed once.
    let failed = s.finished == nil ? s.failedChecks : []
    if !s.exceptions.isEmpty {
      out.append("  exceptions:")
      for exception in s.exceptions { out.append("    " + clean(exception.line)) }
    }
    if !failed.isEmpty {
      out.append("  failed checks:")
      for check in failed {
        out.append(
          "    \(clean(check.step)) at \(JournalDateFormat.seconds(check.at)) by \(clean(check.by)): \(clean(check.reason ?? "failed"))"
        )
        let lines = check.output.split(separator: "\n", omittingEmptySubsequences: false).suffix(10)
        for line in lines where !line.isEmpty { out.append("      | " + clean(String(line))) }
      }
    }
    if !s.notes.isEmpty {
      out.append("  notes:")
      for note in s.notes {
        out.append(
          "    \(note.step.map { clean($0) + ", " } ?? "")\(clean(note.by)), \(JournalDateFormat.seconds(note.at)): \(clean(note.text))"
        )
      }
    }
    for warning in s.warnings { out.append("  warning:   \(clean(warning))") }
    if s.outcome != .completed, s.outcome != .completedWithExceptions {
      var need: [String] = []
      if c.pending + c.failed > 0 {
        need.append("\(c.pending + c.failed) step\(c.pending + c.failed == 1 ? "" : "s") to finish")
      }
      if !s.missingInputs.isEmpty {
        need.append("inputs still needed: \(s.missingInputs.joined(separator: ", "))")
      }
      if !failed.isEmpty { need.append("failing checks to fix") }
      out.append("  to finish: \(need.isEmpty ? "confirm the end" : need.joined(separator: "; "))")
      if let holder = s.holder {
        out.append(
          "  in progress: \(clean(holder.operator)) (pid \(holder.pid) on \(clean(holder.host))) since \(JournalDateFormat.seconds(holder.since)); resume it once they stop: \(clean(resumeCommand))"
        )
      } else {
        out.append("  resume:    \(clean(resumeCommand))")
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}

extension RunSummary: Encodable {
  enum CodingKeys: String, CodingKey {
    case statePath, title
    case runbookID = "runbookId"
    case runbookPath, sha256, runbookChanged, outcome, started, finished,
      lastActivity, lastOperator, operators, steps, pages, inputs, ran, notes, current, missingInputs,
      warnings, progress, inProgress, exceptions
  }

  struct Progress: Encodable {
    var done, skipped, failed, pending, total, percent: Int
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(statePath, forKey: .statePath)
    try c.encode(title, forKey: .title)
    try c.encode(runbookID, forKey: .runbookID)
    try c.encode(runbookPath, forKey: .runbookPath)
    try c.encode(sha256, forKey: .sha256)
    try c.encodeIfPresent(runbookChanged, forKey: .runbookChanged)
    try c.encode(outcome, forKey: .outcome)
    try c.encodeIfPresent(started, forKey: .started)
    try c.encodeIfPresent(finished, forKey: .finished)
    try c.encodeIfPresent(lastActivity, forKey: .lastActivity)
    try c.encodeIfPresent(lastOperator, forKey: .lastOperator)
    try c.encode(operators, forKey: .operators)
    try c.encode(steps, forKey: .steps)
    try c.encodeIfPresent(pages, forKey: .pages)
    try c.encode(inputs, forKey: .inputs)
    try c.encode(ran, forKey: .ran)
    try c.encode(exceptions, forKey: .exceptions)
    try c.encode(notes, forKey: .notes)
    try c.encodeIfPresent(current, forKey: .current)
    try c.encodeIfPresent(holder, forKey: .inProgress)
    try c.encode(missingInputs, forKey: .missingInputs)
    try c.encode(warnings, forKey: .warnings)
    let n = counts
    try c.encode(
      Progress(
        done: n.done, skipped: n.skipped, failed: n.failed, pending: n.pending, total: n.total,
        percent: percent), forKey: .progress)
  }

  /// Pretty JSON with sorted keys and ISO 8601 UTC dates.
  public static func json(_ summaries: [RunSummary]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, enc in
      var single = enc.singleValueContainer()
      try single.encode(JournalDateFormat.timestamp(date))
    }
    return String(decoding: (try? encoder.encode(summaries)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
  }
}
