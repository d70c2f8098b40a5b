import RunbookMarkdown

/// Reads the few things the compiler needs out of raw HTML and MDX: images, `<h1>` titles,
/// `<Tabs>`/`<TabItem>` tags and `<!-- step: id -->` pins. It is not an HTML parser.
///
/// Each reader is a small scanner over the UTF-8 bytes that finds exactly what one regular
/// expression (quoted in its comment) would, with ICU's `\s` and `\w`. They were
/// `NSRegularExpression`s: ICU builds its regular-expression character sets the first time one
/// is compiled (8 M instructions, a tenth of linting 44 small guides) and every match went
/// through `NSString`. `HTMLScannerTests` checks the scanners against those expressions.
enum HTMLScanner {
  /// Attributes of a tag's text, such as `src="/img/x.png" alt="X"`: every match of
  /// `([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})`,
  /// the last of a name winning.
  static func attributes(_ text: UTF8Text, _ range: Range<Int>) -> [String: String] {
    func isNameStart(_ b: UInt8) -> Bool {
      b.isASCIILetter || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
    }
    func isName(_ b: UInt8) -> Bool {
      isNameStart(b) || b.isASCIIDigit || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
    func isQuote(_ b: UInt8) -> Bool {
      b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "`")
    }
    let end = range.upperBound
    var out: [String: String] = [:]
    var i = range.lowerBound
    while i < end {
      guard isNameStart(text[i]) else {
        i += 1
        continue
      }
      var nameEnd = i + 1
      while nameEnd < end, isName(text[nameEnd]) { nameEnd += 1 }
      // A match that fails after this name fails the same from every later start inside it.
      var next = nameEnd
      var k = text.skippingWhitespace(from: nameEnd, end: end)
      if k < end, text[k] == UInt8(ascii: "=") {
        k = text.skippingWhitespace(from: k + 1, end: end)
        var value: Range<Int>?
        if k < end, text[k] == UInt8(ascii: "\"") || text[k] == UInt8(ascii: "'") {
          if let close = text.index(of: text[k], from: k + 1, end: end) {
            value = k + 1..<close
            next = close + 1
          }
        } else if k < end, text[k] == UInt8(ascii: "{") {
          let q = text.skippingWhitespace(from: k + 1, end: end)
          if q < end, isQuote(text[q]) {
            var close = q + 1
            while close < end, !isQuote(text[close]) { close += 1 }
            if close < end {
              let brace = text.skippingWhitespace(from: close + 1, end: end)
              if brace < end, text[brace] == UInt8(ascii: "}") {
                value = q + 1..<close
                next = brace + 1
              }
            }
          }
        }
        if let value { out[text.string(i..<nameEnd)] = text.string(value) }
      }
      i = next
    }
    return out
  }

  /// Images in HTML or MDX: every `<(img|(?:[A-Z][A-Za-z0-9]*)?Image)\b([^>]*)>`, in any case,
  /// with a `src` attribute.
  static func images(in html: String, at location: SourceLocation) -> [Image] {
    guard html.containsByte(UInt8(ascii: "<")) else { return [] }
    return UTF8Text.with(html) { text in
      var out: [Image] = []
      var from = 0
      // Line feeds before the last image found, counted once.
      var lines = 0
      var counted = 0
      while let open = text.index(of: UInt8(ascii: "<"), from: from) {
        from = open + 1
        guard let nameEnd = imageNameEnd(text, after: open),
          let close = text.index(of: UInt8(ascii: ">"), from: nameEnd)
        else { continue }
        from = close + 1
        let attrs = attributes(text, nameEnd..<close)
        guard let src = attrs["src"] else { continue }
        lines += text.lineFeeds(in: counted..<open)
        counted = open
        out.append(
          Image(
            alt: attrs["alt"] ?? "", source: src,
            location: SourceLocation(line: location.line + lines, column: lines == 0 ? location.column : 1)))
      }
      return out
    }
  }

  /// Where the name of an image tag that starts at `open` ends, or nil when it is not one.
  /// Under case-insensitive matching `[A-Za-z0-9]` also takes U+017F (ſ) and U+212A (K).
  private static func imageNameEnd(_ text: UTF8Text, after open: Int) -> Int? {
    var end = open + 1
    var startsWithLetter = false
    while end < text.count {
      let b = text[end]
      let length: Int
      if b.isASCIIAlphanumeric {
        length = 1
      } else if text.hasPrefix("\u{17F}", at: end) || text.hasPrefix("\u{212A}", at: end) {
        length = b == 0xC5 ? 2 : 3
      } else {
        break
      }
      if end == open + 1 { startsWithLetter = !b.isASCIIDigit }
      end += length
    }
    let nameLength = end - open - 1
    guard nameLength >= 3, !text.isWordCharacter(at: end) else { return nil }
    if nameLength == 3 && text.hasPrefixIgnoringASCIICase("img", at: open + 1) { return end }
    guard nameLength >= 5, text.hasPrefixIgnoringASCIICase("image", at: end - 5) else { return nil }
    return nameLength == 5 || startsWithLetter ? end : nil
  }

  /// The text of the first `<h1\b[^>]*>(.*?)</h1\s*>` (any case) in an HTML block, tags
  /// (`<[^>]*>`) removed and white space collapsed.
  static func heading1(in html: String) -> String? {
    UTF8Text.with(html) { text -> String? in
      var from = 0
      while let open = text.index(of: UInt8(ascii: "<"), from: from) {
        from = open + 1
        guard text.hasPrefixIgnoringASCIICase("h1", at: open + 1), !text.isWordCharacter(at: open + 3)
        else { continue }
        // With no `>` or no closing tag after this one, there is none after a later one either.
        guard let tagEnd = text.index(of: UInt8(ascii: ">"), from: open + 3),
          let inner = closingHeading1(text, from: tagEnd + 1)
        else { return nil }
        var stripped: [UInt8] = []
        var i = inner.lowerBound
        while i < inner.upperBound {
          guard let tag = text.index(of: UInt8(ascii: "<"), from: i, end: inner.upperBound),
            let close = text.index(of: UInt8(ascii: ">"), from: tag + 1, end: inner.upperBound)
          else {
            stripped.append(contentsOf: text.bytes[i..<inner.upperBound])
            break
          }
          stripped.append(contentsOf: text.bytes[i..<tag])
          i = close + 1
        }
        let words = String(decoding: stripped, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        return words.isEmpty ? nil : words.joined(separator: " ")
      }
      return nil
    }
  }

  /// The content from `start` up to the first `</h1\s*>` (any case), or nil when there is none.
  private static func closingHeading1(_ text: UTF8Text, from start: Int) -> Range<Int>? {
    var from = start
    while let open = text.index(of: UInt8(ascii: "<"), from: from) {
      from = open + 1
      guard text.hasPrefixIgnoringASCIICase("/h1", at: open + 1) else { continue }
      let close = text.skippingWhitespace(from: open + 4)
      if close < text.count, text[close] == UInt8(ascii: ">") { return start..<open }
    }
    return nil
  }

  /// True for a comment that looks like a pin but whose id is not valid (`<!-- step: Bad Id -->`).
  static func looksLikePin(_ html: String) -> Bool {
    let t = html.trimmingSpacesAndNewlines()
    return t.hasPrefix("<!--") && t.dropFirst(4).trimmingSpaces().hasPrefix("step:")
  }

  /// The id of a `<!-- step: id -->` comment, when the HTML is exactly one:
  /// `^\s*<!--\s*step:\s*([A-Za-z0-9][A-Za-z0-9_./-]*)\s*-->\s*$`.
  static func pinnedID(_ html: String) -> String? {
    UTF8Text.with(html) { text -> String? in
      var i = text.skippingWhitespace(from: 0)
      guard text.hasPrefix("<!--", at: i) else { return nil }
      i = text.skippingWhitespace(from: i + 4)
      guard text.hasPrefix("step:", at: i) else { return nil }
      let idStart = text.skippingWhitespace(from: i + 5)
      func isIDByte(_ b: UInt8) -> Bool {
        b.isASCIIAlphanumeric || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/")
          || b == UInt8(ascii: "-")
      }
      guard idStart < text.count, text[idStart].isASCIIAlphanumeric else { return nil }
      var runEnd = idStart + 1
      while runEnd < text.count, isIDByte(text[runEnd]) { runEnd += 1 }
      // The id gives back its last one or two `-` when they begin the closing `-->`.
      for idEnd in stride(from: runEnd, through: max(idStart + 1, runEnd - 2), by: -1) {
        let close = text.skippingWhitespace(from: idEnd)
        if text.hasPrefix("-->", at: close), text.skippingWhitespace(from: close + 3) == text.count {
          return text.string(idStart..<idEnd)
        }
      }
      return nil
    }
  }

  enum TabToken {
    case openTabs, closeTabs
    case openItem(label: String, value: String)
    case closeItem
    case other(String)
  }

  /// Splits HTML into `<Tabs>`/`<TabItem>` tags (`<(/?)(Tabs|TabItem)\b([^>]*?)/?>`) and the
  /// text around them, or nil when it has none.
  static func tabTokens(_ html: String) -> [TabToken]? {
    guard html.containsBytes(of: "<Tab") || html.containsBytes(of: "</Tab") else { return nil }
    return UTF8Text.with(html) { text -> [TabToken]? in
      var tokens: [TabToken] = []
      var cursor = 0
      var from = 0
      func other(_ range: Range<Int>) {
        let between = text.string(range)
        if !between.trimmingSpacesAndNewlines().isEmpty { tokens.append(.other(between)) }
      }
      while let open = text.index(of: UInt8(ascii: "<"), from: from) {
        from = open + 1
        let closing = text.hasPrefix("/", at: open + 1)
        let name = closing ? open + 2 : open + 1
        let isItem: Bool
        if text.hasPrefix("Tabs", at: name), !text.isWordCharacter(at: name + 4) {
          isItem = false
        } else if text.hasPrefix("TabItem", at: name), !text.isWordCharacter(at: name + 7) {
          isItem = true
        } else {
          continue
        }
        let attributesStart = name + (isItem ? 7 : 4)
        guard let close = text.index(of: UInt8(ascii: ">"), from: attributesStart) else { continue }
        other(cursor..<open)
        if isItem {
          if closing {
            tokens.append(.closeItem)
          } else {
            // A `/` before the `>` (the expression leaves it out) cannot change an attribute.
            let attrs = attributes(text, attributesStart..<close)
            let value = attrs["value"] ?? attrs["label"] ?? ""
            tokens.append(.openItem(label: attrs["label"] ?? value, value: value))
          }
        } else {
          tokens.append(closing ? .closeTabs : .openTabs)
        }
        cursor = close + 1
        from = cursor
      }
      guard cursor > 0 else { return nil }
      other(cursor..<text.count)
      return tokens
    }
  }
}
