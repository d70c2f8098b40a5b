import Foundation
import RunbookTestSupport
import Testing

/// `runbook serve` as a process: its arguments, and stopping with pages still open.
@Suite struct ServeCommandTests {
  @Test("a --listen that is not an address is a usage error")
  func badListen() throws {
    let result = try RunbookProcess.run(["serve", "--listen", "somewhere"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--listen takes HOST:PORT"))
  }

  @Test("SIGTERM stops the server even while a page follows a run's events")
  func stopsWithOpenStream() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
    let work = Paths.temporaryDirectory("runbook-serve-stop")
    defer { try? FileManager.default.removeItem(at: work) }
    let guide = work.appendingPathComponent("g.md")
    try "# G\n\n## S\n\n1. One.\n".write(to: guide, atomically: true, encoding: .utf8)
    let server = try ServeProcess(directory: work, arguments: ["g.md"])
    defer { server.stop() }
    let token = String(server.url.split(separator: "=").last ?? "")
    let base = server.url.components(separatedBy: "/?").first ?? ""
    // Start a run through the API, then follow its events with curl.
    let start = try curl([
      "-s", "-H", "Authorization: Bearer \(token)", "-d", #"{"runbook":"g.md","operator":"t"}"#,
      base + "/api/runs",
    ])
    let key = try #require(start.firstMatch(of: /"key":"([^"]+)"/)?.1)
    let follower = Process()
    follower.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    follower.arguments = ["-s", "-N", "-H", "Authorization: Bearer \(token)", base + "/runs/\(key)/events"]
    follower.standardOutput = FileHandle.nullDevice
    try follower.run()
    defer { if follower.isRunning { follower.terminate() } }
    Thread.sleep(forTimeInterval: 1)
    let stopped = Date()
    server.terminate()
    #expect(server.waitForExit(seconds: 10), "the server did not stop with an event stream open")
    #expect(Date().timeIntervalSince(stopped) < 10)
  }

  @Test(
    "behind a proxy the operator comes from --operator-header; API errors are JSON with the CLI's exit status"
  )
  func operatorHeaderAndErrors() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
    let work = Paths.temporaryDirectory("runbook-serve-api")
    defer { try? FileManager.default.removeItem(at: work) }
    try "# G\n\n## S\n\n1. One.\n".write(
      to: work.appendingPathComponent("g.md"), atomically: true, encoding: .utf8)
    let server = try ServeProcess(
      directory: work, arguments: ["g.md", "--operator-header", "X-Forwarded-User"])
    defer { server.stop() }
    let token = String(server.url.split(separator: "=").last ?? "")
    let base = server.url.components(separatedBy: "/?").first ?? ""
    let auth = ["-H", "Authorization: Bearer \(token)"]
    let started = try curl(
      ["-s"] + auth + [
        "-H", "X-Forwarded-User: pat@example.com", "-d", #"{"runbook":"g.md"}"#, base + "/api/runs",
      ])
    #expect(started.contains(#""driver":"pat@example.com""#), "\(started)")
    let key = try #require(started.firstMatch(of: /"key":"([^"]+)"/)?.1)
    // Without the header, nobody is named: refused, with the usage exit status.
    let anonymous = try curl(
      ["-s", "-w", " %{http_code}"] + auth + ["-d", "{}", base + "/api/runs/\(key)/answer"])
    #expect(anonymous.hasSuffix(" 400") && anonymous.contains(#""exitStatus":2"#), "\(anonymous)")
    // Another operator answering the run pat drives: in use, exit status 5.
    let other = try curl(
      ["-s", "-w", " %{http_code}"] + auth + [
        "-H", "X-Forwarded-User: sam", "-d", #"{"answer":"done"}"#, base + "/api/runs/\(key)/answer",
      ])
    #expect(other.hasSuffix(" 409") && other.contains(#""exitStatus":5"#), "\(other)")
    let missing = try curl(["-s", "-w", " %{http_code}"] + auth + [base + "/api/runs/bm9wZQ"])
    #expect(missing.hasSuffix(" 404") && missing.contains(#""kind":"not-found""#), "\(missing)")
  }

  private func curl(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
