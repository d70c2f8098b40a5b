import Foundation
import RunbookCore
import RunbookEngine

/// A JSON value whose object keys are always written, `null` included, so every key of the
/// schema in docs/report.md is present in every report. Serialized here rather than by
/// `JSONEncoder`, so the bytes are the same on every platform: keys sorted, two-space indent,
/// `[]` and `{}` for empty containers, control characters and U+2028/U+2029 escaped.
enum JSONValue {
  case string(String)
  case int(Int)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([String: JSONValue])

  func serialized(indent: String = "") -> String {
    switch self {
    case .string(let s): return Self.quote(s)
    case .int(let n): return String(n)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let items):
      if items.isEmpty { return "[]" }
      let inner = indent + "  "
      return "[\n" + items.map { inner + $0.serialized(indent: inner) }.joined(separator: ",\n") + "\n"
        + indent + "]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      let inner = indent + "  "
      return "{\n"
        + members.sorted { $0.key < $1.key }.map {
          inner + Self.quote($0.key) + ": " + $0.value.serialized(indent: inner)
        }
        .joined(separator: ",\n") + "\n" + indent + "}"
    }
  }

  static func quote(_ s: String) -> String { JSONString.quote(s) }

  static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
  static func number(_ n: Int?) -> JSONValue { n.map(JSONValue.int) ?? .null }
  static func flag(_ b: Bool?) -> JSONValue { b.map(JSONValue.bool) ?? .null }
  static func time(_ d: Date?) -> JSONValue { d.map { .string(JournalDateFormat.timestamp($0)) } ?? .null }
  static func texts(_ a: [String]) -> JSONValue { .array(a.map(JSONValue.string)) }
}

extension Report {
  /// The JSON document: indented with sorted keys, dates as `2026-11-28T10:15:30.123Z`
  /// (UTC), every key present (`null` when unknown). Schema: docs/report.md.
  public func json() -> String {
    jsonValue.serialized() + "\n"
  }

  var jsonValue: JSONValue {
    func stepRef(_ ref: StepRef?) -> JSONValue {
      guard let ref else { return .null }
      return .object(["number": .string(ref.number), "id": .string(ref.id), "title": .string(ref.title)])
    }
    func step(_ s: StepEntry) -> JSONValue {
      .object([
        "number": .string(s.number), "id": .string(s.id), "title": .string(s.title),
        "status": .string(s.status),
        "by": .text(s.by), "at": .time(s.at), "durationMs": .number(s.durationMs), "reason": .text(s.reason),
        "notes": .texts(s.notes),
      ])
    }
    func ranValue(_ r: RanEntry) -> JSONValue {
      .object([
        "kind": .string(r.kind), "step": stepRef(r.step), "command": .string(r.command),
        "exitStatus": .number(r.exitStatus), "passed": .flag(r.passed), "result": .string(r.result),
        "reason": .text(r.reason), "durationMs": .number(r.durationMs), "output": .string(r.output),
        "omittedLines": .int(r.omittedLines), "by": .string(r.by), "at": .time(r.at),
      ])
    }
    let remainingValue: JSONValue =
      remaining.map { left in
        .object([
          "steps": .array(left.steps.map(step)),
          "missingInputs": .array(
            left.missingInputs.map { .object(["id": .string($0.id), "label": .string($0.label)]) }),
          "failedChecks": .array(left.failedChecks.map(ranValue)),
          "resumeCommand": .string(left.resumeCommand),
        ])
      } ?? .null
    return .object([
      "format": .string(Self.formatName), "version": .int(Self.schemaVersion), "title": .string(title),
      "outcome": .string(outcome.rawValue), "statePath": .string(statePath),
      "runbook": .object([
        "id": .string(runbook.id), "path": .string(runbook.path), "sha256": .string(runbook.sha256),
        "currentSha256": .text(runbook.currentSHA256), "found": .bool(runbook.found),
        "changed": .bool(runbook.changed),
      ]),
      "started": .time(started), "finished": .time(finished), "lastActivity": .time(lastActivity),
      "durationMs": .number(durationMs), "operators": .texts(operators),
      "progress": .object([
        "done": .int(progress.done), "skipped": .int(progress.skipped), "failed": .int(progress.failed),
        "pending": .int(progress.pending), "total": .int(progress.total), "percent": .int(progress.percent),
        "pagesRead": .int(progress.pagesRead), "pages": .int(progress.pages),
      ]),
      "steps": .array(steps.map(step)),
      "inputs": .array(
        inputs.map {
          .object([
            "id": .string($0.id), "label": .string($0.label), "value": .text($0.value),
            "secret": .bool($0.secret),
            "derived": .bool($0.derived), "provided": .bool($0.provided), "by": .text($0.by),
            "earlier": .array(
              $0.earlier.map {
                .object(["value": .text($0.value), "by": .string($0.by), "at": .time($0.at)])
              }),
          ])
        }),
      "tables": .array(
        tables.map {
          .object([
            "location": .string($0.location), "step": stepRef($0.step), "section": .text($0.section),
            "header": .texts($0.header), "rows": .array($0.rows.map(JSONValue.texts)),
          ])
        }),
      "ran": .array(ran.map(ranValue)),
      "exceptions": .texts(exceptions),
      "notes": .array(
        notes.map {
          .object([
            "step": stepRef($0.step), "text": .string($0.text), "by": .string($0.by), "at": .time($0.at),
          ])
        }),
      "remaining": remainingValue,
      "integrity": .object([
        "chainHead": .text(integrity.chainHead), "verified": .bool(integrity.verified),
        "events": .int(integrity.events), "problem": .text(integrity.problem),
        "warnings": .texts(integrity.warnings),
      ]),
      "journalOnly": .bool(journalOnly), "warnings": .texts(warnings),
      "timeline": .object([
        "sessions": .array(
          timeline.sessions.map {
            .object([
              "operator": .string($0.operatorName), "host": .text($0.host), "start": .time($0.start),
              "end": .time($0.end), "ending": .string($0.ending.rawValue), "done": .texts($0.done),
              "skipped": .texts($0.skipped), "failedChecks": .int($0.failedChecks),
            ])
          }),
        "steps": .array(
          timeline.rows.map {
            .object([
              "label": .string($0.label), "id": .string($0.id),
              "spans": .array(
                $0.spans.map {
                  .object([
                    "start": .time($0.start), "end": .time($0.end), "operator": .string($0.operatorName),
                  ])
                }),
              "marks": .array(
                $0.marks.map {
                  .object([
                    "kind": .string($0.kind.rawValue), "at": .time($0.at),
                    "operator": .string($0.operatorName),
                  ])
                }),
            ])
          }),
      ]),
    ])
  }
}
