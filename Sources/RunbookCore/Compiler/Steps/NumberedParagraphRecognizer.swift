import RunbookMarkdown

/// Paragraphs that carry a step number (`**1. Create a sender**`, `Step 2: Restart`): each is a
/// step holding everything up to the next such paragraph.
struct NumberedParagraphRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    guard level == .section else { return [] }
    let starts = nodes.indices.filter {
      guard case .block(.paragraph(let inlines, _)) = nodes[$0] else { return false }
      return NumberedText.split(inlines) != nil
    }
    return starts.enumerated().map { position, start in
      let end = position + 1 < starts.count ? starts[position + 1] : nodes.count
      return StepProposal(range: start..<end, kind: .numberedParagraph)
    }
  }
}
