import Foundation
import Synchronization
import Testing

@testable import RunbookMarkdown

/// Large documents are parsed in pieces cut before headings. Whatever the cuts, the result must
/// be exactly the whole document's parse: same blocks, positions, fence closure, depth warnings.
@Suite struct ChunkedParseTests {
  /// Every piece as small as it can be (a cut before every candidate heading), and the whole.
  func both(_ text: String, lineOffset: Int = 0) -> (pieces: MarkdownDocument, whole: MarkdownDocument) {
    var text = text
    return text.withUTF8 { bytes in
      (
        MarkdownParser.parse(bytes: bytes, lineOffset: lineOffset, chunkSize: 1),
        MarkdownParser.parse(bytes: bytes, lineOffset: lineOffset, chunkSize: Int.max / 4)
      )
    }
  }

  static let tricky: [String] = [
    "# T\n\npara\n\n## A\n\n1. one\n2. two\n\n## B\n\n- x\n\n  more\n\n### C\n\ntext\n",
    "## A\n\n```sh\necho\n\n## not a heading\n\n```\n\n## B\n\nafter\n",
    "## A\n\n~~~~\n\n## inside\n~~~\n\n## still inside\n~~~~\n\n## B\n",
    "## A\n\n<!--\n\n## in a comment\n\n-->\n\n## B\n",
    "## A\n\n<pre>\n\n## in pre\n\n</pre>\n\n## B\n",
    "## A\n\n<div>\n## inside the div block\n\n## B\n",
    "## A\n\n1. step\n\n  ```\n  code\n\n## heading closes the list\n",
    "## A\n\n- a\n  - b\n\n        ```\n        x\n\n## B\n",
    "## A\n\n> quote\n> more\n\n## B\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## C\n",
    "## A\n\n    indented\n\n## B\n===\n\n#not heading\n\n####### seven\n\n#\n\n## C\n",
    "See [x][r].\n\n## A\n\ntext\n\n[r]: https://example.com\n",
    "## A\n\nline one\nline two\n\n## B\n\n- [ ] task\n- [x] done\n\n## C\n\nwww.example.com ~~strike~~\n",
    String(repeating: ">", count: 80) + " deep\n\n## A\n\n" + String(repeating: "- ", count: 70)
      + "x\n\n## B\n",
    "## A\n\n```\nnever closed\n\n## B\n\nstill code\n",
    "## A\n\n<script>\n\n## in script\n\n</script>\n## B\n\n## C\n",
    "\n\n\n## A\n\n\n\n## B\n\n\n",
    "## A\n\n:::note\n\n## B\n\n:::\n\n## C\n",
    "## A\n\n<Tabs>\n<TabItem>\n\n## B\n\n</TabItem>\n</Tabs>\n\n## C\n",
    "## A\n\n  <!-- one -->\n\n## B\n\n<!-->\n\n## C\n\n<?x\n\n## D\n?>\n\n## E\n",
    "## A\n\n<!DOCTYPE html\n\n## B\n>\n\n## C\n\n<![CDATA[\n\n## D\n]]>\n\n## E\n",
    "## A\n\n<PRE class=x>\n\n## B\n</pre>\n\n## C\n\n<style>p{}</style>\n\n## D\n\n<TextArea>\n\n## E\n",
    "## A\n\n<prefix>\n\n## B\n\n<scripts>\n\n## C\n",
    "## A\t\n\n##\ttab\n\n##\n\n## B\n\néè 日本 \u{0}\n\n## C\n",
  ]

  @Test(arguments: tricky)
  func piecesParseLikeTheWhole(_ text: String) {
    let (pieces, whole) = both(text)
    #expect(pieces == whole)
    let (shifted, wholeShifted) = both(text, lineOffset: 7)
    #expect(shifted == wholeShifted)
    #expect(shifted.blocks.count == whole.blocks.count)
  }

  /// Random documents built from the lines that matter to cutting: headings, blank lines,
  /// fences, HTML openers and closers, list items, quotes, indented lines, tables, text.
  @Test func randomDocumentsParseLikeTheWhole() {
    let lines = [
      "## H", "# T", "###### six", "", "", "", "text", "more text", "```", "````", "~~~", "```sh", "<!--",
      "-->",
      "<pre>", "</pre>", "<div>", "</div>", "<?php", "?>", "<!DOCTYPE x>", "- item", "1. step", "  - nested",
      "    indented", "  ```", "> quote", "| a | b |", "|---|---|", "| 1 | 2 |", "===", "---", "*",
      "- [ ] task",
      ":::note", ":::", "<Tabs>", "</Tabs>", "\t## tabbed", "## <x>",
    ]
    var state: UInt64 = 42
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % n
    }
    for _ in 0..<3_000 {
      let text = (0..<(5 + next(40))).map { _ in lines[next(lines.count)] }.joined(separator: "\n") + "\n"
      let (pieces, whole) = both(text, lineOffset: next(3))
      #expect(pieces == whole, "\(text.debugDescription)")
    }
  }

  @Test func htmlBlocksThatRunAcrossBlankLinesAreRecognised() {
    for open in [
      "<!-- x", "<?php", "<![CDATA[ x", "<!DOCTYPE", "<script>", "<pre", "  <STYLE type=x>", "<textarea\n",
    ] {
      #expect(MarkdownParser.htmlBlockMayContinue(open), "\(open)")
    }
    for closed in [
      "<!-- x -->", "<?php ?>", "<![CDATA[ ]]>", "<!DOCTYPE html>", "<pre>x</pre>", "<div>", "</Tabs>",
      "<prefix>", "<img src=x>",
    ] {
      #expect(!MarkdownParser.htmlBlockMayContinue(closed), "\(closed)")
    }
  }

  /// The cut finder itself: only before headings after blank lines, never with `]:` or CR.
  @Test func cutsOnlyBeforeHeadingsAfterBlankLines() {
    func cuts(_ text: String) -> [Int] {
      var text = text
      return text.withUTF8 { ChunkSplitter.cuts(in: $0, chunkSize: 1) }
    }
    #expect(cuts("a\n\n## b\n\n# c\nd\n## e\n") == [3, 9])
    #expect(cuts("a\n\n## b\n\n[r]: /u\n") == [])
    #expect(cuts("a\r\n\r\n## b\r\n") == [])
    #expect(cuts("a\n\n#b\n\n ## c\n\n####### d\n") == [])
  }

  /// Every guide the tests and the corpus hold, cut everywhere it can be.
  @Test func fixturesAndCorpusParseLikeTheWhole() throws {
    var checked = 0
    var cutSomewhere = 0
    for (name, text) in try TestGuides.all() {
      let (pieces, whole) = both(text)
      #expect(pieces == whole, "\(name)")
      checked += 1
      var copy = text
      if copy.withUTF8({ !ChunkSplitter.cuts(in: $0, chunkSize: 1).isEmpty }) { cutSomewhere += 1 }
    }
    #expect(checked > 50)
    #expect(cutSomewhere > 10)  // the comparison does exercise cuts (17 with the fixtures alone)
  }
}

/// cmark-gfm's inline parser shares a global table that each parse changes (github/cmark-gfm#176);
/// `lint` and `Journal` work in parallel, so parses on many threads at once must agree. Texts
/// whose autolinks and strikethrough depend on the table are mixed with texts without `~`; the
/// test fails when the lock around inline parsing is taken away.
@Suite struct ConcurrentParseTests {
  static let withTilde = (0..<200).map {
    "Item \($0): see https://example.com/\($0) or www.example.org, ~~old~~ \\`not code\\` `code`.\n"
  }
  .joined(separator: "\n")
  static let withoutTilde = (0..<200).map {
    "Item \($0): see https://example.com/\($0), www.example.org and a@example.com, \\*not\\* *em* `code`.\n"
  }
  .joined(separator: "\n")

  /// The inlines of a document, flattened, to see what a parse found.
  static func inlines(_ document: MarkdownDocument) -> [Inline] {
    func walk(_ inlines: [Inline]) -> [Inline] { inlines.flatMap { [$0] + walk($0.children) } }
    return document.blocks.flatMap { block -> [Inline] in
      if case .paragraph(let inlines, _) = block { return walk(inlines) }
      return []
    }
  }

  @Test func parsesOnManyThreadsAgree() {
    let texts = [Self.withTilde, Self.withoutTilde]
    let expected = texts.map { MarkdownParser.parse($0) }
    // The expected trees do hold what a lost table entry would lose.
    let links = expected.map { Self.inlines($0).filter { if case .link = $0 { true } else { false } }.count }
    let struck = expected.map {
      Self.inlines($0).filter { if case .strikethrough = $0 { true } else { false } }.count
    }
    #expect(links == [400, 600])
    #expect(struck == [200, 0])
    let mismatches = Mutex(0)
    // Two texts with a `~` for one without.
    DispatchQueue.concurrentPerform(iterations: 300) { i in
      let k = i % 3 == 0 ? 1 : 0
      if MarkdownParser.parse(texts[k]) != expected[k] { mismatches.withLock { $0 += 1 } }
    }
    #expect(mismatches.withLock { $0 } == 0)
  }
}
