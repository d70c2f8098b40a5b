import RunbookMarkdown

/// A choice between alternatives the guide offers (the tabs of a `<Tabs>` block that hold
/// steps, or sections offered as alternatives), asked once like a choice input; the
/// alternatives' steps carry a ``Condition`` on it.
struct Choice: Sendable {
  struct Option: Sendable, Equatable {
    /// What the admin types (or gives with `--set`): the tab's `value`, or the section's slug.
    var value: String
    /// What the guide calls it: the tab's label, or the section's title.
    var label: String
  }

  var id: String
  var label: String
  var options: [Option]
  var location: SourceLocation

  /// The input the choice is asked as.
  var input: Input {
    var input = Input(id: id, label: label, declared: false, location: location)
    input.kind = .choice
    input.choices = options.map(\.value)
    input.help = options.map { $0.label == $0.value ? $0.value : "\($0.label) (\($0.value))" }.joined(
      separator: ", ")
    return input
  }
}
