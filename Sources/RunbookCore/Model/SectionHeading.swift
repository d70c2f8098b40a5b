import RunbookMarkdown

/// The heading of a section as a run shows it when it enters the section.
public struct SectionHeading: Hashable, Sendable {
  public var title: String
  public var titleInlines: [Inline]
  public var level: Int
  public var slug: String
  public var range: SourceRange

  public init(_ section: Section) {
    title = section.title
    titleInlines = section.titleInlines
    level = section.level
    slug = section.slug
    range = section.range
  }
}
