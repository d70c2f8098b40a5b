import RunbookMarkdown

/// One stop of a run: a reading page or a step, with what is shown around it. A runbook's units
/// (``Runbook/walk``) hold every part of the guide in document order, so a run that shows each
/// unit shows the whole guide.
public struct RunUnit: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case page(Page)
    case step(Step)
  }

  public var kind: Kind
  /// Sections this unit enters, outermost first: their headings are shown before it.
  public var opens: [SectionHeading] = []
  /// Shown before the unit: the intro of the section it enters, or of the `<Tabs>` alternative
  /// its steps belong to.
  public var before: [Content] = []
  /// Shown after the unit: the closing of a parent step or of a section that ends with it.
  public var after: [Content] = []
  /// Every condition the unit depends on: its sections', its parent steps' and its own.
  public var conditions: [Condition] = []
  /// Indices in ``Runbook/preconditions`` of the preconditions asked with this unit.
  public var preconditions: [Int] = []

  public init(kind: Kind) {
    self.kind = kind
  }

  /// The step's id, or the page's.
  public var id: String {
    switch kind {
    case .page(let page): page.id
    case .step(let step): step.id
    }
  }

  public var step: Step? {
    if case .step(let step) = kind { step } else { nil }
  }

  public var page: Page? {
    if case .page(let page) = kind { page } else { nil }
  }

  /// Where the unit starts in the guide: the first heading it enters, else what it shows first.
  public var start: SourceLocation {
    if let heading = opens.first { return heading.range.start }
    if let first = before.first { return first.range.start }
    switch kind {
    case .page(let page): return page.range.start
    case .step(let step): return step.range.start
    }
  }
}
