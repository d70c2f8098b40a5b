import Testing

@testable import RunbookCore

/// What the compiler makes of guides with many sections: admonitions closed by lists, inputs
/// first used across sections, step ids kept unique.
@Suite struct SectionCompileTests {
  static func compile(_ text: String) -> Runbook {
    RunbookCompiler().compile(text, file: "guide.md")
  }

  /// A list whose last line is `:::` (read by cmark as part of the list) closes the admonition
  /// open before it, and is a stray closer when none is open.
  @Test func admonitionsClosedByLists() {
    var text = "# Guide\n"
    for n in 0..<192 {
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
    let runbook = Self.compile(text)
    // Each warning is closed by a later list's `:::`; only the first bullet list closes nothing.
    #expect(runbook.diagnostics.filter { $0.code == "stray-admonition-close" }.count == 1)
    #expect(!runbook.diagnostics.contains { $0.code == "unclosed-admonition" })
    // No prerequisites section, so no preconditions: every note stays where it is written (22
    // `:::note`, 21 `:::warning`, 21 alerts).
    #expect(runbook.preconditions.isEmpty)
    var notes = 0
    for unit in runbook.walk {
      let own: [Content]
      switch unit.kind {
      case .page(let page): own = page.content
      case .step(let step): own = step.content
      }
      (unit.before + own + unit.after).walk { if case .note = $0 { notes += 1 } }
    }
    #expect(notes == 64)
  }

  /// First uses, the order of new inputs and each step's inputs follow document order across
  /// sections.
  @Test func inputsFirstUsedAcrossSections() {
    var text = "---\ninputs:\n  region: {label: Region}\n  late: {label: Late}\n  never: {}\n---\n"
    text += "# Guide\n\nSet `<intro_only>` first.\n"
    for n in 0..<12 {
      text += "\n## Part \(n)\n\nUse `<region>` and `<new_\(n % 4)>`.\n\n"
      text += "1. Step `<new_\(n % 3)>`.\n\n   a. Sub `<sub_\(n % 5)>` and `<intro_only>`.\n\n"
      text += "2. Table:\n\n   | a | b |\n   |---|---|\n   | `<cell_\(n % 2)>` | x |\n"
      if n >= 7 { text += "\n3. Late `<late>`.\n\n   ```sh {run}\n   echo <region> <code_\(n)>\n   ```\n" }
      if n == 5 { text += "\n### Nested\n\n1. Deep `<deep>` and `<new_3>`.\n" }
    }
    let runbook = Self.compile(text)
    #expect(runbook.inputs.map(\.id).prefix(4) == ["region", "late", "never", "intro_only"])
    #expect(runbook.input("late")?.firstUsedIn == runbook.sections[7].steps[2].id)
    #expect(runbook.sections[8].steps[2].inputs == ["code_8"])  // `late` was first used in part 7
    #expect(runbook.input("never")?.firstUsedAt == nil)
  }

  @Test(arguments: [false, true])
  func stepIDsStayUniqueAcrossSections(pinTwice: Bool) {
    var text = "# Guide\n\n1. Before any section.\n"
    for section in 0..<40 {
      text += "\n## Part \(section % 7)\n\n"  // repeated titles: slugs part-0-1, part-0-2…
      if pinTwice, section % 10 == 3 { text += "<!-- step: shared -->\n" }
      text += "1. First of \(section).\n2. Second.\n\n   a. Sub.\n   b. Sub.\n\n4. Skipped a number.\n"
    }
    let runbook = Self.compile(text)
    let ids = runbook.allSteps.map(\.id)
    #expect(Set(ids).count == ids.count)
    #expect(ids.contains("shared~2") == pinTwice)
    #expect(runbook.diagnostics.contains { $0.code == "step-number-skipped" })
  }
}
