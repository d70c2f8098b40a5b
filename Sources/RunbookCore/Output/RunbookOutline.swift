import RunbookMarkdown

/// The outline `runbook show` prints: how the engine read a guide, in the guide's order.
/// Every piece of document text passes through ``Sanitizer/terminal(_:keepNewlines:)``.
public enum RunbookOutline {
  public static func render(_ runbook: Runbook) -> String {
    var out = ""
    func line(_ text: String = "") { out += text + "\n" }
    func clean(_ text: String) -> String { Sanitizer.terminal(text, keepNewlines: false) }
    func firstLine(_ text: String, limit: Int = 72) -> String {
      let first = clean(text.split(separator: "\n").first.map(String.init) ?? "")
      return first.count > limit ? String(first.prefix(limit - 1)) + "…" : first
    }

    line(clean(runbook.title))
    line("  file: \(clean(runbook.file))  id: \(clean(runbook.id))")
    let steps = runbook.allSteps
    line(
      "  \(steps.count) step\(steps.count == 1 ? "" : "s") in \(runbook.allSections.count) section\(runbook.allSections.count == 1 ? "" : "s")"
    )

    if !runbook.preconditions.isEmpty {
      line()
      line("Preconditions")
      for note in runbook.preconditions {
        line(
          "  [\(note.kind)] \(firstLine(note.title.map { "\($0): " + note.text } ?? note.text))  (line \(note.range.start.line))"
        )
      }
    }

    if !runbook.inputs.isEmpty {
      line()
      line("Inputs")
      let width = min(runbook.inputs.map(\.id.count).max() ?? 0, 28)
      for input in runbook.inputs {
        var facts: [String] = []
        if input.secret { facts.append("secret") }
        if input.isDerived { facts.append("derived") }
        if !input.required { facts.append("optional") }
        if input.kind != .text { facts.append(input.kind.rawValue) }
        let where_: String
        if input.isDerived {
          where_ = "= \(clean(input.value ?? ""))"
        } else if let step = input.firstUsedIn {
          where_ = "first used in \(clean(step))"
        } else if input.firstUsedAt != nil {
          where_ = "first used at line \(input.firstUsedAt!.line)"
        } else {
          where_ = "not used"
        }
        let label = clean(input.label) + (facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))")
        line(
          "  \(input.id.padding(toLength: max(width, input.id.count), withPad: " ", startingAt: 0))  \(label) · \(where_)"
        )
      }
    }

    func markers(_ body: [Content], indent: String) {
      for table in body.collect({ if case .table(let t) = $0 { t } else { nil } }) {
        line(
          "\(indent)· table: \(table.header.map { clean($0.plainText) }.joined(separator: " | ")) (\(table.rows.count) row\(table.rows.count == 1 ? "" : "s"))"
        )
      }
      for code in body.collect({ if case .code(let c) = $0 { c } else { nil } }) {
        let kind = code.isCheck ? "check" : code.isCommand ? "command" : "code"
        let attrs = code.attributes.map { $0.value == "true" ? $0.name : "\($0.name)=\($0.value)" }
        let info = ([code.language ?? ""] + (attrs.isEmpty ? [] : ["{\(attrs.joined(separator: " "))}"]))
          .filter { !$0.isEmpty }.joined(separator: " ")
        line(
          "\(indent)· \(kind): \(clean(info.isEmpty ? "text" : info)), \(code.text.split(separator: "\n", omittingEmptySubsequences: false).count - (code.text.hasSuffix("\n") ? 1 : 0)) line(s)"
        )
      }
      for image in body.images {
        line(
          "\(indent)· image: \(image.alt.isEmpty ? "(no alt text)" : "“" + clean(image.alt) + "”") \(clean(image.source))"
        )
      }
      for note in body.collect(descendIntoNotes: false, { if case .note(let n) = $0 { n } else { nil } }) {
        line("\(indent)· note [\(note.kind)]: \(firstLine(note.title ?? note.text, limit: 60))")
      }
      for case .tabs(let alternatives, _) in body {
        line("\(indent)· alternatives: \(alternatives.map { clean($0.label) }.joined(separator: " | "))")
      }
    }

    func render(_ step: Step, depth: Int) {
      let indent = String(repeating: "   ", count: depth) + "  "
      let box = step.task.map { $0 == .checked ? "[x] " : "[ ] " } ?? ""
      let alt = step.alternative.map { "[\(clean($0))] " } ?? ""
      let title = step.title.isEmpty ? "(no text)" : firstLine(step.title)
      line("\(indent)\(alt)\(step.number). \(box)\(title)  {\(clean(step.id))}")
      if !step.inputs.isEmpty {
        line("\(indent)   · asks: \(step.inputs.map { "<\($0)>" }.joined(separator: ", "))")
      }
      markers(step.body, indent: indent + "   ")
      for sub in step.steps { render(sub, depth: depth + 1) }
    }

    func render(_ section: Section) {
      line()
      let hashes = String(repeating: "#", count: max(section.level, 1))
      let title = section.title.isEmpty ? "(before the first heading)" : clean(section.title)
      line(
        "\(hashes) \(title)\(section.isInformational ? "  (information)" : "")  line \(section.range.start.line)"
      )
      markers(section.intro + section.closing, indent: "  ")
      for step in section.steps { render(step, depth: 0) }
      for sub in section.sections { render(sub) }
    }
    for section in runbook.sections { render(section) }

    line()
    if runbook.diagnostics.isEmpty {
      line("No compiler diagnostics (`runbook lint` also checks the authoring rules).")
    } else {
      line("Diagnostics")
      for d in runbook.diagnostics { line("  " + clean(d.formatted)) }
    }
    return out
  }
}
