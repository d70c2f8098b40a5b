import RunbookMarkdown

/// One thing the admin does: a numbered item, a task-list item, a lettered sub-step, or a step
/// recognised in another way real guides write them (``origin``).
public struct Step: Hashable, Sendable {
  /// The number a reader sees, such as `6`, `6.2` or `5.a`.
  public var number: String
  /// A stable id: a pinned `<!-- step: id -->`, else the section slug, `/`, the number.
  public var id: String
  /// True when the id was pinned with an HTML comment.
  public var pinned: Bool
  /// The plain text of the step's first paragraph.
  public var title: String
  /// The first paragraph with its markup, for rendering.
  public var titleInlines: [Inline]
  /// The body after the title and before the sub-steps.
  public var content: [Content]
  public var steps: [Step]
  /// The body after the sub-steps.
  public var closing: [Content]
  /// For task-list items: whether the box was ticked in the source.
  public var task: MarkdownListItem.Task?
  /// The label of the `<TabItem>` this step sits in, when it is one of several alternatives.
  public var alternative: String?
  /// Ids of the inputs first used in this step (not its sub-steps).
  public var inputs: [String] = []
  public var range: SourceRange
  /// The way of writing a step that made it.
  public var origin: StepOrigin = .numberedList
  /// When the step applies only for some value of an input: its alternative, or its
  /// `<!-- if: … -->` (conditions of its sections and parent steps are not repeated here).
  public var condition: Condition?

  /// The step's own body: content and closing, without sub-steps.
  public var body: [Content] { content + closing }

  /// Tables of the step itself (not of its sub-steps), notes included.
  public var tables: [Table] { body.collect { if case .table(let t) = $0 { t } else { nil } } }
  public var codeBlocks: [CodeBlock] {
    body.collect { if case .code(let c) = $0 { c } else { nil } }
  }
  /// Notes directly in the step (a note inside a note is part of its text).
  public var notes: [Note] {
    body.collect(descendIntoNotes: false) { if case .note(let n) = $0 { n } else { nil } }
  }
  public var images: [Image] { ([Content.paragraph(titleInlines, range)] + body).images }

  /// Ids of every placeholder in the step's own title, body, tables and code.
  public var usedPlaceholders: [String] {
    var ids = titleInlines.placeholders.map(\.0.id)
    body.walk { item in
      switch item {
      case .paragraph(let inlines, _), .heading(_, let inlines, _): ids += inlines.placeholders.map(\.0.id)
      case .table(let t):
        for cell in t.header + t.rows.flatMap({ $0 }) { ids += cell.placeholders.map(\.0.id) }
      case .code(let code): ids += Placeholder.scan(code.scannedText).map(\.id)
      default: break
      }
    }
    return ids
  }

  /// This step and its sub-steps, depth first.
  public var allSteps: [Step] {
    var out: [Step] = []
    forEachStep { out.append($0) }
    return out
  }

  /// Calls `body` with this step and then each sub-step, in document order, without building
  /// an array.
  public func forEachStep(_ body: (Step) -> Void) {
    body(self)
    for step in steps { step.forEachStep(body) }
  }
}
