import Dispatch
import Synchronization
import Testing

@testable import RunbookMarkdown

/// cmark-gfm's inline parser shares a global table that each parse changes (github/cmark-gfm#176);
/// `lint` compiles guides on all cores, so parses on many threads at once must agree. Texts
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
