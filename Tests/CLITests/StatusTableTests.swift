import Foundation
import RunbookTestSupport
import Testing

/// `runbook status` over folders and several state files: one line per run, most recent first,
/// with filters and JSON; one state file keeps its detailed text.
@Suite struct StatusTableTests {
  func guide(_ id: String, steps: Int) -> String {
    "---\ntitle: Guide \(id)\nid: \(id)\n---\n\n"
      + (1...steps).map { "\($0). Do \($0)." }.joined(separator: "\n") + "\n"
  }

  @Test func foldersListOneLinePerRunMostRecentFirst() throws {
    let dir = Paths.temporaryDirectory("status-table")
    try guide("alpha", steps: 2).write(
      to: dir.appendingPathComponent("alpha.md"), atomically: true, encoding: .utf8)
    try guide("beta", steps: 3).write(
      to: dir.appendingPathComponent("beta.md"), atomically: true, encoding: .utf8)
    let alpha = try RunbookProcess.run(
      ["run", "alpha.md", "--yes", "--non-interactive", "--operator", "alice@laptop"], directory: dir)
    #expect(alpha.status == 0, "\(alpha.stderr)")
    usleep(20_000)
    // Beta stops at its first manual step: partial.
    let beta = try RunbookProcess.run(
      ["run", "beta.md", "--non-interactive", "--operator", "bob@desk"], directory: dir)
    #expect(beta.status == 4, "\(beta.stderr)")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("more/.runbook"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: dir.appendingPathComponent(".runbook/alpha.state.jsonl"),
      to: dir.appendingPathComponent("more/.runbook/copy.state.jsonl"))

    let table = try RunbookProcess.run(["status", ".runbook", "more"], directory: dir)
    #expect(table.status == 0, "\(table.stderr)")
    let lines = table.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[0].hasPrefix("LAST ACTIVITY"))
    #expect(lines[1].contains("beta") && lines[1].contains("partial") && lines[1].contains("0/3 (0%)"))
    #expect(lines[1].contains("bob@desk") && lines[1].hasSuffix(".runbook/beta.state.jsonl"))
    #expect(lines[2...].allSatisfy { !$0.contains("beta") })
    #expect(
      lines[2...].allSatisfy { $0.contains("alpha") && $0.contains("completed") && $0.contains("2/2 (100%)") }
    )

    let json = try RunbookProcess.run(
      ["status", ".runbook", "--json", "--operator", "alice"], directory: dir)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 1)
    #expect(runs.first?["runbookId"] as? String == "alpha")
    #expect((runs.first?["progress"] as? [String: Any])?["percent"] as? Int == 100)

    let partial = try RunbookProcess.run(["status", "--outcome", "partial"], directory: dir)
    #expect(partial.stdout.split(separator: "\n").count == 2)
    #expect(partial.stdout.contains("beta"))
    let future = try RunbookProcess.run(["status", "--since", "2999-01-01"], directory: dir)
    #expect(future.stdout == "No runs match.\n")
    let bad = try RunbookProcess.run(["status", "--since", "yesterday"], directory: dir)
    #expect(bad.status == 2)

    // Several state files: the table; one: today's detail.
    let two = try RunbookProcess.run(
      ["status", ".runbook/alpha.state.jsonl", ".runbook/beta.state.jsonl"], directory: dir)
    #expect(two.stdout.split(separator: "\n").count == 3)
    let one = try RunbookProcess.run(["status", ".runbook/beta.state.jsonl"], directory: dir)
    #expect(one.stdout.contains("outcome:   partial"))
  }
}
