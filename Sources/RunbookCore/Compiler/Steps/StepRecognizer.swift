/// One way real guides write steps. A recogniser only proposes: it looks at the sibling nodes
/// of a section (or of a step, for sub-steps) and says which ranges of them start steps.
/// ``StepResolver`` picks among all proposals by precedence; ``StepBuilder`` builds the picked
/// ones; whatever no picked proposal claims stays content of the step before it or of the
/// section (never dropped).
protocol StepRecognizer: Sendable {
  /// Proposals in document order; their ranges do not overlap each other.
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal]
}

/// Where steps are being looked for: a section's own nodes, or a step's body (sub-steps).
enum StepLevel {
  case section
  case step
}

/// A range of sibling nodes a recogniser claims, and which recogniser claims it.
struct StepProposal: Equatable {
  var range: Range<Int>
  var kind: Kind

  /// The recognisers, in order of precedence: an earlier kind wins where proposals overlap.
  enum Kind: Int, Comparable {
    /// A numbered heading and everything up to the next heading of its level.
    case numberedHeading
    /// A numbered paragraph and everything up to the next numbered paragraph.
    case numberedParagraph
    /// A numbered or task list: one step per item.
    case list
    /// A lettered paragraph (`a. …`), a sub-step.
    case lettered
    /// `<Tabs>` whose items hold steps.
    case tabs
    /// A bullet list that is a procedure: one step per item.
    case procedureBullet
    /// A lead-in paragraph and the code block right after it.
    case leadIn

    /// Inferred kinds are used only where no numbered kind finds a step: a section written as
    /// a numbered list keeps exactly its numbered steps.
    var isInferred: Bool { self == .procedureBullet || self == .leadIn }

    static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
  }
}

/// The recognisers each level uses.
enum StepRecognizers {
  static let section: [any StepRecognizer] = [
    NumberedHeadingRecognizer(), NumberedParagraphRecognizer(), ListStepRecognizer(), TabsStepRecognizer(),
    ProcedureBulletRecognizer(), LeadInRecognizer(),
  ]
  static let step: [any StepRecognizer] = [
    ListStepRecognizer(), LetteredStepRecognizer(), TabsStepRecognizer(),
  ]

  static func all(for level: StepLevel) -> [any StepRecognizer] {
    switch level {
    case .section: section
    case .step: step
    }
  }
}
