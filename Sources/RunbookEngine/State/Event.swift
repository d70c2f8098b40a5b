import Foundation

/// One line of the journal after the header. Fields a type does not use stay nil and are not
/// written.
public struct Event: Codable, Equatable, Sendable {
  /// 1, 2, 3… in file order; assigned by ``Journal/append(_:)``.
  public var seq: Int
  /// Stored with millisecond precision, in UTC.
  public var at: Date
  public var `operator`: String
  public var type: EventType
  /// A step id.
  public var step: String?
  /// An input id.
  public var input: String?
  /// An input's value; never present for a secret.
  public var value: String?
  /// True when a secret was provided (its value is not recorded).
  public var secret: Bool?
  /// A table row, precondition or table index, as the type needs.
  public var index: Int?
  public var table: Int?
  /// Why a step was skipped or a run failed.
  public var reason: String?
  /// Note text or command text (masked by the session).
  public var text: String?
  /// The exit status of a command or check.
  public var status: Int?
  public var passed: Bool?
  /// For `command` and `check`: stopped before it finished (Ctrl-C, a signal), so it may have
  /// run partly.
  public var interrupted: Bool?
  /// The tail of a command's output (masked by the session).
  public var output: String?
  /// For `command` and `check`: the shell variables it set (names only, never values), so a
  /// resumed run knows what later commands may miss.
  public var variables: [String]?
  public var durationMs: Int?
  /// The host and process of a `started` or `resumed` event.
  public var host: String?
  public var pid: Int?
  /// Details of `moved-to` and `runbook-changed`.
  public var from: String?
  /// For `runbook-changed`: the ids of reopened or removed steps.
  public var steps: [String]?
  /// For `step-done` and `step-skipped`: the step's fingerprint at that time.
  public var fingerprint: String?
  /// For `runbook-changed`: the guide's new SHA-256.
  public var sha256: String?
  /// For `step-done` and `step-skipped`: the step's content hash without its number.
  public var content: String?
  /// For `runbook-changed`: steps whose history moved to another id (a step renumbered because
  /// one was inserted or removed before it), old id to new id.
  public var moved: [String: String]?
  /// For `page-read` (and a note written on a page): the reading page's id, the slug of its
  /// section or `(intro)`.
  public var page: String?
  /// Lowercase hex SHA-256 of the previous line's bytes, without its newline; assigned by
  /// ``Journal/append(_:)``.
  public var prev: String

  /// An event to append; `seq` and `prev` are filled in by the journal.
  public init(
    type: EventType, at: Date, operator: String, step: String? = nil, input: String? = nil,
    value: String? = nil, secret: Bool? = nil, index: Int? = nil, table: Int? = nil,
    reason: String? = nil, text: String? = nil, status: Int? = nil, passed: Bool? = nil,
    output: String? = nil, durationMs: Int? = nil, host: String? = nil, pid: Int? = nil,
    from: String? = nil, steps: [String]? = nil, fingerprint: String? = nil, sha256: String? = nil,
    page: String? = nil
  ) {
    self.seq = 0
    self.at = at
    self.operator = `operator`
    self.type = type
    self.step = step
    self.input = input
    self.value = value
    self.secret = secret
    self.index = index
    self.table = table
    self.reason = reason
    self.text = text
    self.status = status
    self.passed = passed
    self.output = output
    self.durationMs = durationMs
    self.host = host
    self.pid = pid
    self.from = from
    self.steps = steps
    self.fingerprint = fingerprint
    self.sha256 = sha256
    self.page = page
    self.prev = ""
  }
}
