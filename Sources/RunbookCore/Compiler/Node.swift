import RunbookMarkdown

/// A block after grouping: admonitions, GitHub alerts, `<Tabs>`, step pins and conditions
/// recognised.
enum Node: Sendable {
  case block(MarkdownBlock)
  indirect case note(kind: String, title: String?, nodes: [Node], SourceRange)
  case tabs(TabGroup)
  case pin(String, SourceLocation)
  /// An author's `<!-- if: input = value -->`, for the step or heading right after it.
  case condition(Condition)
  /// Alternatives whose steps were taken out, kept as content of the step before them.
  case tabsContent([Alternative], SourceRange)

  var start: SourceLocation {
    switch self {
    case .block(let b): return b.range.start
    case .note(_, _, _, let r), .tabsContent(_, let r): return r.start
    case .tabs(let group): return group.range.start
    case .pin(_, let at): return at
    case .condition(let condition): return condition.location
    }
  }
}

/// A `<Tabs>` block: its items, and the `groupId` (or `queryString`) that Docusaurus uses to
/// keep tabs of one kind in step across a page.
struct TabGroup: Sendable {
  var tabs: [TabNode]
  var group: String?
  var range: SourceRange
}

/// One `<TabItem>` and its grouped content.
struct TabNode: Sendable {
  var label: String
  var value: String
  var nodes: [Node]
  var range: SourceRange
}
