/// Picks, among the proposals of every recogniser, the steps of one level: by precedence
/// (``StepProposal/Kind``), never two that overlap, and inferred kinds only when no numbered
/// kind found anything. The one place where ways of writing steps compete.
enum StepResolver {
  static func resolve(_ nodes: [Node], level: StepLevel) -> [StepProposal] {
    let proposals = StepRecognizers.all(for: level).flatMap { $0.proposals(in: nodes, level: level) }
    guard !proposals.isEmpty else { return [] }
    var picked: [StepProposal] = []
    var claimed = IndexSetLite()
    for proposal in proposals.sorted(by: { ($0.kind, $0.range.lowerBound) < ($1.kind, $1.range.lowerBound) })
    {
      if proposal.kind.isInferred, picked.contains(where: { !$0.kind.isInferred }) { break }
      guard !claimed.intersects(proposal.range) else { continue }
      claimed.insert(proposal.range)
      picked.append(proposal)
    }
    return picked.sorted { $0.range.lowerBound < $1.range.lowerBound }
  }

  /// Claimed node indices; sections have few nodes, so a sorted list of ranges is enough.
  struct IndexSetLite {
    private var ranges: [Range<Int>] = []
    func intersects(_ range: Range<Int>) -> Bool { ranges.contains { $0.overlaps(range) } }
    mutating func insert(_ range: Range<Int>) { ranges.append(range) }
  }
}
