import RunbookMarkdown

/// Numbered lists (`1.`, `1)`) and task lists (`- [ ]`): one step per item.
struct ListStepRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    nodes.indices.compactMap { index in
      guard case .block(.list(let list)) = nodes[index], Self.isStepList(list) else { return nil }
      return StepProposal(range: index..<index + 1, kind: .list)
    }
  }

  static func isStepList(_ list: MarkdownList) -> Bool {
    list.ordered || list.items.contains { $0.task != nil }
  }
}
