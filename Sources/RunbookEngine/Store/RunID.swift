/// Names a run in a ``RunStore``: the state file's path in the file store, a generated id in a
/// database.
public struct RunID: Hashable, Sendable, CustomStringConvertible {
  public var rawValue: String

  public init(_ rawValue: String) { self.rawValue = rawValue }

  public var description: String { rawValue }
}
