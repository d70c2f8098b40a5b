import RunbookEngine

/// How `runbook serve` runs: where it listens, who may use it, where runbooks and runs are.
public struct ServeOptions: Sendable {
  public var host: String
  /// 0 picks a free port (tests); the one bound is passed to the start-up callback.
  public var port: Int
  public var token: AccessToken
  /// A header that carries the operator's name (set by an authenticating reverse proxy); nil to
  /// ask each browser once.
  public var operatorHeader: String?
  /// The guides to list, found afresh for each dashboard.
  public var findGuides: @Sendable () -> [String]
  /// The host name recorded in `started` and `resumed` events and lock files.
  public var hostName: String
  public var pid: Int
  /// How often a run driven by another process is read while a page watches it.
  public var pollInterval: Duration = .seconds(1)

  public init(
    host: String = "127.0.0.1", port: Int = 8080, token: AccessToken = AccessToken(),
    operatorHeader: String? = nil,
    hostName: String, pid: Int, findGuides: @escaping @Sendable () -> [String]
  ) {
    self.host = host
    self.port = port
    self.token = token
    self.operatorHeader = operatorHeader
    self.hostName = hostName
    self.pid = pid
    self.findGuides = findGuides
  }

  /// True for addresses only this machine can reach.
  public var isLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }
}
