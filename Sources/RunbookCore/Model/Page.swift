import RunbookMarkdown

/// A reading page: a part of the guide that is read, not done. The runbook's intro, and every
/// section without steps of its own, are shown to the admin and acknowledged once.
public struct Page: Hashable, Sendable {
  /// The id of the runbook's intro page; a section's page has the section's slug.
  public static let introID = "(intro)"

  public var id: String
  /// The section's title, or the runbook's for its intro.
  public var title: String
  public var content: [Content]
  public var range: SourceRange
}
