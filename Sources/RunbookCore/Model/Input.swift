import RunbookMarkdown

/// A value the runbook needs: a `<placeholder>` in code, or an input declared in front matter.
public struct Input: Hashable, Sendable {
  /// The kinds of value an input accepts.
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    case text, url, email, number, choice
    case yesNo = "yes-no"
  }

  /// The normalised id (see ``Placeholder/normalize(_:)``).
  public var id: String
  public var label: String
  public var help: String?
  public var example: String?
  public var defaultValue: String?
  /// A regular expression the whole value must match.
  public var pattern: String?
  /// Shown when validation fails, instead of the pattern.
  public var message: String?
  public var kind: Kind
  public var choices: [String]
  public var secret: Bool
  public var required: Bool
  /// The step number or id where it is asked, as written.
  public var ask: String?
  /// A derived input's template, with `<name>` placeholders; never asked.
  public var value: String?
  /// True when the input is declared in front matter, false for an implicit placeholder.
  public var declared: Bool
  /// Where it is declared (front matter) or first used (implicit).
  public var location: SourceLocation
  /// The id of the first step that uses it, if any step does.
  public var firstUsedIn: String?
  /// Where it is first used in the body, if anywhere.
  public var firstUsedAt: SourceLocation?
  /// The shell variable it is delivered as too, when a block reads `$NAME` that nothing in the
  /// guide sets (``VariableInputs``).
  public var variable: String?

  public init(id: String, label: String, declared: Bool, location: SourceLocation) {
    self.id = id
    self.label = label
    self.kind = .text
    self.choices = []
    self.secret = false
    self.required = true
    self.declared = declared
    self.location = location
  }

  /// True when the value is computed from other inputs.
  public var isDerived: Bool { value != nil }

  /// The name of the environment variable that carries the value to commands and checks,
  /// and that an unattended run reads it from.
  public var environmentName: String { "RUNBOOK_INPUT_" + id.uppercased() }
}
