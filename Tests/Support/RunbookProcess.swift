import Foundation

/// Runs the built `runbook` binary the way a user would, capturing its output and status.
public enum RunbookProcess {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
      self.status = status
      self.stdout = stdout
      self.stderr = stderr
    }
  }

  /// The `runbook` executable built beside the test bundle.
  public static var executable: URL {
    let bundle = Bundle.main.bundleURL
    let candidates = [
      bundle.deletingLastPathComponent().appendingPathComponent("runbook"),
      bundle.appendingPathComponent("runbook"),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "runbook"),
      Paths.packageRoot.appendingPathComponent(".build/debug/runbook"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
  }

  /// Runs `runbook ARGS` with `NO_COLOR=1`, optional standard input and extra environment.
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil
  ) throws -> Result {
    var environment = environment
    environment["NO_COLOR"] = environment["NO_COLOR"] ?? "1"
    return try run(
      program: executable, arguments, stdin: stdin, environment: environment, directory: directory)
  }

  /// Runs any program with this process's environment plus `environment`, capturing both
  /// outputs.
  public static func run(
    program: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe cannot block the child.
    let errData = LockedData()
    let errThread = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.done { usleep(1000) }
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData.value, as: UTF8.self))
  }
}

final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  private var finished = false
  func set(_ d: Data) {
    lock.withLock {
      data = d
      finished = true
    }
  }
  var done: Bool { lock.withLock { finished } }
  var value: Data { lock.withLock { data } }
}

extension RunbookProcess {
  /// Runs `runbook ARGS` in a pseudo-terminal (Tests/Support/pty_run.py), answering each prompt
  /// of `script` (text to wait for, then the line to type; `^C` for Ctrl-C) in order. Returns
  /// the exit status and everything the terminal showed.
  public static func runInTerminal(
    _ arguments: [String], script: [(String, String)], directory: URL, environment: [String: String] = [:]
  ) throws -> Result {
    let file = directory.appendingPathComponent("pty-script-\(UUID().uuidString.prefix(6)).json")
    let pairs = script.map { [$0.0, $0.1] }
    try JSONSerialization.data(withJSONObject: pairs).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", Paths.packageRoot.appendingPathComponent("Tests/Support/pty_run.py").path, file.path, "--"]
      + [executable.path] + arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: transcript, stderr: "")
  }
}
