import Foundation

/// Who holds a state file: written into its `<state>.lock` file while a journal is open.
public struct LockInfo: Codable, Equatable, Sendable {
  public var `operator`: String
  public var pid: Int
  public var host: String
  public var since: Date

  public init(operator: String, pid: Int, host: String, since: Date) {
    self.operator = `operator`
    self.pid = pid
    self.host = host
    self.since = since
  }
}
