import RunbookMarkdown

/// A complete, stable text form of a compiled runbook, for the compiler's fixture tests (the
/// `.dump` files beside `Tests/RunbookCoreTests/Fixtures/compiler/*.md`) and the compiler's
/// fuzzer; no command prints it.
public enum RunbookDump {
  public static func render(_ runbook: Runbook) -> String {
    var out = ""
    func line(_ depth: Int, _ text: String) {
      out += String(repeating: "  ", count: depth) + Sanitizer.terminal(text, keepNewlines: false) + "\n"
    }
    func q(_ text: String) -> String {
      "\""
        + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
    func at(_ l: SourceLocation) -> String { "@\(l.line):\(l.column)" }

    func content(_ items: [Content], _ d: Int) {
      for item in items {
        switch item {
        case .paragraph(let inlines, let r): line(d, "paragraph \(at(r.start)) \(q(inlines.plainText))")
        case .heading(let level, let inlines, let r):
          line(d, "heading h\(level) \(at(r.start)) \(q(inlines.plainText))")
        case .list(let l):
          line(d, "list \(l.ordered ? "ordered start=\(l.start)" : "bullet") \(at(l.range.start))")
          for entry in l.items {
            line(d + 1, "item")
            content(entry, d + 2)
          }
        case .quote(let c, let r):
          line(d, "quote \(at(r.start))")
          content(c, d + 1)
        case .code(let c):
          let attrs = c.attributes.map { "\($0.name)=\(q($0.value))" }.joined(separator: " ")
          line(
            d,
            "code \(at(c.range.start)) lang=\(c.language ?? "-")\(attrs.isEmpty ? "" : " " + attrs) \(q(c.text))"
          )
        case .table(let t):
          line(
            d,
            "table \(at(t.range.start)) header=[\(t.header.map { q($0.cellText) }.joined(separator: ", "))]")
          for row in t.rows { line(d + 1, "row [\(row.map { q($0.cellText) }.joined(separator: ", "))]") }
        case .note(let n):
          line(d, "note \(n.kind)\(n.title.map { " title=" + q($0) } ?? "") \(at(n.range.start))")
          content(n.content, d + 1)
        case .html(let html, let r):
          line(d, "html \(at(r.start)) \(q(html.trimmingCharacters(in: .whitespacesAndNewlines)))")
        case .tabs(let alternatives, let r):
          line(d, "tabs \(at(r.start))")
          for a in alternatives {
            line(d + 1, "alternative \(q(a.label)) value=\(q(a.value))")
            content(a.content, d + 2)
          }
        case .rule(let r): line(d, "rule \(at(r.start))")
        }
      }
    }

    func step(_ s: Step, _ d: Int) {
      var facts = ["id=\(s.id)"]
      if s.pinned { facts.append("pinned") }
      if let task = s.task { facts.append(task == .checked ? "task=checked" : "task=open") }
      if let alt = s.alternative { facts.append("alternative=\(q(alt))") }
      if s.origin.isInferred { facts.append("origin=\(s.origin.rawValue)") }
      if let condition = s.condition { facts.append("if=\(q(condition.description))") }
      line(d, "step \(s.number) \(facts.joined(separator: " ")) \(at(s.range.start)) \(q(s.title))")
      if !s.inputs.isEmpty { line(d + 1, "inputs: \(s.inputs.joined(separator: ", "))") }
      for image in s.images { line(d + 1, "image \(q(image.alt)) \(q(image.source)) \(at(image.location))") }
      content(s.content, d + 1)
      for sub in s.steps { step(sub, d + 1) }
      if !s.closing.isEmpty {
        line(d + 1, "closing:")
        content(s.closing, d + 2)
      }
    }

    func section(_ s: Section, _ d: Int) {
      line(
        d,
        "section h\(s.level) slug=\(s.slug.isEmpty ? "-" : s.slug) \(at(s.range.start)) \(q(s.title))\(s.isInformational ? " informational" : "")\(s.isPrerequisites ? " prerequisites" : "")\(s.condition.map { " if=" + q($0.description) } ?? "")"
      )
      if !s.intro.isEmpty {
        line(d + 1, "intro:")
        content(s.intro, d + 2)
      }
      for st in s.steps { step(st, d + 1) }
      if !s.closing.isEmpty {
        line(d + 1, "closing:")
        content(s.closing, d + 2)
      }
      for sub in s.sections { section(sub, d + 1) }
    }

    line(0, "title: \(q(runbook.title))")
    line(0, "id: \(runbook.id)")
    if let description = runbook.description { line(0, "description: \(q(description))") }
    for note in runbook.preconditions {
      line(
        0,
        "precondition \(note.kind)\(note.title.map { " title=" + q($0) } ?? "") \(at(note.range.start)) \(q(note.text))"
      )
    }
    for input in runbook.inputs {
      var facts = [input.declared ? "declared" : "implicit", "type=\(input.kind.rawValue)"]
      if input.secret { facts.append("secret") }
      if !input.required { facts.append("optional") }
      if let v = input.value { facts.append("value=\(q(v))") }
      if let v = input.defaultValue { facts.append("default=\(q(v))") }
      if let v = input.pattern { facts.append("pattern=\(q(v))") }
      if !input.choices.isEmpty { facts.append("choices=\(input.choices.joined(separator: "|"))") }
      if let v = input.ask { facts.append("ask=\(v)") }
      facts.append("first=\(input.firstUsedIn ?? "-")")
      if let used = input.firstUsedAt { facts.append("used\(at(used))") }
      line(0, "input \(input.id) \(q(input.label)) \(facts.joined(separator: " "))")
    }
    if !runbook.intro.isEmpty {
      line(0, "intro:")
      content(runbook.intro, 1)
    }
    for s in runbook.sections { section(s, 0) }
    for d in runbook.diagnostics {
      line(0, "diagnostic \(d.line):\(d.column) \(d.severity.rawValue) \(d.code): \(d.message)")
    }
    return out
  }
}
