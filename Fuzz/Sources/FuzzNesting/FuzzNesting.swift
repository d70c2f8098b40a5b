// libFuzzer target (e): guides nested deep, in random mixtures.
//
// The bytes choose a sequence of openings (emphasis with `*`, `_`, `**`, strikethrough `~~`,
// links, images, bullet and numbered list items, block quotes, admonitions, tabs), each repeated
// up to a few hundred times, with text between them and the closings in reverse order, in a
// heading, a step, a table cell or a note. The guide is compiled, linted, encoded as JSON and
// rendered as an outline. Besides no crash: the content the compiler builds is nested no deeper
// than the bound (64 levels of blocks, of inline markup and of admonitions or tabs), measured
// with an explicit stack.
import Foundation
import FuzzDriver
import RunbookCore
import RunbookMarkdown

struct Choices {
  var bytes: [UInt8]
  var at = 0
  mutating func next() -> Int {
    defer { at += 1 }
    return at < bytes.count ? Int(bytes[at]) : 0
  }
  var exhausted: Bool { at >= bytes.count }
}

/// An opening and its closing; `block` ones start a line, with `indent` before what follows.
let inlineMarks: [(String, String)] = [
  ("*", "*"), ("_", "_"), ("**", "**"), ("~~", "~~"), ("[", "](https://x.example)"), ("![", "](x.png)"),
]
let blockMarks: [String] = ["- ", "1. ", "> ", "* ", "2) "]

/// The deepest nesting in the content: containers of blocks and inline markup, counted apart.
func depth(of content: [Content]) -> (blocks: Int, inlines: Int) {
  var stack: [(Content, Int)] = content.map { ($0, 1) }
  var inlineStack: [(Inline, Int)] = []
  var deepest = (blocks: 0, inlines: 0)
  while let (item, level) = stack.popLast() {
    deepest.blocks = max(deepest.blocks, level)
    switch item {
    case .paragraph(let inlines, _), .heading(_, let inlines, _): inlineStack += inlines.map { ($0, 1) }
    case .list(let list): for entry in list.items { stack += entry.map { ($0, level + 1) } }
    case .quote(let inner, _): stack += inner.map { ($0, level + 1) }
    case .note(let note): stack += note.content.map { ($0, level + 1) }
    case .tabs(let alternatives, _): for a in alternatives { stack += a.content.map { ($0, level + 1) } }
    case .table(let table):
      for cell in table.header + table.rows.flatMap({ $0 }) { inlineStack += cell.map { ($0, 1) } }
    case .code, .html, .rule: break
    }
  }
  while let (inline, level) = inlineStack.popLast() {
    deepest.inlines = max(deepest.inlines, level)
    inlineStack += inline.children.map { ($0, level + 1) }
  }
  return deepest
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNesting(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  var c = Choices(bytes: start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
  var inline = ""
  var closing: [String] = []
  var block = ""
  var admonitions = 0
  while !c.exhausted {
    let times = 1 + c.next() * 2  // up to 511 levels of one kind at a time
    switch c.next() % 5 {
    case 0, 1:
      let (open, close) = inlineMarks[c.next() % inlineMarks.count]
      for _ in 0..<times {
        inline += open + "a "
        closing.append(" b" + close)
      }
    case 2:
      block += String(repeating: blockMarks[c.next() % blockMarks.count], count: times)
    case 3:
      admonitions += times
    default:
      inline += ["text ", "`code` ", "<br> ", "\\* ", "<placeholder> "][c.next() % 5]
    }
  }
  let text = inline + closing.reversed().joined()
  let where_ = count % 4
  var guide = "---\nid: nest\n---\n# Nest\n\n"
  switch where_ {
  case 0: guide += "## " + text + "\n\n1. Step\n"
  case 1: guide += "## S\n\n1. " + block + text + "\n"
  case 2: guide += "## S\n\n1. Step\n\n   | a |\n   |---|\n   | " + text + " |\n"
  default:
    guide +=
      "## S\n\n" + String(repeating: ":::note\n\n", count: admonitions) + block + text + "\n\n"
      + String(repeating: ":::\n\n", count: admonitions) + "1. Step\n"
  }
  let runbook = RunbookCompiler().compile(guide, file: "nest.md")
  for diagnostic in Linter().lint(runbook) { _ = diagnostic.formatted }
  _ = RunbookJSON.encode(runbook)
  _ = RunbookOutline.render(runbook)
  var content = runbook.intro + runbook.preconditions.flatMap(\.content)
  for section in runbook.allSections {
    content +=
      section.intro + section.closing + [.paragraph(section.titleInlines, SourceRange(line: 1, column: 1))]
  }
  for step in runbook.allSteps {
    content += step.content + step.closing + [.paragraph(step.titleInlines, SourceRange(line: 1, column: 1))]
  }
  let deepest = depth(of: content)
  // Blocks: 64 containers in cmark's tree (the document counts as one), then 64 admonitions or
  // tabs inside any of them; inline markup: 64 containers, then the text inside the deepest
  // (levels count every inline, so the text is at 65).
  if deepest.blocks > 2 * 64 || deepest.inlines > 64 + 1 {
    fatalError("content nested \(deepest) deep")
  }
  return 0
}

@_cdecl("FuzzNesting_main")
public func fuzzNestingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
{
  runFuzzer(argc, argv, fuzzNesting)
}
