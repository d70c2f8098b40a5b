import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// The real guides in `../shared/corpus`, read in place. Absent in a user's clone: skipped.
@Suite(.enabled(if: Paths.corpus != nil, "../shared/corpus is not beside this checkout"))
struct CorpusTests {
  static var guides: [String] { Paths.corpusGuides }

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
      /// For each step, the first line of each of its code blocks (commands and their output), when
      /// the reading wrote them down.
      var code: [[String]]?
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

  /// Step numbers (and, where written down, each step's code) as a careful reader wrote them
  /// down, section by section (see the fixture's notes for the judgement calls).
  @Test("steps match a human reading", arguments: expected)
  func stepNumbers(_ guide: Expected) throws {
    let url = try #require(Paths.corpus).appendingPathComponent(guide.file)
    let runbook = RunbookCompiler().compile(try GuideLoader.read(url.path), file: guide.file)
    func flat(_ steps: [Step]) -> [Step] { steps.flatMap { [$0] + flat($0.steps) } }
    func firstLine(_ code: CodeBlock) -> String {
      let line = code.text.split(separator: "\n").first { $0.contains { $0.isLetter || $0.isNumber } }
      return line.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }
    let actual = zip(runbook.allSections, guide.sections).map { section, expected in
      let steps = flat(section.steps)
      return Expected.Section(
        title: section.title, steps: steps.map { ($0.alternative.map { "[\($0)] " } ?? "") + $0.number },
        code: expected.code == nil ? nil : steps.map { $0.codeBlocks.map(firstLine) })
    }
    #expect(runbook.allSections.count == guide.sections.count)
    #expect(actual == guide.sections)
  }

  @Test func guidesOfEveryKindWereReadByHand() {
    let operations = Self.expected.filter { !$0.file.hasPrefix("appsmith/") }
    #expect(Self.expected.count >= 6)
    #expect(operations.count >= 8)
    #expect(operations.filter { $0.sections.contains { $0.code != nil } }.count >= 8)
  }
}
