import RunbookMarkdown

/// A compiled guide: what the session engine runs, `show` prints and `lint` checks.
public struct Runbook: Hashable, Sendable {
  /// The path the guide was read from, as given.
  public var file: String
  /// Front matter `id`, else the file name without its extension.
  public var id: String
  public var title: String
  public var description: String?
  /// Notes before the first step: what must be true before starting.
  public var preconditions: [Note]
  /// Content before the first heading that is neither a step nor a precondition.
  public var intro: [Content]
  /// Declared inputs first (in declaration order), then implicit ones in order of first use.
  public var inputs: [Input]
  public var sections: [Section]
  public var diagnostics: [Diagnostic]

  /// Every step in document order, sub-steps after their parent.
  public var allSteps: [Step] {
    var out: [Step] = []
    forEachStep { out.append($0) }
    return out
  }

  /// Calls `body` with every step, in document order, without building an array.
  public func forEachStep(_ body: (Step) -> Void) {
    for section in sections { section.forEachStep(body) }
  }

  /// Every section in document order.
  public var allSections: [Section] { sections.flatMap(\.allSections) }

  public func input(_ id: String) -> Input? { inputs.first { $0.id == id } }

  public func step(_ id: String) -> Step? { allSteps.first { $0.id == id } }

  /// True when any diagnostic is an error.
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
