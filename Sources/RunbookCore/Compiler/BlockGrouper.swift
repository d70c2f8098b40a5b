import RunbookMarkdown

/// Turns a sequence of sibling Markdown blocks into ``Node``s. Docusaurus admonitions arrive
/// from cmark as paragraph text (`:::note` … `:::`, possibly sharing one paragraph with the
/// body), so paragraphs are split at fence lines first; the fences then open and close groups
/// across any blocks between them (code blocks, blank lines, lists).
struct BlockGrouper {
  static let admonitionKinds: Set<String> = [
    "note", "tip", "info", "caution", "warning", "danger", "important", "success", "secondary",
  ]
  static let alertKinds: [String: String] = [
    "[!NOTE]": "note", "[!TIP]": "tip", "[!IMPORTANT]": "important", "[!WARNING]": "warning",
    "[!CAUTION]": "caution",
  ]

  enum Token {
    case node(Node)
    case open(kind: String, title: String?, SourceLocation)
    case close(SourceLocation)
    case openTabs(group: String?, SourceLocation)
    case closeTabs(SourceLocation)
    case openItem(label: String, value: String, SourceLocation)
    case closeItem(SourceLocation)
  }

  /// Groups one container's blocks; diagnostics go to `diagnostics`. In MDX (`mdx`), indented
  /// text is text, not an indented code block.
  /// MDX `import`/`export` lines are dropped only at the top level (`topLevel`), as MDX reads them.
  static func group(
    _ blocks: [MarkdownBlock], _ diagnostics: inout DiagnosticCollector, mdx: Bool, topLevel: Bool = false
  ) -> [Node] {
    var tokens: [Token] = []
    var open = 0
    for block in DefinitionList.merge(mdx ? reparsingIndentedCode(blocks) : blocks) {
      // A `:::` right after a list's last line is a lazy continuation of that item's
      // paragraph; when an admonition is open here, it closes that admonition.
      let first = tokens.count
      if open > 0, case .list(let list) = block, let (trimmed, at) = hoistTrailingCloser(list) {
        tokenize(.list(trimmed), into: &tokens, &diagnostics, mdx: mdx, topLevel: topLevel)
        tokens.append(.close(at))
      } else {
        tokenize(block, into: &tokens, &diagnostics, mdx: mdx, topLevel: topLevel)
      }
      for token in tokens[first...] {
        switch token {
        case .open: open += 1
        case .close: open = max(open - 1, 0)
        default: break
        }
      }
    }
    return assemble(tokens, &diagnostics)
  }

  /// The list without a `:::` line ending its last item's last paragraph, and where it was.
  static func hoistTrailingCloser(_ list: MarkdownList) -> (MarkdownList, SourceLocation)? {
    guard var item = list.items.last, let last = item.blocks.last else { return nil }
    switch last {
    case .paragraph(let inlines, let range):
      guard
        let breakIndex = inlines.lastIndex(where: {
          switch $0 {
          case .softBreak, .lineBreak: true
          default: false
          }
        }),
        Array(inlines[(breakIndex + 1)...]).plainText.trimmingSpaces() == ":::"
      else { return nil }
      let at = inlines[breakIndex + 1].location
      item.blocks[item.blocks.count - 1] = .paragraph(Array(inlines[..<breakIndex]), range)
      var copy = list
      copy.items[copy.items.count - 1] = item
      return (copy, at)
    case .list(let inner):
      guard let (trimmed, at) = hoistTrailingCloser(inner) else { return nil }
      item.blocks[item.blocks.count - 1] = .list(trimmed)
      var copy = list
      copy.items[copy.items.count - 1] = item
      return (copy, at)
    default:
      return nil
    }
  }

  /// MDX 2 and later have no indented code blocks: text indented four spaces is read as
  /// Markdown. Each indented code block is parsed again as Markdown, in place, its positions
  /// those of the guide.
  static func reparsingIndentedCode(_ blocks: [MarkdownBlock]) -> [MarkdownBlock] {
    guard blocks.contains(where: { if case .codeBlock(let c) = $0 { c.fence == nil } else { false } }) else {
      return blocks
    }
    return blocks.flatMap { block -> [MarkdownBlock] in
      guard case .codeBlock(let code) = block, code.fence == nil else { return [block] }
      let document = MarkdownParser.parse(Substring(code.text), blankLinesBefore: code.range.start.line - 1)
      return document.blocks.map { $0.shiftingColumns(by: code.range.start.column - 1) }
    }
  }

  // MARK: - Tokens

  static func tokenize(
    _ block: MarkdownBlock, into tokens: inout [Token], _ diagnostics: inout DiagnosticCollector, mdx: Bool,
    topLevel: Bool
  ) {
    switch block {
    case .paragraph(let inlines, let range):
      splitParagraph(inlines, range, into: &tokens, topLevel: topLevel)
    case .blockQuote(let blocks, let range):
      if let alert = alert(blocks, range, &diagnostics, mdx: mdx) {
        tokens.append(.node(alert))
      } else {
        tokens.append(.node(.block(block)))
      }
    case .html(let html, let range):
      if let id = HTMLScanner.pinnedID(html) {
        tokens.append(.node(.pin(id, range.start)))
      } else if let written = HTMLScanner.condition(html) {
        if let condition = Condition(parsing: written, at: range.start) {
          tokens.append(.node(.condition(condition)))
        } else {
          diagnostics.report(
            .warning, "invalid-condition", at: range.start,
            "this condition cannot be read; write it as `<!-- if: input = value -->` (or `!=`, with values separated by `|`)"
          )
          tokens.append(.node(.block(block)))
        }
      } else if HTMLScanner.looksLikePin(html) {
        diagnostics.report(
          .warning, "invalid-step-pin", at: range.start,
          "this step pin's id is not valid; use letters, digits, `-`, `_`, `.` and `/` only, as in `<!-- step: create-domain -->`"
        )
        tokens.append(.node(.block(block)))
      } else if let tabTokens = HTMLScanner.tabTokens(html) {
        for token in tabTokens {
          switch token {
          case .openTabs(let group): tokens.append(.openTabs(group: group, range.start))
          case .closeTabs: tokens.append(.closeTabs(range.start))
          case .openItem(let label, let value):
            tokens.append(.openItem(label: label, value: value, range.start))
          case .closeItem: tokens.append(.closeItem(range.start))
          case .other(let text): tokens.append(.node(.block(.html(text, range))))
          }
        }
      } else {
        tokens.append(.node(.block(block)))
      }
    default:
      tokens.append(.node(.block(block)))
    }
  }

  /// Splits a paragraph at admonition fence lines and drops MDX `import`/`export` lines.
  static func splitParagraph(
    _ inlines: [Inline], _ range: SourceRange, into tokens: inout [Token], topLevel: Bool
  ) {
    var lines: [[Inline]] = [[]]
    for inline in inlines {
      switch inline {
      case .softBreak, .lineBreak: lines.append([])
      default: lines[lines.count - 1].append(inline)
      }
    }
    // Only literal text can be a fence: `:::note` in inline code is an example, not a note.
    let texts = lines.map { line -> String in
      guard case .text? = line.first else { return "" }
      return line.plainText.trimmingSpaces()
    }
    if topLevel, texts.allSatisfy({ isModuleLine($0) }) { return }
    if isComponent(inlines) {
      // An MDX component such as `<Tags tags={[…]} />` that CommonMark does not see as HTML.
      tokens.append(.node(.block(.html(rawText(inlines), range))))
      return
    }
    guard texts.contains(where: { $0.hasPrefix(":::") }) else {
      tokens.append(.node(.block(.paragraph(inlines, range))))
      return
    }
    var pending: [Inline] = []
    var pendingStart: SourceLocation?
    func flush() {
      if !pending.isEmpty, let start = pendingStart {
        tokens.append(.node(.block(.paragraph(pending, SourceRange(start: start, end: range.end)))))
      }
      pending = []
      pendingStart = nil
    }
    for (line, text) in zip(lines, texts) {
      let at = line.first?.location ?? range.start
      if text.hasPrefix(":::") {
        flush()
        let rest = text.dropFirst(3).trimmingSpaces()
        if rest.isEmpty {
          tokens.append(.close(at))
        } else {
          let (kind, title) = parseOpener(rest)
          tokens.append(.open(kind: kind, title: title, at))
        }
      } else {
        if !pending.isEmpty { pending.append(.softBreak(at)) }
        if pendingStart == nil { pendingStart = at }
        pending.append(contentsOf: line)
      }
    }
    flush()
  }

  /// `note Title`, `note[Title]`, `note`.
  static func parseOpener(_ text: String) -> (String, String?) {
    var kind = ""
    var rest = Substring(text)
    while let c = rest.first, c.isLetter || c.isNumber || c == "-" || c == "_" {
      kind.append(c)
      rest = rest.dropFirst()
    }
    var title = rest.trimmingSpaces()
    if title.hasPrefix("["), title.hasSuffix("]") { title = String(title.dropFirst().dropLast()) }
    return (kind.lowercased(), title.isEmpty ? nil : title)
  }

  /// True when a paragraph is one JSX element: it starts with `<Capitalised` and ends with `/>`
  /// or a closing tag.
  static func isComponent(_ inlines: [Inline]) -> Bool {
    let text = rawText(inlines).trimmingSpacesAndNewlines()
    guard text.hasPrefix("<"), let second = text.dropFirst().first, second.isUppercase else { return false }
    return text.hasSuffix("/>") || (text.hasSuffix(">") && text.contains("</"))
  }

  /// The text of inlines with inline HTML kept, for content that is really markup.
  static func rawText(_ inlines: [Inline]) -> String {
    var out = ""
    for inline in inlines {
      switch inline {
      case .text(let s, _), .html(let s, _): out += s
      case .code(let s, _): out += "`\(s)`"
      case .softBreak, .lineBreak: out += "\n"
      default: out += rawText(inline.children)
      }
    }
    return out
  }

  static func isModuleLine(_ text: String) -> Bool {
    (text.hasPrefix("import ") && (text.contains(" from ") || text.hasSuffix(";")))
      || text.hasPrefix("export ")
  }

  /// A block quote that starts with `[!NOTE]` and the like, as a note.
  static func alert(
    _ blocks: [MarkdownBlock], _ range: SourceRange, _ diagnostics: inout DiagnosticCollector, mdx: Bool
  ) -> Node? {
    guard case .paragraph(let inlines, let pRange)? = blocks.first,
      case .text(let first, _)? = inlines.first
    else { return nil }
    let marker = first.prefix { $0 != " " && $0 != "\n" }
    guard let kind = alertKinds[marker.uppercased()] else { return nil }
    var rest = inlines
    let remainder = first.dropFirst(marker.count).trimmingSpaces()
    if remainder.isEmpty {
      rest.removeFirst()
      if case .softBreak? = rest.first { rest.removeFirst() }
    } else {
      rest[0] = .text(remainder, inlines[0].location)
    }
    var body = Array(blocks.dropFirst())
    if !rest.isEmpty { body.insert(.paragraph(rest, pRange), at: 0) }
    return .note(kind: kind, title: nil, nodes: group(body, &diagnostics, mdx: mdx), range)
  }

  // MARK: - Assembly

  enum FrameKind {
    case root
    case note(kind: String, title: String?)
    case tabs(group: String?)
    case item(label: String, value: String)
  }

  struct Frame {
    var kind: FrameKind
    var start: SourceLocation
    var nodes: [Node] = []
    var items: [TabNode] = []
  }

  static func assemble(_ tokens: [Token], _ diagnostics: inout DiagnosticCollector) -> [Node] {
    var stack = [Frame(kind: .root, start: SourceLocation(line: 1, column: 1))]
    var lastLocation = SourceLocation(line: 1, column: 1)

    func close(_ frame: Frame, at end: SourceLocation, into stack: inout [Frame]) {
      let range = SourceRange(start: frame.start, end: end)
      switch frame.kind {
      case .root: break
      case .note(let kind, let title):
        stack[stack.count - 1].nodes.append(.note(kind: kind, title: title, nodes: frame.nodes, range))
      case .item(let label, let value):
        let tab = TabNode(label: label, value: value, nodes: frame.nodes, range: range)
        if case .tabs = stack[stack.count - 1].kind {
          stack[stack.count - 1].items.append(tab)
        } else {
          stack[stack.count - 1].nodes.append(.tabs(TabGroup(tabs: [tab], group: nil, range: range)))
        }
      case .tabs(let group):
        // Content between the tags but outside any item stays before the tabs.
        stack[stack.count - 1].nodes.append(contentsOf: frame.nodes)
        stack[stack.count - 1].nodes.append(.tabs(TabGroup(tabs: frame.items, group: group, range: range)))
      }
    }

    /// Closes frames down to the innermost one `isTarget` picks (admonitions left open on the
    /// way are reported); false, changing nothing, when no open frame matches.
    func closeUntil(_ isTarget: (FrameKind) -> Bool, at: SourceLocation) -> Bool {
      guard stack.contains(where: { isTarget($0.kind) }) else { return false }
      while let top = stack.popLast() {
        if isTarget(top.kind) {
          close(top, at: at, into: &stack)
          break
        }
        unclosed(top, &diagnostics)
        close(top, at: at, into: &stack)
      }
      return true
    }

    // Admonitions and tabs nested deeper than blocks may be are not opened (later stages walk
    // the groups recursively): their content stays in the enclosing group, and their closers are
    // matched against these counts instead of closing an outer group.
    var tooDeep = (notes: 0, tabs: 0, items: 0)
    func fits(_ at: SourceLocation) -> Bool {
      guard stack.count >= MarkdownParser.maximumDepth else { return true }
      if tooDeep == (0, 0, 0) {
        diagnostics.report(
          .warning, "nesting-too-deep", at: at,
          "admonitions or tabs are nested more than \(MarkdownParser.maximumDepth) deep here; the deeper ones are kept as the content around them"
        )
      }
      return false
    }

    for token in tokens {
      switch token {
      case .node(let node):
        lastLocation = node.start
        stack[stack.count - 1].nodes.append(node)
      case .open(_, _, let at) where !fits(at):
        tooDeep.notes += 1
      case .close where tooDeep.notes > 0:
        tooDeep.notes -= 1
      case .openTabs(_, let at) where !fits(at):
        tooDeep.tabs += 1
      case .closeTabs where tooDeep.tabs > 0:
        tooDeep.tabs -= 1
      case .openItem(_, _, let at) where !fits(at):
        tooDeep.items += 1
      case .closeItem where tooDeep.items > 0:
        tooDeep.items -= 1
      case .open(let kind, let title, let at):
        lastLocation = at
        if !admonitionKinds.contains(kind) {
          diagnostics.report(
            .warning, "unknown-admonition", at: at,
            "`:::\(kind)` is not a Docusaurus admonition; use note, tip, info, caution, warning or danger")
        }
        stack.append(Frame(kind: .note(kind: kind, title: title), start: at))
      case .close(let at):
        lastLocation = at
        if !closeUntil({ if case .note = $0 { true } else { false } }, at: at) {
          diagnostics.report(
            .warning, "stray-admonition-close", at: at,
            "`:::` closes no admonition; remove it or add an opening `:::note` line")
        }
      case .openTabs(let group, let at):
        stack.append(Frame(kind: .tabs(group: group), start: at))
      case .closeTabs(let at):
        _ = closeUntil({ if case .tabs = $0 { true } else { false } }, at: at)
      case .openItem(let label, let value, let at):
        if case .item = stack[stack.count - 1].kind {
          let top = stack.removeLast()
          close(top, at: at, into: &stack)
        }
        stack.append(Frame(kind: .item(label: label, value: value), start: at))
      case .closeItem(let at):
        _ = closeUntil({ if case .item = $0 { true } else { false } }, at: at)
      }
    }
    while stack.count > 1 {
      let top = stack.removeLast()
      if case .note = top.kind {
        // An unclosed admonition must not swallow the steps after it: keep its blocks in place.
        unclosed(top, &diagnostics)
        stack[stack.count - 1].nodes.append(contentsOf: top.nodes)
      } else {
        close(top, at: lastLocation, into: &stack)
      }
    }
    return stack[0].nodes
  }

  static func unclosed(_ frame: Frame, _ diagnostics: inout DiagnosticCollector) {
    if case .note(let kind, _) = frame.kind {
      diagnostics.report(
        .error, "unclosed-admonition", at: frame.start,
        "`:::\(kind)` is never closed; add a line with `:::` where the note ends")
    }
  }
}
