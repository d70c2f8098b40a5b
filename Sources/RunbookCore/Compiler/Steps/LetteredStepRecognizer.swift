/// Lettered paragraphs inside a step (`a. …`, `b. …`): sub-steps `5.a`, `5.b`. The letters come
/// in order from `a`; a new `a.` starts a new series, and a numbered list resets the series.
struct LetteredStepRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    guard level == .step else { return [] }
    var out: [StepProposal] = []
    var expected: Character = "a"
    for (index, node) in nodes.enumerated() {
      switch node {
      case .block(.list(let list)) where ListStepRecognizer.isStepList(list):
        expected = "a"
      case .block(.paragraph(let inlines, _)):
        guard let letter = LetteredText.letter(of: inlines), letter == expected || letter == "a" else {
          continue
        }
        out.append(StepProposal(range: index..<index + 1, kind: .lettered))
        expected = LetteredText.next(after: letter)
      default:
        continue
      }
    }
    return out
  }
}
