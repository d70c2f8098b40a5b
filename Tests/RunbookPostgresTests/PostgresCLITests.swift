import Foundation
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real `runbook` binary against a real PostgreSQL: the whole flow, many drivers at once,
/// killed clients, two resumes at once.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.skipReason)))
struct PostgresCLITests {
  static let demo = """
    ---
    title: Demo
    id: demo
    inputs:
      region: {label: Region, example: us-east-1}
      token: {label: Token, secret: true}
    ---

    ## Setup

    1. Pick the region `<region>`.
    2. Check it:

       ```sh {check}
       test -n "$RUNBOOK_INPUT_TOKEN" && echo token ok for <region>
       ```

    3. Tell the team.
    """

  @Test func wholeFlowRunStatusResumeReportVerify() throws {
    let db = try TestDatabase()
    let dir = try Guides.folder(Self.demo, name: "demo.md")
    // The password in the URL (the server trusts local users, so any will do) is never shown.
    let url = db.url.replacingOccurrences(of: "postgres@", with: "postgres:Hunter2pw@")
    let run = try RunbookProcess.run(
      [
        "run", "demo.md", "--store", url, "--set", "region=eu-west-1", "--operator", "alice",
        "--non-interactive",
      ],
      environment: ["RUNBOOK_INPUT_TOKEN": "tok-123"], directory: dir)
    // Step 1 and 3 are manual: without --yes the run stops at the first one.
    #expect(run.status == 4, "\(run.stdout)\(run.stderr)")
    let id = try #require(Guides.runID(run.stdout), "\(run.stdout)")
    #expect(id.hasPrefix("demo-"))
    #expect(run.stderr.contains("runbook resume \(id) --store postgres://postgres@127.0.0.1:"))
    #expect(!(run.stdout + run.stderr).contains("Hunter2pw"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".runbook").path))

    // The team view lists it, in progress by nobody, partial.
    let table = try RunbookProcess.run(["status", "--store", db.url], directory: dir)
    #expect(table.status == 0, "\(table.stderr)")
    let lines = table.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines.first?.hasPrefix("LAST ACTIVITY") == true)
    #expect(lines.last?.contains("demo") == true && lines.last?.contains("partial") == true)
    #expect(lines.last?.contains("0/3 (0%)") == true && lines.last?.contains(id) == true)

    // Resumed by someone else, from another folder, through RUNBOOK_STORE.
    let elsewhere = Paths.temporaryDirectory("pg-elsewhere")
    let resume = try RunbookProcess.run(
      ["resume", id, "--runbook", dir.appendingPathComponent("demo.md").path, "--yes", "--operator", "bob"],
      environment: ["RUNBOOK_STORE": db.url, "RUNBOOK_INPUT_TOKEN": "tok-123"], directory: elsewhere)
    #expect(resume.status == 0, "\(resume.stdout)\(resume.stderr)")
    #expect(resume.stdout.contains("token ok for eu-west-1"))
    #expect(resume.stdout.contains("Completed: Demo."))
    #expect(resume.stdout.contains("Report: runbook report \(id)"))

    let detail = try RunbookProcess.run(["status", id, "--store", db.url], directory: dir)
    #expect(detail.status == 0, "\(detail.stderr)")
    #expect(detail.stdout.contains("outcome:   completed"))
    #expect(detail.stdout.contains("operators: alice, bob"))
    #expect(detail.stdout.contains("token = provided (secret)"))

    let report = try RunbookProcess.run(
      ["report", id, "--store", db.url, "--format", "json"], directory: dir)
    #expect(report.status == 0, "\(report.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
    #expect(json["outcome"] as? String == "completed")

    let verify = try RunbookProcess.run(["verify", id, "--store", db.url], directory: dir)
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("\(id): ok, "))
    #expect(
      try db.sql("SELECT count(*) FROM runbook_events WHERE convert_from(line, 'UTF8') LIKE '%tok-123%'")
        == "0")
    try db.expectWholeRuns()

    // Filters and JSON.
    let filtered = try RunbookProcess.run(
      [
        "status", "--store", db.url, "--json", "--operator", "bob", "--outcome", "completed", "--since", "1d",
      ],
      directory: dir)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 1)
    #expect(runs.first?["run"] as? String == id)
    #expect(runs.first?["inProgress"] as? Bool == false)
    let none = try RunbookProcess.run(["status", "--store", db.url, "--outcome", "failed"], directory: dir)
    #expect(none.stdout == "No runs match.\n")
  }

  @Test func importAndExportThroughTheCommandLine() throws {
    let db = try TestDatabase()
    let dir = try Guides.folder(Self.demo, name: "demo.md")
    let run = try RunbookProcess.run(
      ["run", "demo.md", "--set", "region=eu-west-1", "--yes", "--non-interactive"],
      environment: ["RUNBOOK_INPUT_TOKEN": "t"], directory: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let file = dir.appendingPathComponent(".runbook/demo.state.jsonl")
    let imported = try RunbookProcess.run(
      ["store", "import", ".runbook/demo.state.jsonl", "--store", db.url], directory: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.hasPrefix(".runbook/demo.state.jsonl: imported as demo-"))
    let id = try #require(imported.stdout.split(separator: " ").dropFirst(3).first.map(String.init))
    let again = try RunbookProcess.run(
      ["store", "import", ".runbook/demo.state.jsonl", "--store", db.url], directory: dir)
    #expect(again.status == 2)
    #expect(again.stderr.contains("is already in") && again.stderr.contains(id))

    let exported = try RunbookProcess.run(
      ["store", "export", id, "-o", "back.state.jsonl", "--store", db.url], directory: dir)
    #expect(exported.status == 0, "\(exported.stderr)")
    let back = dir.appendingPathComponent("back.state.jsonl")
    #expect(try Data(contentsOf: back) == Data(contentsOf: file))
    let mode = try FileManager.default.attributesOfItem(atPath: back.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let verifyBoth = [
      try RunbookProcess.run(["verify", "back.state.jsonl"], directory: dir),
      try RunbookProcess.run(["verify", id, "--store", db.url], directory: dir),
    ]
    #expect(verifyBoth.allSatisfy { $0.status == 0 })
    #expect(
      verifyBoth[0].stdout.split(separator: " ").last == verifyBoth[1].stdout.split(separator: " ").last)
    let overwrite = try RunbookProcess.run(
      ["store", "export", id, "-o", "back.state.jsonl", "--store", db.url], directory: dir)
    #expect(overwrite.status == 2)
    #expect(overwrite.stderr.contains("already exists"))
    let toFolder = try RunbookProcess.run(["store", "import", ".runbook/demo.state.jsonl"], directory: dir)
    #expect(toFolder.status == 2)
    #expect(toFolder.stderr.contains("runbook store works with a database"))
  }

  @Test func unreachableDatabaseIsOneLineNamingTheHostNotThePassword() throws {
    let dir = try Guides.folder(Self.demo, name: "demo.md")
    for arguments in [
      ["status", "--store", "postgres://bob:Sekr1tpw@127.0.0.1:1/team"],
      ["run", "demo.md", "--store", "postgres://bob:Sekr1tpw@127.0.0.1:1/team", "--yes"],
    ] {
      let result = try RunbookProcess.run(arguments, directory: dir)
      #expect(result.status == 2)
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.contains("cannot reach the database at 127.0.0.1:1"), "\(result.stderr)")
      #expect(!(result.stderr + result.stdout).contains("Sekr1tpw"))
    }
  }

  @Test func passwordFromTheURLPGPASSWORDOrPgpassAndNeverShown() throws {
    let cluster = try #require(PostgresCluster.shared)
    let user = "pw_\(UUID().uuidString.prefix(6).lowercased())"
    let password = "Pw-s3cret-\(user)"
    try cluster.addPasswordUser(user, password: password)
    let database = try cluster.createDatabase("pw", owner: user)
    let url = "postgres://\(user)@127.0.0.1:\(cluster.port)/\(database)"
    let dir = Paths.temporaryDirectory("pg-password")
    let passfile = dir.appendingPathComponent("pgpass").path
    try "127.0.0.1:\(cluster.port):\(database):\(user):\(password)\n".write(
      toFile: passfile, atomically: true, encoding: .utf8)
    chmod(passfile, 0o600)
    let none = ["PGPASSFILE": dir.appendingPathComponent("none").path]
    let ways: [(String, [String: String])] = [
      (url.replacingOccurrences(of: "\(user)@", with: "\(user):\(password)@"), none),
      (url, none.merging(["PGPASSWORD": password]) { $1 }),
      (url, ["PGPASSFILE": passfile]),
    ]
    for (store, environment) in ways {
      let result = try RunbookProcess.run(
        ["status", "--store", store], environment: environment, directory: dir)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout == "No runs found.\n")
    }
    let wrong = try RunbookProcess.run(
      ["status", "--store", url], environment: none.merging(["PGPASSWORD": "not-\(password)"]) { $1 },
      directory: dir)
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("refused user \(user) with PGPASSWORD"), "\(wrong.stderr)")
    #expect(!wrong.stderr.contains(password))
    let missing = try RunbookProcess.run(["status", "--store", url], environment: none, directory: dir)
    #expect(missing.status == 2)
    #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
    #expect(!missing.stderr.contains(password))
  }

  @Test func thirtyTwoDriversAtOnceLoseAndDuplicateNothing() throws {
    let db = try TestDatabase()
    let dir = try Guides.folder(Guides.checks(12))
    let drivers = try (0..<32).map { n in
      try BackgroundRunbook(
        ["run", "guide.md", "--store", db.url, "--yes", "--non-interactive", "--operator", "op\(n)"],
        directory: dir)
    }
    let results = drivers.map { $0.finish() }
    var ids: Set<String> = []
    for result in results {
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      if let id = Guides.runID(result.stdout) { ids.insert(id) }
    }
    #expect(ids.count == 32)
    // started, then step-started, check-started, check and step-done for each of 12 steps, then
    // completed: the same as the same run in a state file.
    let alone = try RunbookProcess.run(
      ["run", "guide.md", "--store", "file:alone", "--yes", "--non-interactive"], directory: dir)
    #expect(alone.status == 0)
    let inFile = try RunbookProcess.run(["verify", "alone/many.state.jsonl"], directory: dir)
    #expect(inFile.stdout.contains("ok, 50 events"), "\(inFile.stdout)")
    #expect(
      try db.sql("SELECT count(DISTINCT run_id) || ' ' || count(*) FROM runbook_events") == "32 \(32 * 50)")
    #expect(try db.sql("SELECT DISTINCT event_count FROM runbook_runs") == "50")
    try db.expectWholeRuns()
    for id in ids.prefix(4) {
      let verify = try RunbookProcess.run(["verify", id, "--store", db.url], directory: dir)
      #expect(verify.stdout.contains("ok, 50 events"), "\(verify.stdout)")
    }
    let status = try RunbookProcess.run(
      ["status", "--store", db.url, "--outcome", "completed", "--json"], directory: dir)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 32)
  }

  @Test func killedClientsAreResumedAtOnceFromAnotherFolder() throws {
    let db = try TestDatabase()
    let dir = try Guides.folder(Guides.checks(80, check: "sleep 0.03"))
    let drivers = try (0..<6).map { n in
      try BackgroundRunbook(
        ["run", "guide.md", "--store", db.url, "--yes", "--non-interactive", "--operator", "op\(n)"],
        directory: dir)
    }
    // Each killed at a different point while it appends (every step appends three events).
    for (n, driver) in drivers.enumerated() {
      let deadline = Date().addingTimeInterval(60)
      var id: String?
      while id == nil, Date() < deadline {
        id = Guides.runID(driver.stdout)
        usleep(10_000)
      }
      let target = 5 + 20 * n
      while let id, Date() < deadline,
        Int((try? db.sql("SELECT event_count FROM runbook_runs WHERE run_id = '\(id)'")) ?? "") ?? 0 < target
      {
        usleep(5_000)
      }
      driver.kill9()
    }
    var ids: [String] = []
    for driver in drivers {
      let result = driver.finish()
      #expect(result.status == SIGKILL, "finished before it was killed: \(result.stdout)")
      ids.append(try #require(Guides.runID(result.stdout), "no run id in \(result.stdout)"))
    }
    try db.expectWholeRuns()
    // At once, by someone else, from another folder: no lock is left behind.
    let elsewhere = Paths.temporaryDirectory("pg-other")
    let guide = dir.appendingPathComponent("guide.md").path
    let resumes = try ids.map { id in
      try BackgroundRunbook(
        [
          "resume", id, "--store", db.url, "--runbook", guide, "--yes", "--non-interactive", "--operator",
          "support",
        ],
        directory: elsewhere)
    }
    for (id, resume) in zip(ids, resumes) {
      let resumed = resume.finish()
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      let verify = try RunbookProcess.run(["verify", id, "--store", db.url], directory: elsewhere)
      #expect(verify.status == 0, "\(verify.stdout)")
    }
    try db.expectWholeRuns()
    let done = try db.sql("SELECT count(*) FROM runbook_runs WHERE outcome = 'completed'")
    #expect(done == "6")
  }

  @Test func twoResumesOfOneRunAtOnceOneIsRefused() throws {
    let db = try TestDatabase()
    let guide = """
      ---
      title: Slow
      id: slow
      ---

      1. Confirm you are ready.
      2. Wait for it:

         ```sh {check}
         sleep 3
         ```
      """
    let dir = try Guides.folder(guide)
    let first = try RunbookProcess.run(
      ["run", "guide.md", "--store", db.url, "--non-interactive", "--operator", "alice"], directory: dir)
    #expect(first.status == 4, "\(first.stderr)")
    let id = try #require(Guides.runID(first.stdout))
    let both = try (0..<2).map { n in
      try BackgroundRunbook(
        ["resume", id, "--store", db.url, "--yes", "--non-interactive", "--operator", "op\(n)"],
        directory: dir)
    }
    let results = both.map { $0.finish() }.sorted { $0.status < $1.status }
    #expect(results.map(\.status) == [0, 5], "\(results.map { $0.stdout + $0.stderr })")
    #expect(results[1].stderr.contains("run \(id) is in use by op"), "\(results[1].stderr)")
    #expect(results[1].stderr.contains("(pid "))
    try db.expectWholeRuns()
  }
}
