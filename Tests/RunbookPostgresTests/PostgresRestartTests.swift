import Foundation
import RunbookTestSupport
import Testing

/// The database stops and comes back mid-run: the run waits, says so, and finishes with every
/// event recorded once. A private cluster, so the other tests keep theirs.
@Suite(.enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.skipReason)))
struct PostgresRestartTests {
  @Test func serverRestartedMidRunTheRunFinishesCorrectly() throws {
    let cluster = try PostgresCluster.start()
    defer { try? cluster.stop(immediate: true) }
    let db = try TestDatabase(cluster: cluster)
    let guide = """
      ---
      title: Restart
      id: restart
      ---

      1. A long check, during which the database goes away:

         ```sh {check}
         sleep 2 && echo slow check passed
         ```

      2. After it:

         ```sh {check}
         echo second check passed
         ```
      """
    let dir = try Guides.folder(guide)
    let driver = try BackgroundRunbook(
      ["run", "guide.md", "--store", db.url, "--yes", "--non-interactive"], directory: dir)
    // Wait until the run is inside the long check, then stop the server for longer than the
    // check lasts: its outcome has to wait for the database.
    let deadline = Date().addingTimeInterval(20)
    while (try? db.sql("SELECT count(*) FROM runbook_events")) != "3", Date() < deadline { usleep(50_000) }
    try cluster.stop()
    Thread.sleep(forTimeInterval: 3.5)
    try cluster.startAgain()
    let result = driver.finish()
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("slow check passed"))
    #expect(result.stdout.contains("Completed: Restart."))
    let notices = result.stderr.split(separator: "\n")
    #expect(
      notices.contains { $0.hasPrefix("runbook: the database at 127.0.0.1:\(cluster.port) is unreachable") })
    #expect(notices.contains { $0.hasPrefix("runbook: the database at 127.0.0.1:\(cluster.port) is back") })
    try db.expectWholeRuns()
    // started, step-started, check-started, check, step-done (twice), completed; the slow
    // check's outcome recorded once.
    #expect(try db.sql("SELECT count(*) FROM runbook_events") == "10")
    let checks = try db.sql(
      "SELECT count(*) FROM runbook_events WHERE convert_from(line, 'UTF8') LIKE '%\"type\":\"check\"%slow check passed%' OR convert_from(line, 'UTF8') LIKE '%slow check passed%\"type\":\"check\"%'"
    )
    #expect(checks == "1")
    let id = try #require(Guides.runID(result.stdout))
    let verify = try RunbookProcess.run(["verify", id, "--store", db.url], directory: dir)
    #expect(verify.stdout.contains("ok, 10 events"), "\(verify.stdout)")
  }
}
