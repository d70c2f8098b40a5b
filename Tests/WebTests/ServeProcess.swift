import Foundation
import RunbookTestSupport

/// `runbook serve` started for a test on a free port; stopped with SIGTERM.
final class ServeProcess: @unchecked Sendable {
  let url: String
  private let process: Process
  private let errorPipe = Pipe()

  init(directory: URL, arguments: [String]) throws {
    process = Process()
    process.executableURL = RunbookProcess.executable
    process.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:0"]
    process.currentDirectoryURL = directory
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errorPipe
    try process.run()
    var line = Data()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "http://") else {
      process.terminate()
      throw ServeError(description: "runbook serve did not start: \(text)")
    }
    url = String(text[range.lowerBound...])
  }

  /// What the server printed on standard error so far (read after it stopped).
  var errors: String {
    stop()
    return String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  }

  /// Sends SIGTERM without waiting.
  func terminate() { if process.isRunning { process.terminate() } }

  /// Waits up to `seconds` for the process to end; true when it did.
  func waitForExit(seconds: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    return !process.isRunning
  }

  /// SIGTERM, then SIGKILL if it has not stopped within 15 s.
  func stop() {
    guard process.isRunning else { return }
    process.terminate()
    if !waitForExit(seconds: 15) { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }

  struct ServeError: Error, CustomStringConvertible { var description: String }
}

/// Runs a Python script and collects its output.
enum PythonScript {
  static func run(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-u", script] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
