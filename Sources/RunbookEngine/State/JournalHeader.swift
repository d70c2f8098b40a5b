import Foundation

/// Line 1 of a state file: which runbook the journal belongs to and its steps when it started.
public struct JournalHeader: Codable, Equatable, Sendable {
  /// Always `runbook-state`.
  public var format: String
  /// The state file format version; this build writes and reads version 1.
  public var version: Int
  public var runbook: RunbookRef
  /// The runbook's steps in document order when the journal was created.
  public var steps: [StepRef]
  public var created: Date
  public var `operator`: String

  /// The format name every state file's header carries.
  public static let formatName = "runbook-state"
  /// The newest state version this build understands.
  public static let currentVersion = 1

  public init(runbook: RunbookRef, steps: [StepRef], created: Date, operator: String) {
    self.format = Self.formatName
    self.version = Self.currentVersion
    self.runbook = runbook
    self.steps = steps
    self.created = created
    self.operator = `operator`
  }

  /// The guide a journal records a run of.
  public struct RunbookRef: Codable, Equatable, Sendable {
    public var path: String
    public var id: String
    public var title: String
    /// Lowercase hex SHA-256 of the guide's bytes.
    public var sha256: String

    public init(path: String, id: String, title: String, sha256: String) {
      self.path = path
      self.id = id
      self.title = title
      self.sha256 = sha256
    }
  }

  /// A step's id, the fingerprint of its content and the hash of its content without its number
  /// (``StepFingerprint/content(of:)``; absent in journals written before it existed).
  public struct StepRef: Codable, Equatable, Sendable {
    public var id: String
    public var fingerprint: String
    public var content: String?

    public init(id: String, fingerprint: String, content: String? = nil) {
      self.id = id
      self.fingerprint = fingerprint
      self.content = content
    }
  }
}
