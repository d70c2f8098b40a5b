import RunbookMarkdown
import Testing

@Suite struct MarkdownParserTests {
  @Test func tableKeepsHeaderRowsAndInlineCells() throws {
    let doc = MarkdownParser.parse("| Field | Value |\n|---|---|\n| **ID** | `<id>`<br/>next |\n")
    guard case .table(let table) = try #require(doc.blocks.first) else {
      Issue.record("expected a table, got \(doc.blocks)")
      return
    }
    #expect(table.header.cells.map(\.plainText) == ["Field", "Value"])
    #expect(table.rows.count == 1)
    #expect(
      table.rows[0].cells[0] == [.strong([.text("ID", .init(line: 3, column: 5))], .init(line: 3, column: 3))]
    )
    #expect(table.rows[0].cells[1].contains { if case .html("<br/>", _) = $0 { true } else { false } })
    #expect(table.range.start == SourceLocation(line: 1, column: 1))
  }

  @Test func rowCellCountsComeFromTheSource() throws {
    let doc = MarkdownParser.parse("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| x |\n| `a|b` | c \\| d |\n")
    guard case .table(let table) = try #require(doc.blocks.first) else { return }
    #expect(table.header.sourceCellCount == 2)
    // Like GitHub, a pipe inside a code span still separates cells unless escaped.
    #expect(table.rows.map(\.sourceCellCount) == [3, 1, 3])
    #expect(table.rows.map(\.cells.count) == [2, 2, 2])
  }

  @Test func taskItemsKnowTheirBox() throws {
    let doc = MarkdownParser.parse("- [ ] open\n- [x] done\n- plain\n")
    guard case .list(let list) = try #require(doc.blocks.first) else { return }
    #expect(list.items.map(\.task) == [.open, .checked, nil])
    #expect(
      list.items[0].blocks.first.map { if case .paragraph(let i, _) = $0 { i.plainText } else { "" } }
        == "open")
  }

  @Test func listThatStartsAtTwoIsItsOwnList() {
    let doc = MarkdownParser.parse("1. one\n\n```\ncode\n```\n\n2. two\n3. three\n")
    let lists = doc.blocks.compactMap { if case .list(let l) = $0 { l } else { nil } }
    #expect(lists.map(\.start) == [1, 2])
    #expect(lists.map(\.items.count) == [1, 2])
    #expect(lists[1].items.map(\.writtenNumber) == [2, 3])
  }

  @Test func admonitionFencesArriveAsParagraphText() throws {
    let doc = MarkdownParser.parse(":::note\nbody\n:::\n")
    guard case .paragraph(let inlines, _) = try #require(doc.blocks.first) else { return }
    #expect(inlines.plainText == ":::note body :::")
    #expect(inlines.filter { if case .softBreak = $0 { true } else { false } }.count == 2)
  }

  @Test func columnsAreUTF8Bytes() throws {
    // "é" is two bytes, "日本" six; cmark places a code span at its first character.
    let doc = MarkdownParser.parse("é 日本 `<x>`\n")
    guard case .paragraph(let inlines, _) = try #require(doc.blocks.first) else { return }
    let code = try #require(inlines.first { if case .code = $0 { true } else { false } })
    #expect(code.location == SourceLocation(line: 1, column: 12))
  }

  @Test func nestedItemsHaveTheirOwnPositions() throws {
    let doc = MarkdownParser.parse("1. one\n   1. inner\n")
    guard case .list(let outer) = try #require(doc.blocks.first),
      case .list(let inner)? = outer.items[0].blocks.last
    else {
      Issue.record("no nested list")
      return
    }
    #expect(inner.items[0].range.start == SourceLocation(line: 2, column: 4))
  }

  @Test func softBreaksGetAPositionBesideTheirText() throws {
    let doc = MarkdownParser.parse("first\nsecond\n")
    guard case .paragraph(let inlines, _) = try #require(doc.blocks.first) else { return }
    #expect(inlines[1].location.line == 1)
    #expect(inlines[2].location == SourceLocation(line: 2, column: 1))
  }

  @Test func fenceClosureIsRecorded() {
    let closed = MarkdownParser.parse("```sh {run}\necho\n```\n")
    let open = MarkdownParser.parse("```sh\necho\nmore\n")
    guard case .codeBlock(let c)? = closed.blocks.first, case .codeBlock(let o)? = open.blocks.first else {
      Issue.record("expected code blocks")
      return
    }
    #expect(c.closed && c.info == "sh {run}" && c.fence == "```")
    #expect(!o.closed)
  }

  @Test func deepNestingIsBoundedNotCrashing() {
    let depth = 10_000
    let quotes = MarkdownParser.parse(String(repeating: ">", count: depth) + " deep\n")
    #expect(!quotes.depthLimitedAt.isEmpty)
    var lists = ""
    for level in 0..<2_000 { lists += String(repeating: "  ", count: level) + "- item\n" }
    let nested = MarkdownParser.parse(lists)
    #expect(!nested.depthLimitedAt.isEmpty)
  }

  @Test func invalidUTF8IsReplacedNotFatal() {
    let bytes: [UInt8] = Array("# Title \u{0}".utf8) + [0xFF, 0xFE] + Array(" end\n".utf8)
    let doc = bytes.withUnsafeBufferPointer { MarkdownParser.parse(bytes: $0) }
    guard case .heading(_, let inlines, _)? = doc.blocks.first else {
      Issue.record("no heading")
      return
    }
    #expect(inlines.plainText.contains("\u{FFFD}"))
  }

  /// A Swift string is valid UTF-8, so cmark does not check it again; the result must be what
  /// the checked parse of the same bytes gives, NUL bytes, noncharacters and CR included.
  @Test func stringsParseAsTheirCheckedBytes() {
    var state: UInt64 = 42  // a fixed linear congruential sequence, so a failure reproduces
    func next(_ count: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % count
    }
    let pieces = [
      "# H\n", "- item ", "1. step\n", "\n", "\r\n", "\r", "\u{0}", "\u{FFFF}", "\u{FFFE}", "\u{10FFFF}", "é",
      "😀", "`code`", "*em*", "~~x~~", "https://example.com ", "| a | b |\n|---|---|\n", "<b>", "&amp;", "\\",
    ]
    var replaced = 0
    for _ in 0..<2_000 {
      let text = (0...next(20)).map { _ in pieces[next(pieces.count)] }.joined()
      let checked = Array(text.utf8).withUnsafeBufferPointer { MarkdownParser.parse(bytes: $0) }
      #expect(MarkdownParser.parse(text) == checked, "\(text.debugDescription)")
      if text.contains("\u{0}") { replaced += 1 }
    }
    #expect(replaced > 100)
  }

  @Test func strikethroughAndAutolinkExtensionsAreOn() throws {
    let doc = MarkdownParser.parse("~~old~~ see https://example.com\n")
    guard case .paragraph(let inlines, _) = try #require(doc.blocks.first) else { return }
    #expect(inlines.contains { if case .strikethrough = $0 { true } else { false } })
    #expect(
      inlines.contains {
        if case .link(let url, _, _, _) = $0 { url == "https://example.com" } else { false }
      })
  }
}
