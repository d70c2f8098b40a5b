import Foundation
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A database of its own in the shared scratch cluster, and the guides the tests run.
struct TestDatabase {
  let cluster: PostgresCluster
  let name: String

  init(cluster: PostgresCluster? = PostgresCluster.shared) throws {
    self.cluster = try #require(cluster, "the scratch PostgreSQL cluster did not start (see the log above)")
    name = try self.cluster.createDatabase()
  }

  var url: String { cluster.url(name) }

  /// psql's unaligned output for `sql` in this database.
  func sql(_ sql: String) throws -> String {
    try cluster.psql(sql, database: name).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Checks every run's events the way `verify` cannot see from one run: per run, sequence
  /// numbers 1…N without a gap, and no line stored twice.
  func expectWholeRuns(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let gaps = try sql(
      "SELECT count(*) FROM (SELECT run_id FROM runbook_events GROUP BY run_id HAVING count(*) <> max(seq)) g"
    )
    #expect(gaps == "0", "runs with a gap in their sequence numbers", sourceLocation: sourceLocation)
    let twice = try sql(
      "SELECT count(*) FROM (SELECT run_id, line FROM runbook_events GROUP BY 1, 2 HAVING count(*) > 1) d")
    #expect(twice == "0", "lines stored twice", sourceLocation: sourceLocation)
    let behind = try sql(
      "SELECT count(*) FROM runbook_runs r WHERE event_count <> (SELECT count(*) FROM runbook_events e WHERE e.run_id = r.run_id)"
    )
    #expect(
      behind == "0", "runs whose event_count disagrees with their events", sourceLocation: sourceLocation)
  }
}

/// A `runbook` process started in the background, its output in files.
final class BackgroundRunbook {
  let process = Process()
  private let out: URL
  private let err: URL

  init(_ arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
    out = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).txt")
    err = directory.appendingPathComponent("err-\(UUID().uuidString.prefix(6)).txt")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.executableURL = RunbookProcess.executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
  }

  /// Waits for the end; the status and both outputs.
  func finish() -> RunbookProcess.Result {
    process.waitUntilExit()
    return RunbookProcess.Result(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }

  var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }

  func kill9() { kill(process.processIdentifier, SIGKILL) }
}

enum Guides {
  /// Writes `text` as `name` in a new folder; returns the folder.
  static func folder(_ text: String, name: String = "guide.md") throws -> URL {
    let dir = Paths.temporaryDirectory("pg")
    try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    return dir
  }

  /// `count` steps, each with a check that runs `check`.
  static func checks(_ count: Int, check: String = "true", id: String = "many") -> String {
    var text = "---\ntitle: Many steps\nid: \(id)\n---\n\n## Steps\n\n"
    for n in 1...count {
      // Indented to the item's text, past `10. ` too, so each check stays in its step.
      let indent = String(repeating: " ", count: "\(n). ".count)
      text += "\(n). Step \(n).\n\n\(indent)```sh {check}\n\(indent)\(check)\n\(indent)```\n\n"
    }
    return text
  }

  /// The run id a `run` printed (`Run <id> in postgres://…`).
  static func runID(_ stdout: String) -> String? {
    for line in stdout.split(separator: "\n") where line.hasPrefix("Run ") {
      return line.split(separator: " ").dropFirst().first.map(String.init)
    }
    return nil
  }
}
