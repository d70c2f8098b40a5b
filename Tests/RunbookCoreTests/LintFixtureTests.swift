import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// Each `Fixtures/lint/CODE.md` shows one rule: its lint output is compared with `CODE.lint`,
/// and it must report the rule it is named after (`clean.md` must report nothing).
@Suite struct LintFixtureTests {
  static let directory = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/lint")

  static var fixtures: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
      .filter { $0.hasSuffix(".md") }.sorted()
  }

  @Test("lint fixture reports its rule", arguments: fixtures)
  func fixture(_ name: String) throws {
    let source = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    let diagnostics = Linter().lint(RunbookCompiler().compile(source, file: name))
    let code = (name as NSString).deletingPathExtension
    if code == "clean" {
      #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
    } else {
      #expect(diagnostics.contains { $0.code == code }, "\(diagnostics.map(\.formatted))")
    }
    let text = diagnostics.map { $0.formatted + "\n" }.joined()
    if let problem = Golden.mismatch(text, file: Self.directory.appendingPathComponent(code + ".lint").path) {
      Issue.record(Comment(rawValue: problem))
    }
  }
}
