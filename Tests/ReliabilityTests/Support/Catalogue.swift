import Foundation
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One row of the bad-input catalogue: a name for the test report and a check that prepares
/// its input in a fresh directory and asserts the exact behaviour.
struct BadInput: Sendable, CustomTestStringConvertible {
  var name: String
  var check: @Sendable (Workspace) throws -> Void

  init(_ name: String, _ check: @escaping @Sendable (Workspace) throws -> Void) {
    self.name = name
    self.check = check
  }

  var testDescription: String { name }

  func run() throws {
    let workspace = Workspace()
    defer { workspace.remove() }
    try check(workspace)
  }
}

/// A temporary directory for one case.
struct Workspace: Sendable {
  let url = Paths.temporaryDirectory("reliability")

  var path: String { url.path }

  /// Writes a file and returns its absolute path.
  @discardableResult func write(_ name: String, _ text: String) -> String {
    write(name, bytes: Array(text.utf8))
  }

  @discardableResult func write(_ name: String, bytes: [UInt8]) -> String {
    let path = url.appendingPathComponent(name).path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    return path
  }

  func remove() {
    chmod(path, 0o700)
    try? FileManager.default.removeItem(at: url)
  }
}

/// What a one-line message on standard error must be.
enum ErrorLine: Sendable {
  /// Nothing at all on standard error.
  case none
  /// Exactly these lines.
  case exact([String])
  /// One line starting with this text.
  case prefix(String)

  static func line(_ text: String) -> ErrorLine { .exact([text]) }
}

/// Runs the built `runbook` binary with a deadline, so that a hang fails the case instead of
/// the whole suite.
enum CLI {
  struct Result: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    var stderrLines: [String] {
      stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
  }

  /// Generous: a hang is minutes, not seconds; the 20 MB guide is the slowest case.
  static let defaultTimeout: TimeInterval = 240

  static func run(_ arguments: [String], timeout: TimeInterval = defaultTimeout, directory: String? = nil)
    throws
    -> Result
  {
    let process = Process()
    process.executableURL = RunbookProcess.executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let collected = Collected()
    let readers = DispatchGroup()
    for (pipe, isError) in [(out, false), (err, true)] {
      readers.enter()
      Thread {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        collected.set(data, error: isError)
        readers.leave()
      }.start()
    }
    var timedOut = false
    if readers.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      _ = readers.wait(timeout: .now() + 10)
    }
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: collected.text(error: false),
      stderr: collected.text(error: true),
      timedOut: timedOut)
  }

  /// Runs and checks the exit status, standard error and lines that standard output contains.
  @discardableResult static func expect(
    _ arguments: [String], status: Int32, stderr: ErrorLine, stdout expected: [String] = [],
    timeout: TimeInterval = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    let result = try run(arguments, timeout: timeout)
    #expect(
      !result.timedOut, "runbook \(arguments.joined(separator: " ")) did not finish",
      sourceLocation: sourceLocation)
    #expect(result.status == status, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    switch stderr {
    case .none:
      #expect(result.stderr == "", sourceLocation: sourceLocation)
    case .exact(let lines):
      #expect(result.stderrLines == lines, sourceLocation: sourceLocation)
    case .prefix(let start):
      #expect(result.stderrLines.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
      #expect(result.stderr.hasPrefix(start), "\(result.stderr)", sourceLocation: sourceLocation)
    }
    for line in expected {
      #expect(
        result.stdout.contains(line), "stdout lacks \(line.debugDescription)", sourceLocation: sourceLocation)
    }
    return result
  }
}

private final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var out = Data()
  private var err = Data()

  func set(_ data: Data, error: Bool) {
    lock.withLock {
      if error { err = data } else { out = data }
    }
  }

  func text(error: Bool) -> String {
    lock.withLock { String(decoding: error ? err : out, as: UTF8.self) }
  }
}

/// Measures how long a closure takes.
func elapsed<T>(_ body: () throws -> T) rethrows -> (T, TimeInterval) {
  let start = Date()
  let value = try body()
  return (value, Date().timeIntervalSince(start))
}
