internal import CCmarkGFM
import Dispatch
import Synchronization

/// Parses Markdown with cmark-gfm and converts the tree into ``MarkdownDocument`` values.
///
/// The parser always attaches GitHub's table, tasklist, strikethrough and autolink extensions,
/// records source positions, replaces invalid UTF-8 and releases every cmark allocation before
/// it returns. The walk uses cmark's iterator, so documents nested thousands deep do not recurse;
/// content nested deeper than ``maximumDepth`` is kept as plain text so that later stages,
/// which do recurse, stay within the stack.
public enum MarkdownParser {
  /// The deepest container nesting converted into structure.
  public static let maximumDepth = 64

  /// Parses UTF-8 Markdown text.
  public static func parse(_ text: String) -> MarkdownDocument {
    var text = text
    return text.withUTF8 { parse(bytes: $0, lineOffset: 0, chunkSize: chunkSize, isValidUTF8: true) }
  }

  /// Parses `text` as if it were preceded by `blankLinesBefore` empty lines: the body of a guide
  /// whose front matter was cut off, with positions counted from the top of the file, without
  /// copying the body.
  public static func parse(_ text: Substring, blankLinesBefore: Int) -> MarkdownDocument {
    var text = text
    return text.withUTF8 {
      parse(bytes: $0, lineOffset: blankLinesBefore, chunkSize: chunkSize, isValidUTF8: true)
    }
  }

  /// Parses Markdown bytes (invalid UTF-8 is replaced by U+FFFD), as if preceded by
  /// `blankLinesBefore` empty lines.
  public static func parse(bytes: UnsafeBufferPointer<UInt8>, blankLinesBefore: Int = 0) -> MarkdownDocument {
    parse(bytes: bytes, lineOffset: blankLinesBefore, chunkSize: chunkSize)
  }

  /// Documents of at least twice this size are parsed in pieces of about this size (see
  /// ``ChunkSplitter``): cmark's tree of a whole 5 MiB guide is 17 times its size.
  static let chunkSize = 256 * 1024

  /// Parses `bytes`, whose first line is line `lineOffset + 1` of the file, in pieces of about
  /// `chunkSize` bytes where that cannot change the result. The pieces are parsed on all cores:
  /// cmark's inline parsing of each one under ``cmarkParsing``, the rest outside
  /// it, so one piece is converted while the next is parsed. Each piece's cmark tree is freed
  /// once converted, so peak memory holds a piece's tree per core, not the whole document's. A
  /// piece that ends inside an HTML block or an unclosed fence (the cut was not at a real
  /// heading) is parsed again joined to the next one, and the next one's own parse is dropped.
  /// Pieces of at most `arenaLimit` bytes are parsed with a ``CmarkArena`` (tests compare both
  /// allocators through it). When `isValidUTF8` (the bytes of a Swift string), cmark does not
  /// check the encoding again (1.8 M instructions of linting ../shared/corpus).
  static func parse(
    bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, chunkSize: Int, arenaLimit: Int = arenaLimit,
    isValidUTF8: Bool = false
  ) -> MarkdownDocument {
    ExtensionRegistry.ensureRegistered()
    let lineCount = SourceText(bytes: bytes, blankLinesBefore: lineOffset).lineCount
    let cuts = bytes.count >= 2 * chunkSize ? ChunkSplitter.cuts(in: bytes, chunkSize: chunkSize) : []
    guard !cuts.isEmpty else {
      var document = parsePiece(
        bytes, lineOffset: lineOffset, arenaLimit: arenaLimit, isValidUTF8: isValidUTF8)
      document.lineCount = lineCount
      return document
    }
    let starts = [0] + cuts
    let ends = cuts + [bytes.count]
    // The file line before each piece's first line.
    var startLines = [lineOffset]
    for i in 0..<cuts.count {
      let piece = UnsafeBufferPointer(rebasing: bytes[starts[i]..<ends[i]])
      startLines.append(startLines[i] + ByteScan.count(UInt8(ascii: "\n"), in: piece))
    }
    func piece(_ first: Int, through last: Int) -> MarkdownDocument {
      parsePiece(
        UnsafeBufferPointer(rebasing: bytes[starts[first]..<ends[last]]), lineOffset: startLines[first],
        arenaLimit: arenaLimit, isValidUTF8: isValidUTF8)
    }
    let parsed = Mutex<[MarkdownDocument?]>(Array(repeating: nil, count: starts.count))
    // The text crosses into the workers as an address: a buffer pointer is not `Sendable`, and
    // the caller keeps the bytes alive until this function returns.
    let base = Int(bitPattern: bytes.baseAddress)
    let count = bytes.count
    DispatchQueue.concurrentPerform(iterations: starts.count) { [starts, ends, startLines] i in
      let text = UnsafeBufferPointer(start: UnsafePointer<UInt8>(bitPattern: base), count: count)
      let document = parsePiece(
        UnsafeBufferPointer(rebasing: text[starts[i]..<ends[i]]), lineOffset: startLines[i],
        arenaLimit: arenaLimit, isValidUTF8: isValidUTF8)
      parsed.withLock { $0[i] = document }
    }
    var pieces = parsed.withLock { documents in
      var taken: [MarkdownDocument?] = []
      swap(&taken, &documents)
      return taken
    }
    var blocks: [MarkdownBlock] = []
    var deep: [SourceLocation] = []
    var first = 0
    while first < starts.count {
      var last = first
      var document = pieces[first].take()!
      while last + 1 < starts.count, !Self.endsCleanly(document) {
        last += 1
        pieces[last] = nil
        document = piece(first, through: last)
      }
      blocks += document.blocks
      deep += document.depthLimitedAt
      first = last + 1
    }
    return MarkdownDocument(blocks: blocks, depthLimitedAt: deep, lineCount: lineCount)
  }

  /// False when a piece's last block may continue past the cut: a fence that was not closed,
  /// or an HTML block that may (see ``htmlBlockMayContinue(_:)``).
  static func endsCleanly(_ piece: MarkdownDocument) -> Bool {
    switch piece.blocks.last {
    case .html(let html, _): return !htmlBlockMayContinue(html)
    case .codeBlock(let code) where code.fence != nil && !code.closed: return false
    default: return true
    }
  }

  /// HTML blocks of types 1 to 5 (`<script`, `<pre`, `<style`, `<textarea`, `<!--`, `<?`, `<!X`,
  /// `<![CDATA[`) run across blank lines until their end marker; true when such a block does not
  /// contain its end marker. Other HTML blocks (`<div>`, `</Tabs>`) end at a blank line. Read
  /// generously: a block taken for one that may continue is only parsed again, joined to the
  /// next piece.
  static func htmlBlockMayContinue(_ html: String) -> Bool {
    let text = html.lowercased().drop { $0 == " " || $0 == "\t" }
    let end: String
    if text.hasPrefix("<!--") {
      end = "-->"
    } else if text.hasPrefix("<?") {
      end = "?>"
    } else if text.hasPrefix("<![cdata[") {
      end = "]]>"
    } else if text.hasPrefix("<!"), let letter = text.dropFirst(2).first, letter.isASCII, letter.isLetter {
      end = ">"
    } else if let tag = ["script", "pre", "style", "textarea"].first(where: { tag in
      text.hasPrefix("<" + tag) && [nil, " ", "\t", ">", "\n"].contains(text.dropFirst(tag.count + 1).first)
    }) {
      end = "</" + tag + ">"
    } else {
      return false
    }
    return !text.contains(end)
  }

  /// cmark-gfm keeps the inline parser's table of special characters in a global that each
  /// parser changes for its extensions while it parses inlines, and restores afterwards
  /// (github/cmark-gfm#176, not fixed in the Debian package): two parses at once lose autolinks
  /// or escapes at random. `cmark_parser_finish`, which parses the inlines, therefore runs one
  /// at a time. `cmark_parser_feed` (the block structure, half of cmark's work) runs outside
  /// the lock: in 0.29.0.gfm.6 the table (`SPECIAL_CHARS`, `SKIP_CHARS` in `inlines.c`) is read
  /// only by `parse_inline` and `scan_delims` and written only by `process_inlines`, all
  /// reached from `finalize_document`, that is from `cmark_parser_finish` alone; the only other
  /// globals (the extension registry and node types) are written when the extensions are
  /// registered, before any parse. Converting the trees into Swift values runs in parallel too.
  private static let cmarkParsing = Mutex(())

  /// Texts up to this size are parsed with a ``CmarkArena``: the piece's whole cmark tree then
  /// lives until it is converted, instead of being freed block by block, which is cheap for a
  /// piece but would hold a large document that cannot be cut (a link reference definition, a
  /// carriage return) twice in memory.
  static let arenaLimit = 2 * chunkSize

  private static func parsePiece(
    _ bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, arenaLimit: Int, isValidUTF8: Bool
  ) -> MarkdownDocument {
    if bytes.count <= arenaLimit {
      return CmarkArena.withArena(sizedFor: bytes.count) { mem in
        parsePiece(bytes, lineOffset: lineOffset, memory: mem, isValidUTF8: isValidUTF8)
      }
    }
    return parsePiece(bytes, lineOffset: lineOffset, memory: nil, isValidUTF8: isValidUTF8)
  }

  /// Parses and converts one piece, with cmark allocating from `memory` (an arena, whose
  /// release frees the tree) or, when nil, from the system (and the tree is freed here).
  private static func parsePiece(
    _ bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, memory: UnsafeMutablePointer<cmark_mem>?,
    isValidUTF8: Bool
  ) -> MarkdownDocument {
    let options = CMARK_OPT_SOURCEPOS | (isValidUTF8 ? 0 : CMARK_OPT_VALIDATE_UTF8)
    guard let parser = memory.map({ cmark_parser_new_with_mem(options, $0) }) ?? cmark_parser_new(options)
    else {
      return MarkdownDocument(blocks: [], lineCount: 0)
    }
    defer { if memory == nil { cmark_parser_free(parser) } }
    for name in ["table", "tasklist", "strikethrough", "autolink"] {
      if let ext = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, ext)
      }
    }
    if let base = bytes.baseAddress, bytes.count > 0 {
      base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
        cmark_parser_feed(parser, $0, bytes.count)
      }
    }
    // The tree's address crosses the lock as a plain integer (a pointer is not `Sendable`); the
    // tree belongs to this parse alone.
    let parsed = cmarkParsing.withLock { _ in Int(bitPattern: cmark_parser_finish(parser)) }
    guard let root = OpaquePointer(bitPattern: parsed) else {
      return MarkdownDocument(blocks: [], lineCount: 0)
    }
    let freesNodes = memory == nil
    defer { if freesNodes { cmark_node_free(root) } }
    var converter = TreeConverter(
      source: SourceText(bytes: bytes, blankLinesBefore: lineOffset), freesNodes: freesNodes)
    return converter.convert(root)
  }
}

/// Where a large document can be cut into pieces that cmark parses the same way as the whole:
/// before an ATX heading (`#` to `######` at the start of a line) that follows a blank line. A
/// blank line ends paragraphs, tables, block quotes and HTML blocks of types 6 and 7, and a
/// line that is not indented ends lists and indented code, so such a heading starts a new
/// top-level block unless it is inside a fence or an HTML block of types 1 to 5, which the
/// parser checks after the fact (``MarkdownParser/endsCleanly(_:)``). Documents with a link
/// reference definition (a `]:` anywhere) are never cut, since a definition applies to the
/// whole document; nor are documents with a carriage return, to count lines exactly as cmark.
enum ChunkSplitter {
  static func cuts(in bytes: UnsafeBufferPointer<UInt8>, chunkSize: Int) -> [Int] {
    if ByteScan.first(0x0D, in: bytes) != nil || ByteScan.containsPair(0x5D, 0x3A, in: bytes) { return [] }
    var cuts: [Int] = []
    var lastCut = 0
    var previousBlank = true
    var lineStart = 0
    while lineStart < bytes.count {
      let lineEnd = ByteScan.first(0x0A, in: bytes, from: lineStart) ?? bytes.count
      var blank = true
      var i = lineStart
      while i < lineEnd {
        if bytes[i] != 0x20, bytes[i] != 0x09 {
          blank = false
          break
        }
        i += 1
      }
      if previousBlank, lineStart - lastCut >= chunkSize, isATXHeading(bytes, from: lineStart, to: lineEnd) {
        cuts.append(lineStart)
        lastCut = lineStart
      }
      previousBlank = blank
      lineStart = lineEnd + 1
    }
    return cuts
  }

  /// `#` to `######` at the line's first byte, then a space, a tab or the end of the line.
  static func isATXHeading(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
    var i = start
    while i < end, i - start < 7, bytes[i] == 0x23 { i += 1 }
    let level = i - start
    return level >= 1 && level <= 6 && (i == end || bytes[i] == 0x20 || bytes[i] == 0x09)
  }
}

/// Registers cmark-gfm's core extensions once per process (cmark keeps them in a C registry).
private enum ExtensionRegistry {
  static let registered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()
  static func ensureRegistered() { _ = registered }
}

/// Line access to the source bytes, for the facts cmark does not keep (fence closure, cell counts).
/// Lines are numbered from the top of the file: `bytes` start on line `blankLinesBefore + 1`.
struct SourceText {
  let bytes: UnsafeBufferPointer<UInt8>
  let blankLinesBefore: Int
  private(set) var lineStarts: [Int] = []

  init(bytes: UnsafeBufferPointer<UInt8>, blankLinesBefore: Int = 0) {
    self.bytes = bytes
    self.blankLinesBefore = blankLinesBefore
  }

  mutating func line(_ fileLine: Int) -> ArraySlice<UInt8> {
    if lineStarts.isEmpty {
      // Counted first, so the array is allocated once at its exact size instead of by doubling.
      lineStarts.reserveCapacity(1 + ByteScan.count(UInt8(ascii: "\n"), in: bytes))
      lineStarts.append(0)
      ByteScan.forEach(UInt8(ascii: "\n"), in: bytes) { lineStarts.append($0 + 1) }
    }
    let number = fileLine - blankLinesBefore
    guard number >= 1, number <= lineStarts.count else { return [] }
    let start = lineStarts[number - 1]
    var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return ArraySlice(bytes[start..<max(start, end)])
  }

  var lineCount: Int {
    guard !bytes.isEmpty || blankLinesBefore > 0 else { return 0 }
    var count = 1 + blankLinesBefore + ByteScan.count(UInt8(ascii: "\n"), in: bytes)
    if (bytes.last ?? UInt8(ascii: "\n")) == UInt8(ascii: "\n") { count -= 1 }
    return count
  }
}

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
  /// Whether each top-level block's cmark nodes are freed once converted (not needed when
  /// they come from an arena, which releases them all at once).
  let freesNodes: Bool

  init(source: SourceText, freesNodes: Bool = true) {
    self.source = source
    self.freesNodes = freesNodes
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
      if freesNodes { cmark_node_free(node) }  // unlinks it from the document too
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
