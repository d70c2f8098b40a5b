import Foundation

/// moto's AWS emulator (`moto_server.py`, PyPI `moto[server]`), started for one test on a free
/// loopback port and stopped after; the AWS CLI (`aws`) talks to it through `--endpoint-url`.
public final class MotoServer: @unchecked Sendable {
  public let port: Int
  private let process: Process

  /// Why the emulator tests cannot run here, or nil when moto's server, boto3 and the AWS CLI
  /// are installed (`.ci/run` and `scripts/bootstrap --tests` install them).
  public static let missing: String? = {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["sh", "-c", "python3 -c 'import moto.server, boto3, flask' && aws --version"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return "cannot run sh" }
    probe.waitUntilExit()
    return probe.terminationStatus == 0
      ? nil : "moto's server or the AWS CLI is missing (pip install 'moto[server]' awscli)"
  }()

  /// Environment for the AWS CLI against the emulator: fake credentials, and no file or
  /// instance metadata of the machine's own AWS set-up.
  public static let environment: [String: String] = [
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "",
  ]

  public init() throws {
    (process, port) = try PythonServer.start(
      "moto_server.py", ["--max-seconds", "300"], name: "moto's server")
  }

  public var endpoint: String { "http://127.0.0.1:\(port)" }

  /// Runs `aws ARGS --endpoint-url` against the emulator; its standard output, trimmed.
  public func aws(_ arguments: [String]) throws -> String {
    let result = try RunbookProcess.run(
      program: URL(fileURLWithPath: "/usr/bin/env"), ["aws"] + arguments + ["--endpoint-url", endpoint],
      environment: Self.environment)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  public func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  deinit { stop() }
}
