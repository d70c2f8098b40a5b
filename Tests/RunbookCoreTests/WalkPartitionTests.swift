import Foundation
import RunbookCore
import RunbookMarkdown
import RunbookTestSupport
import Testing

/// The units of a run partition the guide: every block of the document (front matter, MDX
/// `import`/`export` lines, raw HTML and the title's heading aside) is shown by some unit, and
/// no block by two.
@Suite struct WalkPartitionTests {
  static var guides: [URL] {
    var out: [URL] = []
    let fixtures = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/compiler")
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).sorted()
    where name.hasSuffix(".md") || name.hasSuffix(".mdx") {
      out.append(fixtures.appendingPathComponent(name))
    }
    if let corpus = Paths.corpus {
      let walker = FileManager.default.enumerator(atPath: corpus.path)
      var paths: [String] = []
      while let path = walker?.nextObject() as? String {
        if (path.hasSuffix(".md") || path.hasSuffix(".mdx")) && !path.hasSuffix("SOURCES.md") {
          paths.append(path)
        }
      }
      out += paths.sorted().map { corpus.appendingPathComponent($0) }
    }
    out.append(Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md"))
    return out
  }

  @Test("the units cover every block of the guide, none twice", arguments: guides)
  func unitsPartitionTheGuide(_ url: URL) throws {
    let source = try String(contentsOf: url, encoding: .utf8)
    let runbook = RunbookCompiler().compile(source, file: url.lastPathComponent)
    // What each unit shows, as source ranges.
    var shown: [(unit: Int, range: SourceRange)] = []
    for (index, unit) in runbook.walk.enumerated() {
      var ranges = unit.opens.map(\.range)
      var content = unit.before + unit.after
      switch unit.kind {
      case .page(let page): content += page.content
      case .step(let step):
        ranges.append(step.range)
        content += step.content
      }
      ranges += content.map(\.range)
      ranges += unit.preconditions.map { runbook.preconditions[$0].range }
      shown += ranges.map { (index, $0) }
    }
    var missing: [RunbookMarkdown.SourceLocation] = []
    for start in Self.blockStarts(source) {
      if !shown.contains(where: { $0.range.start <= start && start <= $0.range.end }) {
        missing.append(start)
      }
    }
    #expect(missing.isEmpty, "blocks no unit shows, at \(missing.map(\.description).joined(separator: ", "))")
    var seen: [RunbookMarkdown.SourceLocation: Int] = [:]
    var twice: [RunbookMarkdown.SourceLocation] = []
    for (unit, range) in shown {
      if let other = seen[range.start], other != unit { twice.append(range.start) }
      seen[range.start] = unit
    }
    #expect(twice.isEmpty, "blocks two units show, at \(twice.map(\.description).joined(separator: ", "))")
  }

  /// Where each top-level block of the guide starts, leaving out front matter, raw HTML, MDX
  /// `import`/`export` lines and the first `#` heading (the title).
  static func blockStarts(_ source: String) -> [RunbookMarkdown.SourceLocation] {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    var skipped = 0
    if lines.first == "---", let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
      skipped = end + 1
      lines.removeFirst(skipped)
    }
    var titleSeen = false
    var out: [RunbookMarkdown.SourceLocation] = []
    for block in MarkdownParser.parse(Substring(lines.joined(separator: "\n")), blankLinesBefore: skipped)
      .blocks
    {
      switch block {
      case .html, .thematicBreak:
        continue
      case .heading(1, _, _) where !titleSeen:
        titleSeen = true
      case .paragraph(let inlines, _):
        let text = inlines.plainText.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("import ") || text.hasPrefix("export ") || text.hasPrefix(":::") { continue }
        out.append(block.range.start)
      default:
        out.append(block.range.start)
      }
    }
    return out
  }
}
