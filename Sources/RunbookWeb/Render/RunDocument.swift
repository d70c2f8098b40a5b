import Foundation
import RunbookCore
import RunbookEngine

/// The guide as a readable document with the run woven in: each section with its text, each step
/// with its status, recorded commands and checks, confirmed rows and notes, and the controls of
/// the prompt the run is at placed in the step (and the block) it concerns. One small function
/// per part of the model, so a new kind of part (a reading page) is one more function.
struct RunDocument {
  let view: RunView
  /// The controls of the current prompt (``Pages/prompt``), empty when there is none.
  let promptHTML: String
  let csrf: String

  private var content: ContentHTML {
    let values = view.values
    return ContentHTML(values: { values[$0] })
  }

  /// The part before the sections: the guide's introduction, its preconditions, and the inputs
  /// asked at the start.
  func start() -> String {
    guard let runbook = view.runbook else { return "" }
    var out = ""
    if !runbook.intro.isEmpty {
      out +=
        "<section class=\"intro\">" + content.render(runbook.intro) + pageBadge(Page.introID) + "</section>\n"
    }
    // The intro's reading page, or a page this document has no section for.
    if let page = view.prompt.flatMap(PromptKey.page),
      page == Page.introID || !Self.has(page, in: runbook.sections)
    {
      out += "<section class=\"read-page\">" + promptHTML + "</section>\n"
    }
    if !runbook.preconditions.isEmpty {
      out += "<section class=\"preconditions\" id=\"preconditions\"><h2>Before you start</h2>\n"
      for (index, note) in runbook.preconditions.enumerated() {
        let acknowledged = view.state.acknowledged.contains(index)
        out += "<div class=\"precondition\(acknowledged ? " done" : "")\">"
        out += content.render([.note(note)])
        if acknowledged { out += "<p class=\"badge done\">✓ confirmed</p>" }
        if case .precondition(_, let at, _) = view.prompt, at == index { out += promptHTML }
        out += "</div>\n"
      }
      out += "</section>\n"
    }
    if case .input(_, nil, _) = view.prompt {
      out += "<section class=\"start-inputs\"><h2>Before the first step</h2>" + promptHTML + "</section>\n"
    }
    return out
  }

  /// The sections, or the journal's list of steps when the guide is not found.
  func body() -> String {
    guard let runbook = view.runbook else {
      return "<ol class=\"steps\">"
        + view.header.steps.map { ref in
          let status = view.state.status(of: ref.id).rawValue
          return
            "<li class=\"step \(status)\" id=\"step-\(HTMLText.escape(ref.id))\"><code>\(HTMLText.escape(ref.id))</code> "
            + badge(ref.id) + "</li>"
        }.joined(separator: "\n") + "</ol>"
    }
    return runbook.sections.map { section($0) }.joined()
  }

  func section(_ section: Section) -> String {
    var out = "<section class=\"section\""
    if !section.slug.isEmpty { out += " id=\"\(HTMLText.escape(section.slug))\"" }
    out += ">\n"
    if !section.title.isEmpty {
      let level = min(6, max(2, section.level))
      out += "<h\(level)>" + content.render(section.titleInlines) + "</h\(level)>\n"
    }
    out += content.render(section.intro)
    if !section.steps.isEmpty {
      out += "<ol class=\"steps\">\n" + section.steps.map { step($0) }.joined() + "</ol>\n"
    }
    out += content.render(section.closing)
    out += pageBadge(section.slug)
    if !section.slug.isEmpty, view.prompt.flatMap(PromptKey.page) == section.slug { out += promptHTML }
    out += section.sections.map { self.section($0) }.joined()
    return out + "</section>\n"
  }

  func step(_ step: Step) -> String {
    let record = view.state.steps[step.id]
    let status = record?.status ?? .pending
    let current = view.currentStep == step.id
    var out =
      "<li class=\"step \(status.rawValue)\(current ? " current" : "")\" id=\"step-\(HTMLText.escape(step.id))\">"
    out += "<div class=\"step-head\"><span class=\"number\">\(HTMLText.escape(step.number))</span> "
    out +=
      "<span class=\"title\">" + content.render(step.titleInlines) + "</span> " + badge(step.id) + "</div>\n"
    if let alternative = step.alternative {
      out += "<p class=\"alternative\">Option: " + HTMLText.escape(alternative) + "</p>"
    }
    if current, case .input = view.prompt { out += promptHTML }
    out += content.render(step.content, decorations: decorations(step, record, current))
    if current, isStepLevelPrompt { out += promptHTML }
    out += notes(step.id)
    if !step.steps.isEmpty {
      out += "<ol class=\"steps sub\">\n" + step.steps.map { self.step($0) }.joined() + "</ol>\n"
    }
    // The closing belongs to the same step's body: its tables and code continue the numbering.
    var tail = decorations(step, record, current)
    let offset = step.content.countBlocks()
    let (tables, codes) = (offset.tables, offset.codes)
    let afterCode = tail.afterCode
    let rowControl = tail.rowControl
    let afterTable = tail.afterTable
    tail.afterCode = { afterCode($0 + codes, $1) }
    tail.rowControl = { rowControl($0 + tables, $1) }
    tail.afterTable = { afterTable($0 + tables) }
    out += content.render(step.closing, decorations: tail)
    return out + "</li>\n"
  }

  /// "✓ read" under a reading page the run has acknowledged.
  private func pageBadge(_ page: String) -> String {
    view.state.pagesRead.contains(page) ? "<p class=\"badge done\">✓ read</p>" : ""
  }

  private static func has(_ slug: String, in sections: [Section]) -> Bool {
    sections.contains { $0.slug == slug || has(slug, in: $0.sections) }
  }

  /// Prompts shown after the step's content rather than at a block.
  private var isStepLevelPrompt: Bool {
    switch view.prompt {
    case .finishStep: return true
    default: return false
    }
  }

  private func decorations(_ step: Step, _ record: RunState.StepRecord?, _ current: Bool)
    -> ContentHTML.Decorations
  {
    var decorations = ContentHTML.Decorations()
    let prompt = current ? view.prompt : nil
    let promptHTML = self.promptHTML
    decorations.afterCode = { index, code in
      var out = ""
      if !code.isCheck, let event = record?.commands[index] { out += Self.ran(event, kind: "Command") }
      if code.isCheck, let event = record?.checks[index] { out += Self.ran(event, kind: "Check") }
      switch prompt {
      case .command(_, let at, _) where at == index: out += promptHTML
      case .check(_, let at, _) where at == index: out += promptHTML
      case .checkFailed(_, let at, _) where at == index: out += promptHTML
      default: break
      }
      return out
    }
    decorations.rowControl = { table, row in
      let name = "\(table):\(row)"
      if record?.confirmedRows.contains(name) == true {
        return "<input type=\"checkbox\" checked disabled aria-label=\"confirmed\">"
      }
      if case .confirmRow(_, let at, let next, _, _) = prompt, at == table {
        let first = row == next ? " autofocus" : ""
        return
          "<input type=\"checkbox\" form=\"confirm-rows\" name=\"row\" value=\"\(name)\" aria-label=\"row \(row + 1) is set\"\(first)>"
      }
      return "<input type=\"checkbox\" disabled aria-label=\"not confirmed yet\">"
    }
    decorations.afterTable = { index in
      if case .confirmRow(_, let at, _, _, _) = prompt, at == index { return promptHTML }
      return ""
    }
    return decorations
  }

  /// A recorded command or check: its result, who ran it, and its output.
  static func ran(_ event: Event, kind: String) -> String {
    let result: String
    let css: String
    if event.reason == "not run" && event.passed == nil {
      (result, css) = ("not run", "skipped")
    } else if event.passed == true {
      (result, css) = ("passed", "done")
    } else {
      (result, css) = ("failed" + (event.reason.map { ": " + $0 } ?? ""), "failed")
    }
    var out = "<div class=\"ran \(css)\"><p>\(kind) \(HTMLText.escape(result))"
    out +=
      " <span class=\"by\">· " + HTMLText.escape(event.operator) + " · "
      + HTMLText.escape(JournalDateFormat.seconds(event.at))
    out += "</span></p>"
    if let output = event.output, !output.isEmpty {
      out +=
        "<details\(event.passed == false ? " open" : "")><summary>Output</summary><pre class=\"output\"><code>"
      out += HTMLText.escape(output) + "</code></pre></details>"
    }
    return out + "</div>\n"
  }

  /// The step's status as a word (and who and when, why it was skipped or failed).
  func badge(_ id: String) -> String {
    guard let record = view.state.steps[id] else { return "" }
    let who = record.by.map { " · " + HTMLText.escape($0) } ?? ""
    let when = record.at.map { " · " + HTMLText.escape(JournalDateFormat.seconds($0)) } ?? ""
    switch record.status {
    case .done: return "<span class=\"badge done\">✓ done\(who)\(when)</span>"
    case .skipped:
      return "<span class=\"badge skipped\">skipped: " + HTMLText.escape(record.reason ?? "") + who
        + "</span>"
    case .failed:
      return "<span class=\"badge failed\">✗ failed: " + HTMLText.escape(record.reason ?? "") + "</span>"
    case .pending: return ""
    }
  }

  private func notes(_ step: String) -> String {
    let notes = view.state.notes.filter { $0.step == step }
    guard !notes.isEmpty else { return "" }
    return "<ul class=\"notes\">"
      + notes.map {
        "<li>Note: " + HTMLText.escape($0.text) + " <span class=\"by\">· " + HTMLText.escape($0.by)
          + "</span></li>"
      }.joined() + "</ul>\n"
  }
}

extension Array where Element == Content {
  /// How many tables and code blocks the content holds, in the engine's order of counting.
  func countBlocks() -> (tables: Int, codes: Int) {
    var tables = 0
    var codes = 0
    func walk(_ items: [Content]) {
      for item in items {
        switch item {
        case .table: tables += 1
        case .code: codes += 1
        case .list(let l): l.items.forEach(walk)
        case .quote(let c, _): walk(c)
        case .note(let n): walk(n.content)
        case .tabs(let alternatives, _): for alternative in alternatives { walk(alternative.content) }
        default: break
        }
      }
    }
    walk(self)
    return (tables, codes)
  }
}
