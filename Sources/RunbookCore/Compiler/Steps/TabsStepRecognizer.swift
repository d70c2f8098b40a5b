/// `<Tabs>` whose items hold steps: the steps of each tab are alternatives, numbered within
/// their tab. Tabs without steps stay content.
struct TabsStepRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    nodes.indices.compactMap { index in
      guard case .tabs(let group) = nodes[index],
        group.tabs.contains(where: { !StepResolver.resolve($0.nodes, level: level).isEmpty })
      else { return nil }
      return StepProposal(range: index..<index + 1, kind: .tabs)
    }
  }
}
