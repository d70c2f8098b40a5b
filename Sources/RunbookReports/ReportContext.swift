import Foundation

/// The Mustache context of a report (documented in docs/report.md): dictionaries, arrays,
/// booleans, numbers and ``ReportText`` strings. Every key an item can have is always present,
/// so a missing value never falls through to an outer one with the same name.
enum ReportContext {
  static func make(_ report: Report) -> [String: Any] {
    func text(_ value: String?) -> ReportText { ReportText(value ?? "") }
    func texts(_ values: [String]) -> [ReportText] { values.map(ReportText.init) }

    func step(_ s: Report.StepEntry) -> [String: Any] {
      [
        "number": text(s.number), "id": text(s.id), "title": text(s.title),
        "label": text(s.number.isEmpty ? s.id : s.number), "status": text(s.status),
        "isDone": s.status == "done", "isSkipped": s.status == "skipped", "isFailed": s.status == "failed",
        "isPending": s.status == "pending", "by": text(s.by), "at": text(ReportText.time(s.at)),
        "duration": text(ReportText.duration(s.durationMs)), "reason": text(s.reason),
        "notes": texts(s.notes), "hasNotes": !s.notes.isEmpty,
      ]
    }
    func stepKeys(_ ref: Report.StepRef?) -> [String: Any] {
      [
        "stepNumber": text(ref?.number), "stepId": text(ref?.id), "stepTitle": text(ref?.title),
        "stepLabel": text(ref.map { $0.number.isEmpty ? $0.id : $0.number }),
      ]
    }
    func ran(_ r: Report.RanEntry, number: Int) -> [String: Any] {
      let lines =
        r.output.isEmpty ? 0 : r.output.split(separator: "\n", omittingEmptySubsequences: false).count
      return stepKeys(r.step).merging([
        "number": number, "kind": text(r.kind), "command": text(r.command),
        "exitStatus": text(r.exitStatus.map(String.init)), "result": text(r.result),
        "passed": r.result == "passed", "failed": r.result == "failed", "notRun": r.result == "not run",
        "reason": text(r.reason), "duration": text(ReportText.duration(r.durationMs)),
        "output": text(r.output),
        "hasOutput": !r.output.isEmpty, "outputLines": lines, "omittedLines": r.omittedLines,
        "truncated": r.omittedLines > 0, "by": text(r.by), "at": text(ReportText.time(r.at)),
      ]) { _, new in new }
    }

    var context: [String: Any] = [
      "format": text(Report.formatName), "version": Report.schemaVersion, "generator": text("runbook"),
      "title": text(report.title), "outcome": text(report.outcome.rawValue),
      "outcomeClass": text(report.outcome.rawValue.replacingOccurrences(of: " ", with: "-")),
      "exceptions": texts(report.exceptions), "hasExceptions": !report.exceptions.isEmpty,
      "isCompleted": report.outcome == .completed || report.outcome == .completedWithExceptions,
      "isPartial": report.outcome == .partial,
      "isFailed": report.outcome == .failed, "isInterrupted": report.outcome == .interrupted,
      "statePath": text(report.statePath), "journalOnly": report.journalOnly,
      "started": text(ReportText.time(report.started)), "finished": text(ReportText.time(report.finished)),
      "lastActivity": text(ReportText.time(report.lastActivity)),
      "duration": text(ReportText.duration(report.durationMs)),
      "operators": texts(report.operators), "operatorList": text(report.operators.joined(separator: ", ")),
      "steps": report.steps.map(step), "hasSteps": !report.steps.isEmpty,
      "inputs": report.inputs.map { input -> [String: Any] in
        [
          "id": text(input.id), "label": text(input.label), "value": text(input.value),
          "secret": input.secret,
          "derived": input.derived, "provided": input.provided, "by": text(input.by),
          "changed": !input.earlier.isEmpty,
          "earlier": input.earlier.map { earlier -> [String: Any] in
            [
              "value": text(earlier.value ?? "(secret)"), "by": text(earlier.by),
              "at": text(ReportText.time(earlier.at)),
            ]
          },
        ]
      },
      "hasInputs": !report.inputs.isEmpty,
      "tables": report.tables.map { table -> [String: Any] in
        stepKeys(table.step).merging([
          "location": text(table.location), "section": text(table.section), "header": texts(table.header),
          "rows": table.rows.map { ["cells": texts($0)] }, "columns": table.header.count,
        ]) { _, new in new }
      },
      "hasTables": !report.tables.isEmpty,
      "ran": report.ran.enumerated().map { ran($1, number: $0 + 1) }, "hasRan": !report.ran.isEmpty,
      "notes": report.notes.map { note -> [String: Any] in
        stepKeys(note.step).merging([
          "text": text(note.text), "by": text(note.by), "at": text(ReportText.time(note.at)),
        ]) { _, new in new }
      },
      "hasNotes": !report.notes.isEmpty,
      "warnings": texts(report.warnings), "hasWarnings": !report.warnings.isEmpty,
      "hasTimeline": !report.timeline.sessions.isEmpty,
      "timelineLines": texts(TimelineText.lines(report.timeline)),
      // Markup built by TimelineSVG, which escapes every text in it: for {{{timelineSVG}}}.
      "timelineSVG": TimelineSVG.render(
        report.timeline, summary: TimelineText.lines(report.timeline).joined(separator: ". ")),
    ]
    let progress = report.progress
    context["progress"] = [
      "done": progress.done, "skipped": progress.skipped, "failed": progress.failed,
      "pending": progress.pending, "total": progress.total, "percent": progress.percent,
      "finished": progress.done + progress.skipped,
      "pagesRead": progress.pagesRead, "pages": progress.pages, "hasPages": progress.pages > 0,
    ]
    let runbook = report.runbook
    context["runbook"] = [
      "id": text(runbook.id), "path": text(runbook.path), "sha256": text(runbook.sha256),
      "sha256Short": text(String(runbook.sha256.prefix(12))), "currentSha256": text(runbook.currentSHA256),
      "found": runbook.found, "changed": runbook.changed,
    ]
    if let remaining = report.remaining {
      context["remaining"] =
        [
          "steps": remaining.steps.map(step), "hasSteps": !remaining.steps.isEmpty,
          "missingInputs": remaining.missingInputs.map { ["id": text($0.id), "label": text($0.label)] },
          "hasMissingInputs": !remaining.missingInputs.isEmpty,
          "failedChecks": remaining.failedChecks.enumerated().map { ran($1, number: $0 + 1) },
          "hasFailedChecks": !remaining.failedChecks.isEmpty, "resumeCommand": text(remaining.resumeCommand),
        ] as [String: Any]
    } else {
      context["remaining"] = false
    }
    let integrity = report.integrity
    context["integrity"] =
      [
        "chainHead": text(integrity.chainHead), "verified": integrity.verified, "events": integrity.events,
        "problem": text(integrity.problem), "warnings": texts(integrity.warnings),
        "hasWarnings": !integrity.warnings.isEmpty,
      ] as [String: Any]
    return context
  }
}
