import Foundation
import RunbookCore
import RunbookMarkdown

/// Turns a guide's content (the compiled ``Runbook`` model) into HTML: headings, paragraphs,
/// lists, tables, code, images by address, admonitions and tabs. Every text is escaped with
/// ``HTMLText``; links and images keep only safe addresses; raw HTML from the guide is never
/// passed through (an `<img>` in it shows as an image, `<br>` as a line break, anything else as
/// nothing in blocks and as visible text inline). A pure value: the run adds its controls
/// through ``Decorations``.
struct ContentHTML {
  /// The value to show for a `<placeholder>` (secrets already masked), by input id.
  var values: @Sendable (String) -> String?

  /// What the run weaves into a step's body, by the index the engine uses for the step's tables
  /// and code blocks (document order, notes and tabs included).
  struct Decorations {
    /// HTML put after code block `index` (its Run button, status and output).
    var afterCode: (_ index: Int, _ code: CodeBlock) -> String = { _, _ in "" }
    /// The first cell of row `row` of table `table` (a checkbox), or nil for no such column.
    var rowControl: (_ table: Int, _ row: Int) -> String? = { _, _ in nil }
    /// HTML put after table `index` (the controls that confirm its rows).
    var afterTable: (_ index: Int) -> String = { _ in "" }
  }

  init(values: @escaping @Sendable (String) -> String? = { _ in nil }) {
    self.values = values
  }

  /// Blocks in order.
  func render(_ content: [Content], decorations: Decorations = Decorations()) -> String {
    var writer = Writer(renderer: self, decorations: decorations)
    writer.blocks(content)
    return writer.out
  }

  /// Inline content, as in a paragraph.
  func render(_ inlines: [Inline]) -> String {
    var writer = Writer(renderer: self, decorations: Decorations())
    writer.inlines(inlines, place: .prose)
    return writer.out
  }

  /// Text with its placeholders replaced by their values (each value marked), escaped.
  func filled(_ text: String) -> String {
    var out = ""
    let characters = Array(text)
    var cursor = 0
    for occurrence in Placeholder.scan(text) {
      guard occurrence.offset >= cursor, let value = values(occurrence.id) else { continue }
      out += HTMLText.escape(String(characters[cursor..<occurrence.offset]))
      out += "<span class=\"value\">" + HTMLText.escape(value) + "</span>"
      cursor = occurrence.offset + occurrence.name.count + 2
    }
    return out + HTMLText.escape(String(characters[cursor...]))
  }

  private enum Place { case prose, cell }

  private struct Writer {
    let renderer: ContentHTML
    let decorations: Decorations
    var out = ""
    var tableIndex = 0
    var codeIndex = 0

    init(renderer: ContentHTML, decorations: Decorations) {
      self.renderer = renderer
      self.decorations = decorations
    }

    mutating func blocks(_ content: [Content]) {
      for block in content { self.block(block) }
    }

    mutating func block(_ block: Content) {
      switch block {
      case .paragraph(let inlines, _):
        out += "<p>"
        self.inlines(inlines, place: .prose)
        out += "</p>\n"
      case .heading(let level, let inlines, _):
        // Headings inside a step or note sit below the page's own section headings.
        let tag = "h\(min(6, max(4, level + 2)))"
        out += "<\(tag)>"
        self.inlines(inlines, place: .prose)
        out += "</\(tag)>\n"
      case .list(let list):
        if list.ordered {
          out += list.start == 1 ? "<ol>" : "<ol start=\"\(list.start)\">"
        } else {
          out += "<ul>"
        }
        for item in list.items {
          out += "<li>"
          blocks(item)
          out += "</li>"
        }
        out += list.ordered ? "</ol>\n" : "</ul>\n"
      case .quote(let content, _):
        out += "<blockquote>"
        blocks(content)
        out += "</blockquote>\n"
      case .code(let code):
        let index = codeIndex
        codeIndex += 1
        self.code(code)
        out += decorations.afterCode(index, code)
      case .table(let table):
        let index = tableIndex
        tableIndex += 1
        self.table(table, index: index)
        out += decorations.afterTable(index)
      case .note(let note):
        let kind = Self.noteKind(note.kind)
        out += "<aside class=\"note note-\(kind)\"><p class=\"note-title\"><strong>"
        out += HTMLText.escape(note.kind.uppercased())
        out += "</strong>"
        if let title = note.title, !title.isEmpty { out += ": " + HTMLText.escape(title) }
        out += "</p>"
        blocks(note.content)
        out += "</aside>\n"
      case .html(let html, let range):
        for image in [Content.html(html, range)].images { self.image(alt: image.alt, source: image.source) }
      case .tabs(let alternatives, _):
        out += "<div class=\"tabs\">"
        for alternative in alternatives {
          let label = alternative.label.isEmpty ? alternative.value : alternative.label
          out += "<section class=\"tab\"><p class=\"tab-label\">Option: <strong>"
          out += HTMLText.escape(label) + "</strong></p>"
          blocks(alternative.content)
          out += "</section>"
        }
        out += "</div>\n"
      case .rule:
        out += "<hr>\n"
      }
    }

    /// The CSS class of an admonition: one of a fixed set, whatever the guide wrote.
    static func noteKind(_ kind: String) -> String {
      let known = ["note", "tip", "info", "caution", "warning", "danger", "important"]
      let lower = kind.lowercased()
      return known.contains(lower) ? lower : "note"
    }

    mutating func code(_ code: CodeBlock) {
      var label = code.language ?? ""
      let attributes = code.attributes.map { $0.value == "true" ? $0.name : "\($0.name)=\($0.value)" }
      if !attributes.isEmpty {
        label += (label.isEmpty ? "" : " ") + "{" + attributes.joined(separator: " ") + "}"
      }
      let kind = code.isCheck ? " check" : code.isCommand ? " command" : ""
      out += "<figure class=\"code\(kind)\">"
      if !label.isEmpty { out += "<figcaption>" + HTMLText.escape(label) + "</figcaption>" }
      var text = code.text
      if text.hasSuffix("\n") { text.removeLast() }
      out += "<pre><code>" + renderer.filled(text) + "</code></pre></figure>\n"
    }

    mutating func table(_ table: Table, index: Int) {
      let controlled = !table.rows.isEmpty && decorations.rowControl(index, 0) != nil
      out += "<div class=\"table\"><table>\n<thead><tr>"
      if controlled { out += "<th class=\"confirm\">✓</th>" }
      for cell in table.header {
        out += "<th>"
        inlines(cell, place: .cell)
        out += "</th>"
      }
      out += "</tr></thead>\n<tbody>\n"
      for (r, row) in table.rows.enumerated() {
        out += "<tr>"
        if controlled { out += "<td class=\"confirm\">" + (decorations.rowControl(index, r) ?? "") + "</td>" }
        for cell in row {
          out += "<td>"
          inlines(cell, place: .cell)
          out += "</td>"
        }
        out += "</tr>\n"
      }
      out += "</tbody></table></div>\n"
    }

    mutating func image(alt: String, source: String) {
      if let url = HTMLText.safeURL(source), !source.hasPrefix("#") {
        out += "<img src=\"\(url)\" alt=\"\(HTMLText.escape(alt))\" loading=\"lazy\">"
      } else {
        out += "<span class=\"image-missing\">[image: " + HTMLText.escape(alt.isEmpty ? source : alt)
        out += "] <code>" + HTMLText.escape(source) + "</code></span>"
      }
    }

    mutating func inlines(_ inlines: [Inline], place: Place) {
      for inline in inlines { self.inline(inline, place: place) }
    }

    mutating func inline(_ inline: Inline, place: Place) {
      switch inline {
      case .text(let text, _):
        out += place == .cell ? renderer.filled(text) : HTMLText.escape(text)
      case .softBreak:
        out += "\n"
      case .lineBreak:
        out += "<br>"
      case .code(let code, _):
        out += "<code>" + renderer.filled(code) + "</code>"
      case .html(let html, let at):
        let lower = html.lowercased()
        if lower.hasPrefix("<br") {
          out += "<br>"
          return
        }
        let images = [Content.paragraph([inline], SourceRange(start: at, end: at))].images
        if !images.isEmpty {
          for image in images { self.image(alt: image.alt, source: image.source) }
        } else if !lower.hasPrefix("<!--") {
          // Other inline HTML stays visible as written, inert.
          out += "<span class=\"raw\">" + HTMLText.escape(html) + "</span>"
        }
      case .emphasis(let children, _):
        wrap("em", children, place)
      case .strong(let children, _):
        wrap("strong", children, place)
      case .strikethrough(let children, _):
        wrap("del", children, place)
      case .link(let destination, _, let children, _):
        if let url = HTMLText.safeURL(destination) {
          let external = url.hasPrefix("#") ? "" : " rel=\"noopener noreferrer\" target=\"_blank\""
          out += "<a href=\"\(url)\"\(external)>"
          inlines(children, place: place)
          out += "</a>"
        } else {
          // Not a live link: the text, then the address as text.
          inlines(children, place: place)
          let text = children.plainText
          if !destination.isEmpty, text != destination {
            out += " <span class=\"address\">(" + HTMLText.escape(destination) + ")</span>"
          }
        }
      case .image(let source, _, let children, _):
        image(alt: children.plainText, source: source)
      }
    }

    mutating func wrap(_ tag: String, _ children: [Inline], _ place: Place) {
      out += "<\(tag)>"
      inlines(children, place: place)
      out += "</\(tag)>"
    }
  }
}
