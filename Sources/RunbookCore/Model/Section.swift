import RunbookMarkdown

/// A heading and what it holds, with its sub-sections nested by heading level.
public struct Section: Hashable, Sendable {
  public var title: String
  public var titleInlines: [Inline]
  /// The GitHub-style anchor of the heading, unique in the document; empty for the untitled
  /// part before the first heading.
  public var slug: String
  public var level: Int
  /// The content before the first step.
  public var intro: [Content]
  public var steps: [Step]
  /// The content after the last step.
  public var closing: [Content]
  public var sections: [Section]
  public var range: SourceRange
  /// When the section (with its sub-sections) applies only for some value of an input: one of
  /// several sections offered as alternatives, or an author's `<!-- if: … -->`.
  public var condition: Condition?
  /// True for a section whose bullets and notes are the runbook's preconditions
  /// (`## Prerequisites`, `## Before you begin`, `## Requirements`…).
  public var isPrerequisites = false

  /// A section without steps only informs the reader.
  public var isInformational: Bool { steps.isEmpty }

  /// True when a run shows the section as a reading page: it has no steps, and it has text of
  /// its own, or is a prerequisites section, or has no sub-sections (a section whose only content
  /// is its sub-sections shows its heading with the first of them instead).
  public var hasReadingPage: Bool {
    steps.isEmpty && (!intro.isEmpty || !closing.isEmpty || isPrerequisites || sections.isEmpty)
  }

  /// Steps of this section and its sub-sections, depth first.
  public var allSteps: [Step] {
    var out: [Step] = []
    forEachStep { out.append($0) }
    return out
  }

  /// Calls `body` with every step of this section and its sub-sections, in document order.
  public func forEachStep(_ body: (Step) -> Void) {
    for step in steps { step.forEachStep(body) }
    for section in sections { section.forEachStep(body) }
  }

  /// This section and its sub-sections, in document order.
  public var allSections: [Section] { [self] + sections.flatMap(\.allSections) }
}
