import RunbookCore
import RunbookMarkdown

/// What the admin is shown of one unit of a run (``RunUnit``): the headings of the sections it
/// enters, what comes before it, the step's heading and body or the page's text, and what comes
/// after it. The guided run and the unattended transcript show the same text.
public struct UnitText: Sendable {
  public var renderer: TerminalRenderer
  /// The runbook's title, the heading of its intro page.
  public var runbookTitle: String

  public init(renderer: TerminalRenderer, runbookTitle: String) {
    self.renderer = renderer
    self.runbookTitle = runbookTitle
  }

  /// The headings the unit enters and what comes before it; empty when there is none.
  public func opening(_ unit: RunUnit) -> String {
    var parts = unit.opens.map { renderer.sectionHeading($0.titleInlines, level: $0.level) }
    if case .page(let page) = unit.kind, page.id == Page.introID {
      parts.append(renderer.sectionHeading([.text(runbookTitle, page.range.start)], level: 1))
    }
    if !unit.before.isEmpty { parts.append(renderer.render(unit.before)) }
    return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  /// A step's heading (number, position, title) and alternative; nil for a page.
  public func heading(_ unit: RunUnit, position: (index: Int, total: Int)?) -> String? {
    guard let step = unit.step else { return nil }
    let position = position ?? (1, 1)
    var text = renderer.stepHeading(
      section: "", number: step.number, title: step.titleInlines, position: position.index,
      total: position.total)
    if let alternative = step.alternative { text += "\n  (" + Sanitizer.terminal(alternative) + ")" }
    return text
  }

  /// The step's own body (its closing, after sub-steps, comes with the last of them), or the
  /// page's text; empty when there is none.
  public func body(_ unit: RunUnit) -> String {
    switch unit.kind {
    case .step(let step): return step.content.isEmpty ? "" : renderer.render(step.content)
    case .page(let page): return page.content.isEmpty ? "" : renderer.render(page.content)
    }
  }

  /// What comes after the unit: a parent step's or its section's closing; empty when there is
  /// none.
  public func closing(_ unit: RunUnit) -> String {
    unit.after.isEmpty ? "" : renderer.render(unit.after)
  }

  /// All of the unit, blank lines between the parts, each part starting on a new line.
  public func full(_ unit: RunUnit, position: (index: Int, total: Int)?) -> String {
    [opening(unit), heading(unit, position: position) ?? "", body(unit), closing(unit)]
      .filter { !$0.isEmpty }.joined(separator: "\n\n")
  }
}
