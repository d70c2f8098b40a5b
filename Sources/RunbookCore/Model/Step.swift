import RunbookMarkdown

/// One thing the admin does: a numbered item, a task-list item or a lettered sub-step.
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

extension Array where Element == Content {
  /// Every element a closure picks out of the content, searching lists, quotes, notes and tabs.
  func collect<T>(descendIntoNotes: Bool = true, _ pick: (Content) -> T?) -> [T] {
    var out: [T] = []
    func walk(_ items: [Content]) {
      for item in items {
        if let found = pick(item) { out.append(found) }
        switch item {
        case .list(let l): l.items.forEach(walk)
        case .quote(let c, _): walk(c)
        case .note(let n): if descendIntoNotes { walk(n.content) }
        case .tabs(let alternatives, _): for alternative in alternatives { walk(alternative.content) }
        default: break
        }
      }
    }
    walk(self)
    return out
  }

  /// Images in inline content, HTML and MDX components.
  public var images: [Image] {
    var out: [Image] = []
    func inlineImages(_ inlines: [Inline]) {
      for inline in inlines {
        if case .image(let source, _, let children, let at) = inline {
          out.append(Image(alt: children.plainText, source: source, location: at))
        } else if case .html(let html, let at) = inline {
          out.append(contentsOf: HTMLScanner.images(in: html, at: at))
        } else {
          inlineImages(inline.children)
        }
      }
    }
    func walk(_ items: [Content]) {
      for item in items {
        switch item {
        case .paragraph(let i, _), .heading(_, let i, _): inlineImages(i)
        case .table(let t): (t.header + t.rows.flatMap { $0 }).forEach(inlineImages)
        case .html(let html, let r): out.append(contentsOf: HTMLScanner.images(in: html, at: r.start))
        case .list(let l): l.items.forEach(walk)
        case .quote(let c, _): walk(c)
        case .note(let n): walk(n.content)
        case .tabs(let a, _): for alternative in a { walk(alternative.content) }
        case .code, .rule: break
        }
      }
    }
    walk(self)
    return out
  }
}
