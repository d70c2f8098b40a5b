import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// The real guides in `../shared/corpus`, read in place. Absent in a user's clone: skipped.
@Suite(.enabled(if: Paths.corpus != nil, "../shared/corpus is not beside this checkout"))
struct CorpusTests {
  static var guides: [String] {
    guard let root = Paths.corpus else { return [] }
    let walker = FileManager.default.enumerator(atPath: root.path)
    var out: [String] = []
    while let path = walker?.nextObject() as? String {
      if (path.hasSuffix(".md") || path.hasSuffix(".mdx")) && !path.hasSuffix("SOURCES.md") {
        out.append(path)
      }
    }
    return out.sorted()
  }

  @Test("every corpus guide compiles without an error", arguments: guides)
  func compiles(_ path: String) throws {
    let url = try #require(Paths.corpus).appendingPathComponent(path)
    let runbook = RunbookCompiler().compile(try GuideLoader.read(url.path), file: path)
    let errors = runbook.diagnostics.filter { $0.severity == .error }
    #expect(errors.isEmpty, "\(errors.map(\.formatted))")
    #expect(!runbook.title.isEmpty)
  }

  struct Expected: Decodable, Sendable, CustomTestStringConvertible {
    struct Section: Decodable, Sendable, Equatable {
      var title: String
      var steps: [String]
    }
    var file: String
    var sections: [Section]
    var testDescription: String { file }
  }

  static var expected: [Expected] {
    let url = Paths.packageRoot.appendingPathComponent(
      "Tests/RunbookCoreTests/Fixtures/corpus-expected-steps.json")
    guard let data = try? Data(contentsOf: url) else { return [] }
    return (try? JSONDecoder().decode([Expected].self, from: data)) ?? []
  }

  /// Step numbers as a careful reader wrote them down, section by section (see the fixture's
  /// notes for the judgement calls).
  @Test("step numbers match a human reading", arguments: expected)
  func stepNumbers(_ guide: Expected) throws {
    let url = try #require(Paths.corpus).appendingPathComponent(guide.file)
    let runbook = RunbookCompiler().compile(try GuideLoader.read(url.path), file: guide.file)
    func flat(_ steps: [Step]) -> [String] {
      steps.flatMap { [($0.alternative.map { "[\($0)] " } ?? "") + $0.number] + flat($0.steps) }
    }
    let actual = runbook.allSections.map { Expected.Section(title: $0.title, steps: flat($0.steps)) }
    #expect(actual == guide.sections)
  }

  @Test func atLeastSixGuidesWereReadByHand() {
    #expect(Self.expected.count >= 6)
  }
}
