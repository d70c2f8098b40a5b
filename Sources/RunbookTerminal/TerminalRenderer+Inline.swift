import RunbookCore
import RunbookMarkdown

extension TerminalRenderer {
  /// Where inline content sits. Placeholders are filled in inline code everywhere, and in all
  /// the text of a table cell.
  enum InlinePlace {
    case prose, cell
  }

  /// Inline content as styled text; breaks are newlines, wrapping is the caller's.
  func styled(_ inlines: [Inline], _ attributes: TextAttributes = .none, in place: InlinePlace = .prose)
    -> StyledText
  {
    var out = StyledText()
    for inline in inlines { append(inline, attributes, place, to: &out) }
    return out
  }

  private func append(
    _ inline: Inline, _ attributes: TextAttributes, _ place: InlinePlace, to out: inout StyledText
  ) {
    switch inline {
    case .text(let text, _):
      out.append(place == .cell ? filled(text, attributes) : StyledText(clean(text), attributes))
    case .softBreak:
      out.append(" ", attributes)
    case .lineBreak:
      out.append("\n", attributes)
    case .code(let code, _):
      // Coloured in a colour terminal; as it is otherwise, so that text copied from the run
      // reads as the guide does.
      out.append(filled(code, style.color ? attributes.adding(SGR.cyan) : attributes))
    case .html(let html, let at):
      if Self.isLineBreakTag(html) {
        out.append("\n", attributes)
        return
      }
      let images = [Content.paragraph([inline], SourceRange(start: at, end: at))].images
      if !images.isEmpty {
        for (index, image) in images.enumerated() {
          if index > 0 { out.append(" ", attributes) }
          out.append(imageText(alt: image.alt, source: image.source, attributes))
        }
      } else if HTMLTag.isMarkup(html) {
        // Tags of HTML elements and JSX components (`<div style={{…}}>`, `</kbd>`) show nothing:
        // the text between them is what the page shows.
        return
      } else {
        // Other inline HTML (`<your-domain>`) stays as written, inert.
        out.append(place == .cell ? filled(html, attributes) : StyledText(clean(html), attributes))
      }
    case .emphasis(let children, _):
      out.append(styled(children, attributes.adding(SGR.italic, when: style.color), in: place))
    case .strong(let children, _):
      out.append(styled(children, attributes.adding(SGR.bold, when: style.color), in: place))
    case .strikethrough(let children, _):
      out.append(styled(children, attributes.adding(SGR.strikethrough, when: style.color), in: place))
    case .link(let destination, _, let children, _):
      let target = style.hyperlinks ? Self.hyperlinkTarget(destination) : nil
      var linkAttributes = attributes.adding(SGR.underline, when: style.color)
      if let target { linkAttributes = linkAttributes.linking(target) }
      out.append(styled(children, linkAttributes, in: place))
      // In prose, an address that is not a hyperlink comes after the block (``linkLines(_:)``);
      // in a table cell it stays beside its text.
      if place == .cell, target == nil, let shown = Self.shownAddress(children, destination) {
        out.append(" (", attributes)
        out.append(clean(shown), attributes.adding(SGR.dim, when: style.color))
        out.append(")", attributes)
      }
    case .image(let source, _, let children, _):
      out.append(imageText(alt: children.plainText, source: source, attributes))
    }
  }

  /// The address to show for a link, or nil when its text already is the address.
  static func shownAddress(_ text: [Inline], _ destination: String) -> String? {
    let shown = destination.trimmingCharacters(in: .whitespaces)
    let plain = text.plainText
    guard !shown.isEmpty, plain != destination, "mailto:" + plain != destination else { return nil }
    return shown
  }

  /// One line per link of the inlines whose address the terminal cannot carry as a hyperlink:
  /// `-> text: address`, shown after the paragraph, heading or title that holds them, so that
  /// the text reads as the guide does and every address still reaches the admin.
  func linkLines(_ inlines: [Inline], width: Int) -> [String] {
    var seen: Set<String> = []
    var out: [String] = []
    func visit(_ inlines: [Inline]) {
      for inline in inlines {
        if case .link(let destination, _, let children, _) = inline {
          let linked = style.hyperlinks && Self.hyperlinkTarget(destination) != nil
          if !linked, let shown = Self.shownAddress(children, destination) {
            let text = clean(children.plainText).trimming(" ")
            let line = (text.isEmpty ? "" : text + ": ") + clean(shown)
            if seen.insert(line).inserted {
              var styled = StyledText(style.color ? "→ " : "-> ", attributes(SGR.dim))
              styled.append(line, attributes(SGR.dim))
              out += wrap(styled, width)
            }
          }
        }
        visit(inline.children)
      }
    }
    visit(inlines)
    return out
  }

  /// `[image: alt] url`, the URL a hyperlink when the terminal supports them.
  func imageText(alt: String, source: String, _ attributes: TextAttributes) -> StyledText {
    let alt = clean(alt).trimming(" ")
    var out = StyledText(alt.isEmpty ? "[image]" : "[image: \(alt)]", attributes)
    let shown = clean(source).trimming(" ")
    guard !shown.isEmpty else { return out }
    out.append(" ", attributes)
    var sourceAttributes = attributes.adding(SGR.dim, when: style.color)
    if style.hyperlinks, let target = Self.hyperlinkTarget(source) {
      sourceAttributes = sourceAttributes.linking(target)
    }
    out.append(shown, sourceAttributes)
    return out
  }

  /// Document text made inert; on one line unless `keepNewlines`, tabs as spaces unless kept
  /// for a code block to expand.
  func clean(_ text: String, keepNewlines: Bool = false) -> String {
    let safe = Sanitizer.terminal(text, keepNewlines: keepNewlines)
    guard !keepNewlines, safe.contains("\t") else { return safe }
    return String(safe.map { $0 == "\t" ? " " : $0 })
  }

  /// Text with its placeholders filled from `values`, the values highlighted; the same
  /// placeholders ``Placeholder/substitute(_:_:)`` replaces. Text and values are sanitised.
  func filled(_ text: String, _ attributes: TextAttributes, keepNewlines: Bool = false) -> StyledText {
    var out = StyledText()
    let characters = Array(text)
    var cursor = 0
    for occurrence in Placeholder.scan(text) {
      guard occurrence.offset >= cursor, let value = values(occurrence.id) else { continue }
      out.append(
        clean(String(characters[cursor..<occurrence.offset]), keepNewlines: keepNewlines), attributes)
      out.append(clean(value, keepNewlines: keepNewlines), attributes.adding(SGR.bold, when: style.color))
      cursor = occurrence.offset + occurrence.name.count + 2
    }
    out.append(clean(String(characters[cursor...]), keepNewlines: keepNewlines), attributes)
    return out
  }

  /// `<br>`, `<br/>`, `<br />`.
  static func isLineBreakTag(_ html: String) -> Bool {
    let lower = html.lowercased()
    guard lower.hasPrefix("<br") else { return false }
    let rest = lower.dropFirst(3)
    return rest.first.map { $0 == ">" || $0 == "/" || $0 == " " } ?? false
  }

  /// A URL fit for OSC 8: only absolute URLs (with a scheme), controls and whitespace removed,
  /// other non-ASCII percent-encoded; nil when nothing usable is left.
  static func hyperlinkTarget(_ url: String) -> String? {
    var out = ""
    for scalar in url.unicodeScalars {
      let value = scalar.value
      if value <= 0x20 || (0x7F..<0xA0).contains(value) || scalar.properties.isWhitespace
        || scalar.properties.generalCategory == .format
      {
        continue
      }
      if scalar.isASCII {
        out.unicodeScalars.append(scalar)
      } else {
        for byte in String(scalar).utf8 { out += "%" + String(byte, radix: 16, uppercase: true) }
      }
    }
    guard let colon = out.firstIndex(of: ":"), colon != out.startIndex,
      out[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
      out[out.startIndex].isLetter
    else { return nil }
    return out
  }
}

extension TextAttributes {
  /// These attributes with an SGR parameter added when `condition` holds.
  func adding(_ code: Int, when condition: Bool) -> TextAttributes {
    condition ? adding(code) : self
  }
}
