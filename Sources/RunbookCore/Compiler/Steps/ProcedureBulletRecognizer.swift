import Foundation
import RunbookMarkdown

/// Bullet lists that are a procedure: every item holds an action with its code block, or the
/// list follows "do the following" wording (`perform the following checks:`). Each item is a
/// step. Bullets that only inform (a list of metrics, of links) stay content.
struct ProcedureBulletRecognizer: StepRecognizer {
  static let wording = try! NSRegularExpression(
    pattern:
      #"\b(do|perform|complete|follow|run|use|try)\b[^.]{0,60}\bthe following\b[^.]{0,30}\b(steps|methods|actions|checks|commands|instructions|tasks)\b|\bfollow (these|the) steps\b|\bdo the following\b"#,
    options: [.caseInsensitive])

  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    guard level == .section else { return [] }
    var out: [StepProposal] = []
    for (index, node) in nodes.enumerated() {
      guard case .block(.list(let list)) = node, !ListStepRecognizer.isStepList(list), !list.items.isEmpty
      else {
        continue
      }
      let everyItemHasCode = list.items.allSatisfy { item in
        item.blocks.contains { if case .codeBlock = $0 { true } else { false } }
      }
      var announced = false
      if index > 0, case .block(.paragraph(let inlines, _)) = nodes[index - 1] {
        announced = Self.announces(inlines.plainText)
      }
      if everyItemHasCode || announced {
        out.append(StepProposal(range: index..<index + 1, kind: .procedureBullet))
      }
    }
    return out
  }

  /// True for a sentence that announces a procedure: "use any of the following methods:",
  /// "follow these steps:", "do the following:".
  static func announces(_ text: String) -> Bool {
    wording.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }
}
