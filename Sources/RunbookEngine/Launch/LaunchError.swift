/// Why a run could not be started or resumed: one sentence for the admin, and what kind of
/// failure it is, so front ends can map it (the CLI to an exit status, the web UI to an HTTP
/// status).
public struct LaunchError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Equatable, Sendable {
    /// The guide cannot be read, or has errors that make it unsafe to run.
    case guide
    /// The run belongs to another runbook, or a named step does not exist.
    case request
    /// An unattended run lacks required inputs; nothing was written. One line per input.
    case inputsMissing([String])
    /// The store refused (in use, damaged, unwritable…).
    case store(StoreError.Kind)
  }

  public var kind: Kind
  public var description: String

  public init(_ kind: Kind, _ description: String) {
    self.kind = kind
    self.description = description
  }

  init(_ error: StoreError) {
    self.init(.store(error.kind), error.description)
  }
}
