/// What a front end asks of ``RunLauncher``: which guide, which run, who, and the values given
/// ahead of time.
public struct RunRequest: Sendable {
  /// The Markdown guide, as the admin named it.
  public var guidePath: String
  /// The run to start or resume; nil for the store's default run of the guide.
  public var run: RunID?
  public var operatorName: String
  public var host: String
  public var pid: Int
  /// A step number or id to start at (`--from`).
  public var from: String?
  /// Values by input id from the command line (`--set`); they win over ``answers``.
  public var set: [String: String]
  /// Values by input id from an answers file.
  public var answers: [String: String]
  /// True for a run without a person: values also come from the environment
  /// (`RUNBOOK_INPUT_<ID>`) and defaults, and missing inputs refuse the run before anything is
  /// written.
  public var unattended: Bool
  /// The environment unattended runs read values from.
  public var environment: [String: String]

  public init(
    guidePath: String, run: RunID? = nil, operatorName: String, host: String, pid: Int, from: String? = nil,
    set: [String: String] = [:], answers: [String: String] = [:], unattended: Bool = false,
    environment: [String: String] = [:]
  ) {
    self.guidePath = guidePath
    self.run = run
    self.operatorName = operatorName
    self.host = host
    self.pid = pid
    self.from = from
    self.set = set
    self.answers = answers
    self.unattended = unattended
    self.environment = environment
  }
}
