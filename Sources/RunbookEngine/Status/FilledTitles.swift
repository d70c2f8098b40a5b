import RunbookCore

/// Step titles as a reader of `status`, a report or `status --follow` sees them: each
/// `<placeholder>` filled with the value the run recorded (derived values included), a secret's
/// placeholder left as written and any secret inside a value masked. Callers sanitise for
/// their screen or page.
public struct FilledTitles: Sendable {
  let values: [String: String]
  let secret: Set<String>
  let masker: SecretMasker

  /// The values recorded in `state` for `runbook`'s inputs.
  public init(runbook: Runbook, state: RunState) {
    let recorded = state.inputs.filter { !$0.value.secret }.compactMapValues(\.value)
    let secret = Set(runbook.inputs.filter(\.secret).map(\.id)).union(
      state.inputs.filter { $0.value.secret }.map(\.key))
    let known = recorded.filter { !secret.contains($0.key) }
    values = known.merging(DerivedValues(runbook).evaluate(known)) { given, _ in given }
    self.secret = secret
    masker = SecretMasker(secrets: state.inputs.filter { secret.contains($0.key) }.compactMap(\.value.value))
  }

  /// The title with the values filled in.
  public func fill(_ title: String) -> String {
    masker.mask(Placeholder.substitute(title) { secret.contains($0.id) ? nil : values[$0.id] })
  }
}
