internal import CCmarkGFM

/// Walks a cmark tree once with its iterator and builds Swift values bottom-up.
struct TreeConverter {
  enum Kind {
    case document, blockQuote
    case heading(Int)
    case paragraph
    case list(ordered: Bool, start: Int, tight: Bool)
    case item(MarkdownListItem.Task?)
    case table
    case tableRow(header: Bool)
    case tableCell
    case emphasis, strong, strikethrough
    case link(String, String)
    case image(String, String)
    case other
  }

  /// A node being converted. Its blocks and inlines are the ends of ``TreeConverter/blocks``
  /// and ``TreeConverter/inlines`` from these offsets: one array of each for the whole tree,
  /// and each node's own array is made once at its final size when the node is finished,
  /// instead of growing an array per node one element at a time.
  struct Frame {
    var kind: Kind
    var range: SourceRange
    var firstBlock: Int
    var firstInline: Int
    var items: [MarkdownListItem] = []
    var rows: [MarkdownTable.Row] = []
    var cells: [[Inline]] = []
  }

  var source: SourceText
  var stack: [Frame] = []
  var blocks: [MarkdownBlock] = []
  var inlines: [Inline] = []
  var depthLimited: [SourceLocation] = []
  var blockDepth = 0

  init(source: SourceText) {
    self.source = source
  }

  /// Converts the document one top-level block at a time and frees each block's cmark nodes as
  /// soon as it is converted, so cmark's tree and the Swift values never both hold the whole
  /// document (the peak memory of a compile).
  mutating func convert(_ root: OpaquePointer) -> MarkdownDocument {
    stack = [Frame(kind: .document, range: range(of: root), firstBlock: 0, firstInline: 0)]
    blockDepth = 1  // the document itself
    var child = cmark_node_first_child(root)
    while let node = child {
      child = cmark_node_next(node)
      walk(node)
      cmark_node_free(node)  // unlinks it from the document too
    }
    stack.removeLast()
    return MarkdownDocument(blocks: blocks, depthLimitedAt: depthLimited, lineCount: source.lineCount)
  }

  /// Converts the subtree at `top` into the frame on top of the stack.
  mutating func walk(_ top: OpaquePointer) {
    guard let iter = cmark_iter_new(top) else { return }
    defer { cmark_iter_free(iter) }
    while true {
      let event = cmark_iter_next(iter)
      if event == CMARK_EVENT_DONE { break }
      guard let node = cmark_iter_get_node(iter) else { continue }
      if event == CMARK_EVENT_ENTER {
        if isLeaf(node) {
          appendLeaf(node)
        } else if isBlock(node), blockDepth >= MarkdownParser.maximumDepth {
          // Too deep: keep the subtree's text as one paragraph and skip it.
          let range = self.range(of: node)
          depthLimited.append(range.start)
          let text = Self.plainText(of: node)
          blocks.append(.paragraph([.text(text, range.start)], range))
          // Resetting to the node's exit makes the next step move past the whole subtree.
          cmark_iter_reset(iter, node, CMARK_EVENT_EXIT)
        } else {
          if isBlock(node) { blockDepth += 1 }
          stack.append(
            Frame(
              kind: kind(of: node), range: range(of: node), firstBlock: blocks.count,
              firstInline: inlines.count))
        }
      } else if event == CMARK_EVENT_EXIT {
        if isBlock(node) { blockDepth -= 1 }
        finish(stack.removeLast())
      }
    }
  }

  // MARK: - Node facts

  func isBlock(_ node: OpaquePointer) -> Bool {
    (cmark_node_get_type(node).rawValue & UInt32(CMARK_NODE_TYPE_MASK)) == UInt32(CMARK_NODE_TYPE_BLOCK)
  }

  func isLeaf(_ node: OpaquePointer) -> Bool {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE,
      CMARK_NODE_HTML_INLINE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK,
      CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_FOOTNOTE_REFERENCE:
      return true
    default:
      return false
    }
  }

  /// A line cmark reports, as a line of the file (0, "unknown", stays 0).
  func fileLine(_ line: Int32) -> Int {
    line > 0 ? Int(line) + source.blankLinesBefore : 0
  }

  func range(of node: OpaquePointer) -> SourceRange {
    SourceRange(
      start: SourceLocation(
        line: fileLine(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node))),
      end: SourceLocation(
        line: fileLine(cmark_node_get_end_line(node)), column: Int(cmark_node_get_end_column(node))))
  }

  func location(of node: OpaquePointer) -> SourceLocation {
    let line = fileLine(cmark_node_get_start_line(node))
    if line > 0 {
      return SourceLocation(line: line, column: Int(cmark_node_get_start_column(node)))
    }
    // Soft breaks report line 0: place them just after the inline before them.
    if let previous = cmark_node_previous(node) {
      return SourceLocation(
        line: fileLine(cmark_node_get_end_line(previous)),
        column: Int(cmark_node_get_end_column(previous)) + 1)
    }
    if let parent = cmark_node_parent(node) { return location(of: parent) }
    return SourceLocation(line: 1, column: 1)
  }

  static func string(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }

  func kind(of node: OpaquePointer) -> Kind {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_DOCUMENT: return .document
    case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
    case CMARK_NODE_HEADING: return .heading(Int(cmark_node_get_heading_level(node)))
    case CMARK_NODE_PARAGRAPH: return .paragraph
    case CMARK_NODE_LIST:
      return .list(
        ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
        start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
    case CMARK_NODE_ITEM:
      if Self.string(cmark_node_get_type_string(node)) == "tasklist" {
        return .item(cmark_gfm_extensions_get_tasklist_item_checked(node) ? .checked : .open)
      }
      return .item(nil)
    case CMARK_NODE_EMPH: return .emphasis
    case CMARK_NODE_STRONG: return .strong
    case CMARK_NODE_LINK:
      return .link(Self.string(cmark_node_get_url(node)), Self.string(cmark_node_get_title(node)))
    case CMARK_NODE_IMAGE:
      return .image(Self.string(cmark_node_get_url(node)), Self.string(cmark_node_get_title(node)))
    default:
      switch Self.string(cmark_node_get_type_string(node)) {
      case "table": return .table
      case "table_header": return .tableRow(header: true)
      case "table_row": return .tableRow(header: false)
      case "table_cell": return .tableCell
      case "strikethrough": return .strikethrough
      case "tasklist":
        return .item(cmark_gfm_extensions_get_tasklist_item_checked(node) ? .checked : .open)
      default: return .other
      }
    }
  }

  // MARK: - Building values

  mutating func appendLeaf(_ node: OpaquePointer) {
    let literal = { Self.string(cmark_node_get_literal(node)) }
    switch cmark_node_get_type(node) {
    case CMARK_NODE_TEXT: appendInline(.text(literal(), location(of: node)))
    case CMARK_NODE_SOFTBREAK: appendInline(.softBreak(location(of: node)))
    case CMARK_NODE_LINEBREAK: appendInline(.lineBreak(location(of: node)))
    case CMARK_NODE_CODE: appendInline(.code(literal(), location(of: node)))
    case CMARK_NODE_HTML_INLINE: appendInline(.html(literal(), location(of: node)))
    case CMARK_NODE_FOOTNOTE_REFERENCE: appendInline(.text(literal(), location(of: node)))
    case CMARK_NODE_HTML_BLOCK: appendBlock(.html(literal(), range(of: node)))
    case CMARK_NODE_THEMATIC_BREAK: appendBlock(.thematicBreak(range(of: node)))
    case CMARK_NODE_CODE_BLOCK: appendBlock(.codeBlock(codeBlock(node)))
    default: break
    }
  }

  mutating func codeBlock(_ node: OpaquePointer) -> MarkdownCodeBlock {
    var length: Int32 = 0
    var offset: Int32 = 0
    var character: CChar = 0
    let range = range(of: node)
    let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
    var fence: String?
    var closed = true
    if fenced, length > 0 {
      let fenceChar = UInt8(bitPattern: character)
      fence = String(repeating: Character(Unicode.Scalar(fenceChar)), count: Int(length))
      // cmark does not say whether the fence was closed. The last line must be a closing fence
      // at or right of the container's content column (the opening fence's column minus its
      // own indentation); an unindented fence after an indented one opens a new block instead.
      closed =
        range.end.line > range.start.line
        && Self.isClosingFence(
          source.line(range.end.line), char: fenceChar, length: Int(length),
          minimumColumn: range.start.column - Int(offset))
    }
    return MarkdownCodeBlock(
      info: Self.string(cmark_node_get_fence_info(node)),
      text: Self.string(cmark_node_get_literal(node)), fence: fence, closed: closed, range: range)
  }

  static func isClosingFence(_ line: ArraySlice<UInt8>, char: UInt8, length: Int, minimumColumn: Int) -> Bool
  {
    // Container prefixes (list indentation, `>`) may precede the fence: skip spaces and `>`.
    var i = line.startIndex
    while i < line.endIndex,
      line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t")
        || line[i] == UInt8(ascii: ">")
    {
      i += 1
    }
    guard i - line.startIndex + 1 >= minimumColumn else { return false }
    var count = 0
    while i < line.endIndex, line[i] == char {
      count += 1
      i += 1
    }
    guard count >= length else { return false }
    while i < line.endIndex {
      if line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") { return false }
      i += 1
    }
    return true
  }

  /// The digits at a 1-based byte column of a line (an ordered item's marker).
  static func leadingNumber(_ line: ArraySlice<UInt8>, column: Int) -> Int? {
    var i = line.startIndex + max(column - 1, 0)
    var value = 0
    var digits = 0
    while i < line.endIndex, line[i] >= UInt8(ascii: "0"), line[i] <= UInt8(ascii: "9"), digits < 9 {
      value = value * 10 + Int(line[i] - UInt8(ascii: "0"))
      digits += 1
      i += 1
    }
    return digits > 0 ? value : nil
  }

  /// Cells written on a table row's source line. Like GitHub, every unescaped pipe separates
  /// cells, even inside a code span (write `\|` there).
  static func cellCount(_ line: ArraySlice<UInt8>) -> Int {
    var bytes = Array(line)
    while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
      bytes.removeLast()
    }
    var start = 0
    while start < bytes.count,
      bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t")
        || bytes[start] == UInt8(ascii: ">")
    {
      start += 1
    }
    guard start < bytes.count else { return 0 }
    var pipes: [Int] = []
    var i = start
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\\") {
        i += 2
        continue
      }
      if b == UInt8(ascii: "|") { pipes.append(i) }
      i += 1
    }
    var cells = pipes.count + 1
    if pipes.first == start { cells -= 1 }
    if let last = pipes.last, last == bytes.count - 1, bytes.count - 1 != start || pipes.count > 1 {
      cells -= 1
    }
    return max(cells, 0)
  }

  mutating func appendInline(_ inline: Inline) {
    inlines.append(inline)
  }

  mutating func appendBlock(_ block: MarkdownBlock) {
    blocks.append(block)
  }

  /// Takes a finished node's blocks off the end of ``blocks``. Copied through a buffer pointer:
  /// `Array(blocks[n...])` would share the whole buffer when `n` is 0, and the removal after it
  /// would then allocate a new one for the shared array.
  mutating func takeBlocks(_ frame: Frame) -> [MarkdownBlock] {
    let own = blocks.withUnsafeBufferPointer { Array($0[frame.firstBlock...]) }
    blocks.removeLast(blocks.count - frame.firstBlock)
    return own
  }

  /// Takes a finished node's inlines off the end of ``inlines``.
  mutating func takeInlines(_ frame: Frame) -> [Inline] {
    let own = inlines.withUnsafeBufferPointer { Array($0[frame.firstInline...]) }
    inlines.removeLast(inlines.count - frame.firstInline)
    return own
  }

  mutating func finish(_ frame: Frame) {
    let at = frame.range.start
    switch frame.kind {
    case .document, .other:
      // Unknown containers (footnote definitions): their content stays in place, in the parent.
      break
    case .blockQuote: appendBlock(.blockQuote(takeBlocks(frame), frame.range))
    case .heading(let level): appendBlock(.heading(level: level, inlines: takeInlines(frame), frame.range))
    case .paragraph: appendBlock(.paragraph(takeInlines(frame), frame.range))
    case .list(let ordered, let start, let tight):
      appendBlock(
        .list(
          MarkdownList(
            ordered: ordered, start: ordered ? start : 1, tight: tight, items: frame.items,
            range: frame.range)))
    case .item(let task):
      stack[stack.count - 1].items.append(
        MarkdownListItem(
          task: task, blocks: takeBlocks(frame), range: frame.range,
          writtenNumber: Self.leadingNumber(
            source.line(frame.range.start.line), column: frame.range.start.column)))
    case .table:
      let header =
        frame.rows.first ?? MarkdownTable.Row(cells: [], sourceCellCount: 0, range: frame.range)
      appendBlock(
        .table(MarkdownTable(header: header, rows: Array(frame.rows.dropFirst()), range: frame.range)))
    case .tableRow:
      let count = Self.cellCount(source.line(frame.range.start.line))
      stack[stack.count - 1].rows.append(
        MarkdownTable.Row(cells: frame.cells, sourceCellCount: count, range: frame.range))
    case .tableCell:
      stack[stack.count - 1].cells.append(takeInlines(frame))
    case .emphasis: appendInline(.emphasis(takeInlines(frame), at))
    case .strong: appendInline(.strong(takeInlines(frame), at))
    case .strikethrough: appendInline(.strikethrough(takeInlines(frame), at))
    case .link(let url, let title):
      appendInline(.link(destination: url, title: title, children: takeInlines(frame), at))
    case .image(let url, let title):
      appendInline(.image(source: url, title: title, children: takeInlines(frame), at))
    }
  }

  /// The literal text of a subtree, walked with its own iterator.
  static func plainText(of node: OpaquePointer) -> String {
    guard let iter = cmark_iter_new(node) else { return "" }
    defer { cmark_iter_free(iter) }
    var out = ""
    while true {
      let event = cmark_iter_next(iter)
      if event == CMARK_EVENT_DONE { break }
      guard event == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
      switch cmark_node_get_type(n) {
      case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
        out += string(cmark_node_get_literal(n))
        out += " "
      default: break
      }
    }
    return out
  }
}
