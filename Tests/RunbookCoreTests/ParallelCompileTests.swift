import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore

/// Large guides build their sections on all cores; the runbook must be the one building them in
/// order gives: same ids (also when two sections pin the same one, the case that falls back to
/// building in order), same diagnostics in the same order.
@Suite struct ParallelCompileTests {
  static func compile(_ text: String, parallel: Bool) -> Runbook {
    var compiler = RunbookCompiler()
    compiler.parallelSize = parallel ? 0 : .max
    return compiler.compile(text, file: "guide.md")
  }

  @Test func everyCompilerFixtureCompilesTheSame() throws {
    let directory = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/compiler")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.hasSuffix(".md")
    }
    #expect(names.count > 10)
    for name in names {
      let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      #expect(Self.compile(text, parallel: true) == Self.compile(text, parallel: false), "\(name)")
    }
  }

  /// Blocks are tokenized on all cores in chunks; a list whose last line closes an admonition
  /// (`:::` read as part of the list) depends on what is open before it, in any chunk.
  @Test func admonitionsClosedByListsAcrossChunksCompileTheSame() {
    var text = "# Guide\n"
    for n in 0..<(BlockGrouper.Tokenized.blocksPerChunk * 3) {
      switch n % 9 {
      case 0: text += "\n:::note Heads up \(n)\n"
      case 1: text += "\n1. Inside note \(n).\n2. Last item\n:::\n"
      case 2: text += "\n- bullet \(n)\n:::\n"  // nothing open: a stray closer
      case 3: text += "\n<!-- step: pin-\(n % 2) -->\n"
      case 4: text += "\n:::warning\nUnclosed \(n)\n"
      case 5:
        text += "\n<Tabs>\n<TabItem value=\"a\" label=\"A\">\n\n1. In a tab \(n).\n\n</TabItem>\n</Tabs>\n"
      case 6: text += "\n## Section \(n)\n"
      case 7: text += "\n> [!TIP]\n> Alert \(n)\n"
      default: text += "\nPlain paragraph \(n) with `<host>`.\n"
      }
    }
    let parallel = Self.compile(text, parallel: true)
    #expect(parallel == Self.compile(text, parallel: false))
    // Each warning is closed by a later list's `:::`; only the first bullet list closes nothing.
    #expect(parallel.diagnostics.filter { $0.code == "stray-admonition-close" }.count == 1)
    #expect(!parallel.diagnostics.contains { $0.code == "unclosed-admonition" })
    #expect(parallel.preconditions.count == 22)
  }

  /// Placeholders are found section by section on all cores; first uses, the order of new
  /// inputs and each step's inputs must be those of one pass in document order.
  @Test func inputsFirstUsedAcrossSectionsCompileTheSame() {
    var text = "---\ninputs:\n  region: {label: Region}\n  late: {label: Late}\n  never: {}\n---\n"
    text += "# Guide\n\nSet `<intro_only>` first.\n"
    for n in 0..<12 {
      text += "\n## Part \(n)\n\nUse `<region>` and `<new_\(n % 4)>`.\n\n"
      text += "1. Step `<new_\(n % 3)>`.\n\n   a. Sub `<sub_\(n % 5)>` and `<intro_only>`.\n\n"
      text += "2. Table:\n\n   | a | b |\n   |---|---|\n   | `<cell_\(n % 2)>` | x |\n"
      if n >= 7 { text += "\n3. Late `<late>`.\n\n   ```sh {run}\n   echo <region> <code_\(n)>\n   ```\n" }
      if n == 5 { text += "\n### Nested\n\n1. Deep `<deep>` and `<new_3>`.\n" }
    }
    let parallel = Self.compile(text, parallel: true)
    let serial = Self.compile(text, parallel: false)
    #expect(parallel == serial)
    #expect(parallel.inputs.map(\.id).prefix(4) == ["region", "late", "never", "intro_only"])
    #expect(parallel.input("late")?.firstUsedIn == parallel.sections[7].steps[2].id)
    #expect(parallel.sections[8].steps[2].inputs == ["code_8"])  // `late` was first used in part 7
    #expect(parallel.input("never")?.firstUsedAt == nil)
  }

  /// The parts' ids are checked for clashes on all cores, by buckets: any shared id is found.
  @Test func idClashesAreFoundInEveryBucket() {
    let sets = (0..<50).map { part in Set((0..<40).map { "part-\(part)/step-\($0)" }) }
    #expect(RunbookCompiler.idsAreDisjoint(sets))
    #expect(RunbookCompiler.idsAreDisjoint([]))
    #expect(RunbookCompiler.idsAreDisjoint([[], ["a"], []]))
    for shared in ["a", "ab", "abc", "abcd", "part-3/step-7", "é"] {
      var clashing = sets
      clashing[2].insert(shared)
      clashing[41].insert(shared)
      #expect(!RunbookCompiler.idsAreDisjoint(clashing), "\(shared)")
    }
  }

  @Test(arguments: [false, true])
  func sectionsWithSharedIDsCompileTheSame(pinTwice: Bool) {
    var text = "# Guide\n\n1. Before any section.\n"
    for section in 0..<40 {
      text += "\n## Part \(section % 7)\n\n"  // repeated titles: slugs part-0-1, part-0-2…
      if pinTwice, section % 10 == 3 { text += "<!-- step: shared -->\n" }
      text += "1. First of \(section).\n2. Second.\n\n   a. Sub.\n   b. Sub.\n\n4. Skipped a number.\n"
    }
    let parallel = Self.compile(text, parallel: true)
    #expect(parallel == Self.compile(text, parallel: false))
    let ids = parallel.allSteps.map(\.id)
    #expect(Set(ids).count == ids.count)
    #expect(ids.contains("shared~2") == pinTwice)
    #expect(parallel.diagnostics.contains { $0.code == "step-number-skipped" })
  }
}
