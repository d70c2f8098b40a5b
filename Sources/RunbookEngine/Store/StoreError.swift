/// Why a state file could not be created, opened, read or appended to. The description is one
/// line naming the file and what to do.
public struct StoreError: Error, CustomStringConvertible, Equatable {
  /// What went wrong, for callers that react to it.
  public enum Kind: Equatable, Sendable {
    case notFound
    /// Another process holds the lock.
    case inUse(LockInfo)
    /// A line other than an incomplete last one is invalid or breaks the hash chain.
    case damaged(line: Int)
    /// Written by a newer runbook, with this state version.
    case newerVersion(Int)
    case notAStateFile
    /// The state belongs to another runbook; raised by callers that compare the header.
    case differentRunbook
    case unreadable
    case symlink
    case writeFailed
    case notWritable
    /// `create` found a file already there.
    case alreadyExists
    /// The store (a database) cannot be reached, or stayed away longer than a session waits.
    case unavailable
  }

  public var kind: Kind
  /// The state file concerned (a run's id in stores that are not files).
  public var path: String
  public var description: String

  public init(_ kind: Kind, path: String, description: String) {
    self.kind = kind
    self.path = path
    self.description = description
  }

  static func notFound(_ path: String) -> Self {
    Self(.notFound, path: path, description: "\(path) does not exist; check the path of the state file")
  }

  static func inUse(_ path: String, by info: LockInfo) -> Self {
    let who =
      info.pid > 0
      ? "\(info.operator) (pid \(info.pid) on \(info.host)) since \(JournalDateFormat.seconds(info.since))"
      : "another process (see \(path).lock)"
    return Self(.inUse(info), path: path, description: "\(path) is in use by \(who)")
  }

  static func damaged(_ path: String, line: Int) -> Self {
    Self(
      .damaged(line: line), path: path,
      description: "\(path) is damaged at line \(line); it was not changed. "
        + "Restore it from a backup or start a new state with --state")
  }

  static func newerVersion(_ path: String, version: Int) -> Self {
    Self(
      .newerVersion(version), path: path,
      description: "\(path) was written by a newer runbook (state version \(version)); upgrade runbook")
  }

  static func notAStateFile(_ path: String, directory: Bool = false) -> Self {
    let description =
      directory
      ? "\(path) is a directory, not a runbook state file; give the path of the state file"
      : "\(path) is not a runbook state file"
    return Self(.notAStateFile, path: path, description: description)
  }

  /// The state at `path` records a run of `recorded`, not of the runbook `current`.
  public static func differentRunbook(
    _ path: String, recorded: JournalHeader.RunbookRef, current: String
  ) -> Self {
    Self(
      .differentRunbook, path: path,
      description: "\(path) records a run of \(recorded.id) (\(recorded.path)), not \(current); "
        + "give another state with --state")
  }

  static func unreadable(_ path: String, _ reason: String) -> Self {
    Self(.unreadable, path: path, description: "cannot read \(path): \(reason); check its permissions")
  }

  static func symlink(_ path: String) -> Self {
    Self(
      .symlink, path: path,
      description: "\(path) is a symbolic link; give the real path of the state file")
  }

  static func writeFailed(_ path: String, _ reason: String, unchanged: Bool = true) -> Self {
    let outcome =
      unchanged
      ? "The journal is unchanged; free space and resume"
      : "The journal may end with a partial line, which resuming sets aside; free space and resume"
    return Self(
      .writeFailed, path: path, description: "cannot write \(path): \(reason); disk full? \(outcome)")
  }

  static func cannotCreate(_ path: String, _ reason: String) -> Self {
    Self(
      .notWritable, path: path, description: "cannot create \(path): \(reason); choose another with --state")
  }

  static func notWritable(_ path: String, _ reason: String) -> Self {
    Self(.notWritable, path: path, description: "cannot write \(path): \(reason); check its permissions")
  }

  static func alreadyExists(_ path: String) -> Self {
    Self(
      .alreadyExists, path: path,
      description: "\(path) already exists; resume it, or choose another with --state")
  }
}
