import RunbookMarkdown

/// Numbered headings (`### 1. Verify the operator is running`, `#### Step 2: Restart`): each is
/// a step holding everything up to the next heading of its level or above. The compiler keeps
/// such headings, and the headings below them, inside their section instead of starting new
/// sections (``RunbookCompiler``).
struct NumberedHeadingRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    guard level == .section else { return [] }
    var out: [StepProposal] = []
    for (index, node) in nodes.enumerated() {
      guard case .block(.heading(let headingLevel, let inlines, _)) = node, Self.isStepHeading(inlines) else {
        continue
      }
      var end = index + 1
      while end < nodes.count {
        if case .block(.heading(let next, _, _)) = nodes[end], next <= headingLevel { break }
        end += 1
      }
      out.append(StepProposal(range: index..<end, kind: .numberedHeading))
    }
    return out
  }

  /// True when a heading's text starts with a step number.
  static func isStepHeading(_ inlines: [Inline]) -> Bool {
    NumberedText.split(inlines) != nil
  }
}
