import Foundation
import RunbookMarkdown

/// The JSON form of a compiled runbook printed by `runbook show --json` (docs/show-json.md).
public enum RunbookJSON {
  public static let version = 1

  /// Pretty-printed JSON with sorted keys, stable for diffs and tools.
  public static func encode(_ runbook: Runbook) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(DocumentDTO(runbook))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  struct DocumentDTO: Encodable {
    var format = "runbook"
    var version = RunbookJSON.version
    var file: String
    var id: String
    var title: String
    var description: String?
    var preconditions: [NoteDTO]
    var inputs: [InputDTO]
    var sections: [SectionDTO]
    var pages: [PageDTO]
    var diagnostics: [Diagnostic]

    init(_ r: Runbook) {
      file = r.file
      id = r.id
      title = r.title
      description = r.description
      preconditions = r.preconditions.map(NoteDTO.init)
      inputs = r.inputs.map(InputDTO.init)
      sections = r.sections.map(SectionDTO.init)
      pages = r.pages.map(PageDTO.init)
      diagnostics = r.diagnostics
    }
  }

  struct InputDTO: Encodable {
    var id, label, type: String
    var declared, secret, required: Bool
    var help, example, `default`, pattern, message, ask, value: String?
    var choices: [String]?
    var firstUsedIn: String?
    var variable: String?
    var line, column: Int

    init(_ i: Input) {
      id = i.id
      label = i.label
      type = i.kind.rawValue
      declared = i.declared
      secret = i.secret
      required = i.required
      help = i.help
      example = i.example
      `default` = i.defaultValue
      pattern = i.pattern
      message = i.message
      ask = i.ask
      value = i.value
      choices = i.choices.isEmpty ? nil : i.choices
      firstUsedIn = i.firstUsedIn
      variable = i.variable
      let at = i.firstUsedAt ?? i.location
      line = at.line
      column = at.column
    }
  }

  struct PageDTO: Encodable {
    var id, title: String
    var line, column: Int
    init(_ p: Page) {
      id = p.id
      title = p.title
      line = p.range.start.line
      column = p.range.start.column
    }
  }

  struct ConditionDTO: Encodable {
    var input: String
    var values: [String]
    var negated: Bool
    var line, column: Int
    init(_ c: Condition) {
      input = c.input
      values = c.values
      negated = c.negated
      line = c.location.line
      column = c.location.column
    }
  }

  struct SectionDTO: Encodable {
    var title, slug: String
    var level, line, column: Int
    var readingPage, prerequisites: Bool
    var condition: ConditionDTO?
    var steps: [StepDTO]
    var sections: [SectionDTO]
    var notes: [NoteDTO]
    var tables: [TableDTO]
    var codeBlocks: [CodeDTO]
    var images: [ImageDTO]

    init(_ s: Section) {
      title = s.title
      slug = s.slug
      level = s.level
      line = s.range.start.line
      column = s.range.start.column
      readingPage = s.hasReadingPage
      prerequisites = s.isPrerequisites
      condition = s.condition.map(ConditionDTO.init)
      steps = s.steps.map(StepDTO.init)
      sections = s.sections.map(SectionDTO.init)
      let body = s.intro + s.closing
      notes = body.collect(descendIntoNotes: false) { if case .note(let n) = $0 { n } else { nil } }.map(
        NoteDTO.init)
      tables = body.collect { if case .table(let t) = $0 { t } else { nil } }.map(TableDTO.init)
      codeBlocks = body.collect { if case .code(let c) = $0 { c } else { nil } }.map(CodeDTO.init)
      images = body.images.map(ImageDTO.init)
    }
  }

  struct StepDTO: Encodable {
    var number, id, title: String
    var pinned: Bool
    var line, column, endLine: Int
    var task: String?
    var alternative: String?
    var origin: String
    var inferred: Bool
    var condition: ConditionDTO?
    var steps: [StepDTO]
    var tables: [TableDTO]
    var codeBlocks: [CodeDTO]
    var notes: [NoteDTO]
    var images: [ImageDTO]
    var inputs: [String]

    init(_ s: Step) {
      number = s.number
      id = s.id
      title = s.title
      pinned = s.pinned
      line = s.range.start.line
      column = s.range.start.column
      endLine = s.range.end.line
      task = s.task.map { $0 == .checked ? "checked" : "open" }
      alternative = s.alternative
      origin = s.origin.rawValue
      inferred = s.origin.isInferred
      condition = s.condition.map(ConditionDTO.init)
      steps = s.steps.map(StepDTO.init)
      tables = s.tables.map(TableDTO.init)
      codeBlocks = s.codeBlocks.map(CodeDTO.init)
      notes = s.notes.map(NoteDTO.init)
      images = s.images.map(ImageDTO.init)
      inputs = s.inputs
    }
  }

  struct TableDTO: Encodable {
    var header: [String]
    var rows: [[String]]
    var line, column: Int
    init(_ t: Table) {
      header = t.header.map(\.cellText)
      rows = t.rows.map { $0.map(\.cellText) }
      line = t.range.start.line
      column = t.range.start.column
    }
  }

  struct CodeDTO: Encodable {
    var language: String?
    var attributes: [String: String]
    var text: String
    var line, column: Int
    init(_ c: CodeBlock) {
      language = c.language
      attributes = Dictionary(c.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
      text = c.text
      line = c.range.start.line
      column = c.range.start.column
    }
  }

  struct NoteDTO: Encodable {
    var kind: String
    var title: String?
    var text: String
    var line, column: Int
    init(_ n: Note) {
      kind = n.kind
      title = n.title
      text = n.text
      line = n.range.start.line
      column = n.range.start.column
    }
  }

  struct ImageDTO: Encodable {
    var alt, url: String
    var line, column: Int
    init(_ i: Image) {
      alt = i.alt
      url = i.source
      line = i.location.line
      column = i.location.column
    }
  }
}

extension Array where Element == Inline {
  /// A table cell's text: like ``plainText`` but `<br>` and hard breaks are line breaks.
  public var cellText: String {
    var out = ""
    for inline in self {
      switch inline {
      case .html(let s, _) where s.lowercased().hasPrefix("<br"): out += "\n"
      case .lineBreak: out += "\n"
      default: out += [inline].plainText
      }
    }
    return out.trimmingCharacters(in: .whitespaces)
  }
}
