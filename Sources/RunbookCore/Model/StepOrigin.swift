/// The way of writing a step that made it, one per recogniser (docs/authoring.md, "Steps").
public enum StepOrigin: String, Hashable, Sendable, CaseIterable {
  /// An item of a numbered list (`1.`, `1)`).
  case numberedList = "numbered-list"
  /// A task-list item (`- [ ]`).
  case taskList = "task-list"
  /// A lettered paragraph inside or right after a step (`a. …`).
  case lettered
  /// A heading that carries a number (`### 1. Verify …`, `#### Step 2: …`).
  case numberedHeading = "numbered-heading"
  /// A paragraph that starts with a number, in bold or plain text (`**1. Create a sender**`).
  case numberedParagraph = "numbered-paragraph"
  /// An item of a bullet list that is a procedure.
  case procedureBullet = "procedure-bullet"
  /// A lead-in sentence followed by a code block, in a section without numbered steps.
  case leadIn = "lead-in"

  /// True for steps the guide did not write as a numbered or task list item: `show` marks them
  /// so that authors can check them and pin them.
  public var isInferred: Bool {
    switch self {
    case .numberedList, .taskList, .lettered: false
    case .numberedHeading, .numberedParagraph, .procedureBullet, .leadIn: true
    }
  }
}
