import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// Each `Fixtures/compiler/NAME.md` is compiled and its dump compared with `NAME.dump`.
@Suite struct CompilerFixtureTests {
  static let directory = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/compiler")

  static var fixtures: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
      .filter { $0.hasSuffix(".md") || $0.hasSuffix(".mdx") }.sorted()
  }

  @Test("compiler fixture matches its dump", arguments: fixtures)
  func fixture(_ name: String) throws {
    let source = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    let runbook = RunbookCompiler().compile(source, file: name)
    let dump = RunbookDump.render(runbook)
    let expected = Self.directory.appendingPathComponent(
      (name as NSString).deletingPathExtension + ".dump")
    if let problem = Golden.mismatch(dump, file: expected.path) {
      Issue.record(Comment(rawValue: problem))
    }
  }

  @Test func everyConstructHasAFixture() {
    #expect(Self.fixtures.count >= 15)
  }
}
