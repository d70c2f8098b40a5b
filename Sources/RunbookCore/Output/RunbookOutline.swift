import RunbookMarkdown

/// The outline `runbook show` prints: how the engine reads a guide, in the guide's order. Every
/// block of the guide appears as a marker under the step or reading page it belongs to.
/// Every piece of document text passes through ``Sanitizer/terminal(_:keepNewlines:)``.
public enum RunbookOutline {
  public static func render(_ runbook: Runbook) -> String {
    var out = OutlineText()
    out.header(runbook)
    if !runbook.preconditions.isEmpty {
      out.line()
      out.line("Preconditions")
      for note in runbook.preconditions {
        out.line(
          "  [\(note.kind)] \(out.firstLine(note.title.map { "\($0): " + note.text } ?? note.text))  (line \(note.range.start.line))"
        )
      }
    }
    out.inputs(runbook)
    if !runbook.intro.isEmpty {
      out.line()
      out.line("Intro  (reading page)")
      out.markers(runbook.intro, indent: "  ")
    }
    for section in runbook.sections { out.render(section) }
    out.line()
    if runbook.diagnostics.isEmpty {
      out.line("No compiler diagnostics (`runbook lint` also checks the authoring rules).")
    } else {
      out.line("Diagnostics")
      for d in runbook.diagnostics { out.line("  " + out.clean(d.formatted)) }
    }
    return out.text
  }
}

/// The outline's text as it is written, line by line.
private struct OutlineText {
  var text = ""

  mutating func line(_ s: String = "") { text += s + "\n" }
  func clean(_ s: String) -> String { Sanitizer.terminal(s, keepNewlines: false) }
  func firstLine(_ s: String, limit: Int = 72) -> String {
    let first = clean(s.split(separator: "\n").first.map(String.init) ?? "")
    return first.count > limit ? String(first.prefix(limit - 1)) + "…" : first
  }
  func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

  mutating func header(_ runbook: Runbook) {
    line(clean(runbook.title))
    line("  file: \(clean(runbook.file))  id: \(clean(runbook.id))")
    var steps = 0
    runbook.forEachStep { _ in steps += 1 }
    let pages = runbook.pages.count
    line(
      "  \(plural(steps, "step")) in \(plural(runbook.allSections.count, "section"))"
        + (pages > 0 ? ", \(plural(pages, "reading page"))" : ""))
  }

  mutating func inputs(_ runbook: Runbook) {
    guard !runbook.inputs.isEmpty else { return }
    line()
    line("Inputs")
    let width = min(runbook.inputs.map(\.id.count).max() ?? 0, 28)
    for input in runbook.inputs {
      var facts: [String] = []
      if input.secret { facts.append("secret") }
      if input.isDerived { facts.append("derived") }
      if !input.required { facts.append("optional") }
      if input.kind != .text { facts.append(input.kind.rawValue) }
      if let variable = input.variable { facts.append("as $" + clean(variable)) }
      let where_: String
      if input.isDerived {
        where_ = "= \(clean(input.value ?? ""))"
      } else if let step = input.firstUsedIn {
        where_ = "first used in \(clean(step))"
      } else if let at = input.firstUsedAt {
        where_ = "first used at line \(at.line)"
      } else {
        where_ = "not used"
      }
      let label = clean(input.label) + (facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))")
      line(
        "  \(input.id.padding(toLength: max(width, input.id.count), withPad: " ", startingAt: 0))  \(label) · \(where_)"
      )
    }
  }

  mutating func render(_ section: Section) {
    line()
    let hashes = String(repeating: "#", count: max(section.level, 1))
    let title = section.title.isEmpty ? "(before the first heading)" : clean(section.title)
    var facts: [String] = []
    if section.hasReadingPage { facts.append("reading page") }
    if section.isPrerequisites { facts.append("preconditions") }
    let condition = section.condition.map { "  if \(clean($0.description))" } ?? ""
    line(
      "\(hashes) \(title)\(facts.isEmpty ? "" : "  (\(facts.joined(separator: ", ")))")  line \(section.range.start.line)\(condition)"
    )
    markers(section.intro, indent: "  ")
    for step in section.steps { render(step, depth: 0) }
    if !section.steps.isEmpty, section.closing.contains(where: \.isShown) {
      line("  after the steps:")
      markers(section.closing, indent: "  ")
    } else {
      markers(section.closing, indent: "  ")
    }
    for sub in section.sections { render(sub) }
  }

  mutating func render(_ step: Step, depth: Int) {
    let indent = String(repeating: "   ", count: depth) + "  "
    let box = step.task.map { $0 == .checked ? "[x] " : "[ ] " } ?? ""
    let alt = step.alternative.map { "[\(clean($0))] " } ?? ""
    let title = step.title.isEmpty ? "(no text)" : firstLine(step.title)
    var facts: [String] = []
    if step.origin.isInferred { facts.append("(\(step.origin.rawValue))") }
    if let condition = step.condition, step.alternative == nil {
      facts.append("if \(clean(condition.description))")
    }
    line(
      "\(indent)\(alt)\(step.number). \(box)\(title)  {\(clean(step.id))}\(facts.map { "  " + $0 }.joined())")
    if !step.inputs.isEmpty {
      line("\(indent)   · asks: \(step.inputs.map { "<\($0)>" }.joined(separator: ", "))")
    }
    markers(step.content, indent: indent + "   ")
    for sub in step.steps { render(sub, depth: depth + 1) }
    markers(step.closing, indent: indent + "   ")
  }

  /// One marker per block, in document order; tables, code and images inside lists, quotes,
  /// notes and tabs are listed after their container's marker.
  mutating func markers(_ content: [Content], indent: String) {
    for block in content {
      switch block {
      case .paragraph(let inlines, _):
        let images = [block].images
        let text = inlines.plainText.collapsingWhitespace()
        if !text.isEmpty, !isImageText(inlines) {
          line("\(indent)· text: \(firstLine(text, limit: 60))")
        }
        for image in images { self.image(image, indent) }
      case .heading(_, let inlines, _):
        line("\(indent)· heading: \(firstLine(inlines.plainText, limit: 60))")
      case .list(let list):
        let first = list.items.first.map { $0.plainText } ?? ""
        line("\(indent)· list (\(plural(list.items.count, "item"))): \(firstLine(first, limit: 50))")
        nested(list.items.flatMap { $0 }, indent)
      case .quote(let inner, _):
        line("\(indent)· quote: \(firstLine(inner.plainText, limit: 60))")
        nested(inner, indent)
      case .code(let code):
        self.code(code, indent)
      case .table(let table):
        self.table(table, indent)
      case .note(let note):
        line("\(indent)· note [\(clean(note.kind))]: \(firstLine(note.title ?? note.text, limit: 60))")
        nested(note.content, indent)
      case .html:
        for image in [block].images { self.image(image, indent) }
      case .tabs(let alternatives, _):
        line("\(indent)· alternatives: \(alternatives.map { clean($0.label) }.joined(separator: " | "))")
        nested(alternatives.flatMap(\.content), indent)
      case .rule:
        break
      }
    }
  }

  /// Tables, code and images inside a container.
  mutating func nested(_ content: [Content], _ indent: String) {
    for table in content.collect({ if case .table(let t) = $0 { t } else { nil } }) {
      self.table(table, indent)
    }
    for code in content.collect({ if case .code(let c) = $0 { c } else { nil } }) { self.code(code, indent) }
    for image in content.images { self.image(image, indent) }
  }

  func isImageText(_ inlines: [Inline]) -> Bool {
    inlines.allSatisfy {
      switch $0 {
      case .image, .softBreak, .lineBreak: true
      case .text(let t, _): t.allSatisfy(\.isWhitespace)
      case .html: true
      default: false
      }
    }
  }

  mutating func table(_ table: Table, _ indent: String) {
    line(
      "\(indent)· table: \(table.header.map { clean($0.plainText) }.joined(separator: " | ")) (\(plural(table.rows.count, "row")))"
    )
  }

  mutating func code(_ code: CodeBlock, _ indent: String) {
    let kind = code.isCheck ? "check" : code.isCommand ? "command" : "code"
    let attrs = code.attributes.map { $0.value == "true" ? $0.name : "\($0.name)=\($0.value)" }
    let info = ([code.language ?? ""] + (attrs.isEmpty ? [] : ["{\(attrs.joined(separator: " "))}"]))
      .filter { !$0.isEmpty }.joined(separator: " ")
    let lines =
      code.text.split(separator: "\n", omittingEmptySubsequences: false).count
      - (code.text.hasSuffix("\n") ? 1 : 0)
    // A transcript (a console block, or shell written with `$ ` prompts) runs only its commands.
    let reading =
      !code.isTranscript
      ? ""
      : code.expectedOutput == nil
        ? "; a transcript: its prompted lines run"
        : "; a transcript: its prompted lines run, the rest is expected output"
    line("\(indent)· \(kind): \(clean(info.isEmpty ? "text" : info)), \(lines) line(s)\(reading)")
  }

  mutating func image(_ image: Image, _ indent: String) {
    line(
      "\(indent)· image: \(image.alt.isEmpty ? "(no alt text)" : "“" + clean(image.alt) + "”") \(clean(image.source))"
    )
  }
}
