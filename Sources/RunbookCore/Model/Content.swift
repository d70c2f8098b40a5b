import Foundation
import RunbookMarkdown

/// A piece of a step's or section's body, in reading order.
public enum Content: Hashable, Sendable {
  case paragraph([Inline], SourceRange)
  case heading(level: Int, inlines: [Inline], SourceRange)
  /// A list that is not a list of steps: bullets, or numbered items inside a note.
  indirect case list(ContentList)
  case quote([Content], SourceRange)
  indirect case code(CodeBlock)
  indirect case table(Table)
  indirect case note(Note)
  /// Raw HTML or an MDX component, kept as written.
  case html(String, SourceRange)
  /// Labelled alternatives (`<Tabs>`/`<TabItem>`): the reader follows one of them.
  case tabs([Alternative], SourceRange)
  case rule(SourceRange)

  /// False for HTML that shows nothing to a reader (a comment, a wrapper tag, a component
  /// without an image).
  public var isShown: Bool {
    if case .html = self { return ![self].images.isEmpty }
    return true
  }

  public var range: SourceRange {
    switch self {
    case .paragraph(_, let r), .heading(_, _, let r), .quote(_, let r), .html(_, let r),
      .tabs(_, let r), .rule(let r):
      return r
    case .list(let l): return l.range
    case .code(let c): return c.range
    case .table(let t): return t.range
    case .note(let n): return n.range
    }
  }
}

/// A list kept as content, each item a sequence of content.
public struct ContentList: Hashable, Sendable {
  public var ordered: Bool
  public var start: Int
  public var items: [[Content]]
  public var range: SourceRange
}

/// One labelled alternative of a `<Tabs>` block.
public struct Alternative: Hashable, Sendable {
  public var label: String
  public var value: String
  public var content: [Content]
  public var range: SourceRange
}

/// An admonition (`:::warning Title` … `:::`) or a GitHub alert (`> [!WARNING]`).
public struct Note: Hashable, Sendable {
  /// `note`, `tip`, `info`, `caution`, `warning`, `danger` or `important`, lowercased.
  public var kind: String
  public var title: String?
  public var content: [Content]
  public var range: SourceRange

  /// The note's text as a reader sees it, paragraphs separated by blank lines.
  public var text: String { content.plainText }
}

/// A code block with its Runme-style attributes (`sh {check timeout=30s}`).
public struct CodeBlock: Hashable, Sendable {
  public var language: String?
  /// Attributes in the order written; a bare word such as `run` has the value `true`.
  public var attributes: [Attribute]
  public var text: String
  public var range: SourceRange

  public struct Attribute: Hashable, Sendable {
    public var name: String
    public var value: String
    public var location: SourceLocation
  }

  public func attribute(_ name: String) -> String? {
    attributes.first { $0.name == name }?.value
  }

  /// A command the engine offers to run (`{run}`).
  public var isCommand: Bool { attribute("run").map { $0 != "false" } ?? false }
  /// A command whose failure does not stop an unattended run (`{run allow-failure}`).
  public var allowsFailure: Bool { attribute("allow-failure").map { $0 != "false" } ?? false }
  /// An automatic check that must pass before its step completes (`{check}`).
  public var isCheck: Bool { attribute("check").map { $0 != "false" } ?? false }
  /// The input a command's standard output is captured into (`{run capture=user_pool_id}`), id
  /// normalised; nil for a block that is not a command or captures nothing.
  public var captureInput: String? {
    guard isCommand, let id = attribute("capture"), !id.isEmpty, id != "true" else { return nil }
    return Placeholder.normalize(id)
  }
  /// False for an indented code block, which has no fence line before its text.
  public var fenced: Bool = true

  /// The text as shown and run: without Docusaurus's line-highlighting comments
  /// (`// highlight-next-line`, `# highlight-start`, `{/* highlight-end */}`…), which are
  /// directions to the page's renderer, not part of the command.
  public var displayText: String { Self.highlightFree(text) }

  /// Code text without Docusaurus's line-highlighting comments (see ``displayText``).
  public static func highlightFree(_ text: String) -> String {
    guard text.contains("highlight-") else { return text }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeAll { isHighlightDirective($0) }
    return lines.joined(separator: "\n")
  }

  static func isHighlightDirective(_ line: Substring) -> Bool {
    var t = line.trimmingCharacters(in: .whitespaces)
    for (open, close) in [("//", ""), ("#", ""), ("--", ""), ("<!--", "-->"), ("{/*", "*/}"), ("/*", "*/")]
    where t.hasPrefix(open) && t.hasSuffix(close) && t.count >= open.count + close.count {
      t = String(t.dropFirst(open.count).dropLast(close.count)).trimmingCharacters(in: .whitespaces)
      return ["highlight-next-line", "highlight-start", "highlight-end"].contains(t)
    }
    return false
  }
}

/// A GitHub table: a header and body rows of inline cells.
public struct Table: Hashable, Sendable {
  public var header: [[Inline]]
  public var rows: [[[Inline]]]
  public var rowRanges: [SourceRange]
  public var range: SourceRange
}

/// An image: Markdown `![alt](url)`, HTML `<img>` or an MDX image component.
public struct Image: Hashable, Sendable {
  public var alt: String
  public var source: String
  public var location: SourceLocation
}

extension Array where Element == Content {
  /// Calls `visit` with every item of the content in reading order. Right after a list, quote,
  /// note or tabs comes what it holds (each list item's content, each alternative's in turn),
  /// unless `descend` says no for it.
  public func walk(descending descend: (Content) -> Bool = { _ in true }, _ visit: (Content) -> Void) {
    for item in self {
      visit(item)
      guard descend(item) else { continue }
      switch item {
      case .list(let list): for entry in list.items { entry.walk(descending: descend, visit) }
      case .quote(let content, _): content.walk(descending: descend, visit)
      case .note(let note): note.content.walk(descending: descend, visit)
      case .tabs(let alternatives, _):
        for alternative in alternatives { alternative.content.walk(descending: descend, visit) }
      case .paragraph, .heading, .code, .table, .html, .rule: break
      }
    }
  }

  /// Every element a closure picks out of the content, lists, quotes, notes and tabs included.
  func collect<T>(descendIntoNotes: Bool = true, _ pick: (Content) -> T?) -> [T] {
    var out: [T] = []
    let descend: (Content) -> Bool = { if case .note = $0 { descendIntoNotes } else { true } }
    walk(descending: descend) { if let found = pick($0) { out.append(found) } }
    return out
  }

  /// Plain text of the content, blocks separated by blank lines; each alternative of tabs is
  /// one block, led by its label.
  public var plainText: String {
    var parts: [String] = []
    // An alternative's text is led by its label, so tabs are not walked into.
    let descend: (Content) -> Bool = { if case .tabs = $0 { false } else { true } }
    walk(descending: descend) { item in
      switch item {
      case .paragraph(let inlines, _), .heading(_, let inlines, _): parts.append(inlines.plainText)
      case .code(let code): parts.append(code.text)
      case .table(let t):
        parts.append(
          ([t.header] + t.rows).map { $0.map(\.plainText).joined(separator: " | ") }.joined(separator: "\n"))
      case .tabs(let alternatives, _):
        parts.append(contentsOf: alternatives.map { "\($0.label): \($0.content.plainText)" })
      case .list, .quote, .note, .html, .rule: break
      }
    }
    return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  /// Images in inline content, HTML and MDX components.
  public var images: [Image] {
    var out: [Image] = []
    walk { item in
      switch item {
      case .paragraph(let inlines, _), .heading(_, let inlines, _): out += inlines.images
      case .table(let t): for cell in t.header + t.rows.flatMap({ $0 }) { out += cell.images }
      case .html(let html, let r): out += HTMLScanner.images(in: html, at: r.start)
      default: break
      }
    }
    return out
  }
}

extension Array where Element == Inline {
  /// Images of the inlines: Markdown images and those of inline HTML.
  var images: [Image] {
    var out: [Image] = []
    for inline in self {
      if case .image(let source, _, let children, let at) = inline {
        out.append(Image(alt: children.plainText, source: source, location: at))
      } else if case .html(let html, let at) = inline {
        out += HTMLScanner.images(in: html, at: at)
      } else {
        out += inline.children.images
      }
    }
    return out
  }

  /// Placeholders inside the inline code, with where each starts.
  var placeholders: [(Placeholder.Occurrence, SourceLocation)] {
    var out: [(Placeholder.Occurrence, SourceLocation)] = []
    for inline in self {
      if case .code(let text, let at) = inline {
        out += Placeholder.scan(text).map {
          ($0, SourceLocation(line: at.line, column: at.column + $0.utf8Column))
        }
      } else {
        out += inline.children.placeholders
      }
    }
    return out
  }
}
