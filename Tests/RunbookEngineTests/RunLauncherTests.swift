import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// The engine's front door, driven in-process with a memory store: what every front end relies on.
@Suite struct RunLauncherTests {
  let store = MemoryStore()

  func guide(_ text: String = sessionGuide) throws -> String {
    let path = Paths.temporaryDirectory("launch").appendingPathComponent("demo.md").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func launcher(_ runner: ScriptedRunner = ScriptedRunner([])) -> RunLauncher {
    RunLauncher(store: store, clock: FakeClock(), runner: runner)
  }

  func request(
    _ path: String, operator name: String = "alice@a", unattended: Bool = false, set: [String: String] = [:]
  )
    -> RunRequest
  {
    RunRequest(
      guidePath: path, operatorName: name, host: "a", pid: 1, set: set, unattended: unattended,
      environment: ["RUNBOOK_INPUT_TOKEN": "tok-123"])
  }

  @Test func anUnattendedRunGoesFromGuideToAVerifiedCompletedRun() throws {
    let path = try guide()
    let launched = try launcher().launch(request(path, unattended: true, set: ["region": "us-east-1"]))
    #expect(!launched.resuming)
    #expect(launched.run == RunID("memory:demo"))
    #expect(store.holder(of: launched.run)?.operator == "alice@a")
    #expect(try UnattendedRun(yes: true).run(launched.session) == .completed)
    launched.journal.close()
    #expect(store.holder(of: launched.run) == nil)

    let contents = try store.read(launched.run)
    #expect(contents.events.first?.type == .started && contents.events.last?.type == .completed)
    #expect(contents.events.filter { $0.type == .stepDone }.count == 4)
    #expect(!String(decoding: try store.bytes(of: launched.run), as: UTF8.self).contains("tok-123"))
    let verified = store.verify(launched.run)
    #expect(verified.ok && verified.events == contents.events.count)
  }

  @Test func aRefusedUnattendedRunWritesNothing() throws {
    let path = try guide()
    var thrown: LaunchError?
    do { _ = try launcher().launch(request(path, unattended: true)) } catch { thrown = error }
    guard case .inputsMissing(let lines)? = thrown?.kind else {
      Issue.record("expected missing inputs, got \(String(describing: thrown))")
      return
    }
    #expect(lines.count == 1 && lines[0].hasPrefix("region (Region), needed at step 1 (go/1): missing"))
    #expect(store.list().isEmpty)
  }

  @Test func aGuidedRunIsResumedByAnotherOperatorAndHeldByOneAtATime() throws {
    let path = try guide()
    let first = try launcher().launch(request(path))
    try first.session.answer(.acknowledge)
    try first.session.answer(.value("eu-west-1"))
    try first.session.answer(.done)

    var thrown: LaunchError?
    do { _ = try launcher().launch(request(path, operator: "bob@b")) } catch { thrown = error }
    guard case .store(.inUse(let holder))? = thrown?.kind else {
      Issue.record("expected in use, got \(String(describing: thrown))")
      return
    }
    #expect(holder.operator == "alice@a")

    try first.session.answer(.quit)
    first.journal.close()
    let second = try launcher().launch(request(path, operator: "bob@b"))
    #expect(second.resuming && second.resumption == Session.Resumption())
    #expect(second.before.status(of: "go/1") == .done)
    guard case .confirmRow(let step, 0, 0, _, let cells) = second.session.next() else {
      Issue.record("\(second.session.next())")
      return
    }
    #expect(step.number == "2" && cells == ["URL", "https://eu-west-1.example.com"])
    #expect(second.session.state.operators == ["alice@a", "bob@b"])
  }

  @Test func aRunOfAnotherGuideIsRefused() throws {
    let path = try guide()
    let other = try guide(sessionGuide.replacingOccurrences(of: "title: Session demo", with: "id: other"))
    let launched = try launcher().launch(request(path))
    launched.journal.close()
    var thrown: LaunchError?
    var asked = request(other)
    asked.run = launched.run
    do { _ = try launcher().launch(asked) } catch { thrown = error }
    #expect(thrown?.kind == .request)
    #expect(thrown?.description.contains("belongs to runbook demo") == true)
  }

  @Test func aGuideWithErrorsOrAnUnknownStepIsRefused() throws {
    let broken = try guide("---\ntitle: Never closed\n\n1. Do it.\n")
    #expect(throws: LaunchError.self) { try launcher().launch(request(broken)) }
    var asked = request(try guide())
    asked.from = "99"
    var thrown: LaunchError?
    do { _ = try launcher().launch(asked) } catch { thrown = error }
    #expect(thrown?.kind == .request)
  }

  /// The memory store keeps the very lines a state file holds: written out, the file store
  /// verifies them with the same chain head.
  @Test func theMemoryStoreKeepsTheLinesOfAStateFile() throws {
    let path = try guide()
    let launched = try launcher().launch(request(path, unattended: true, set: ["region": "us-east-1"]))
    _ = try UnattendedRun(yes: true).run(launched.session)
    let file = Paths.temporaryDirectory("memory").appendingPathComponent("copy.state.jsonl").path
    try Data(try store.bytes(of: launched.run)).write(to: URL(fileURLWithPath: file))
    let onDisk = FileStore().verify(RunID(file))
    #expect(onDisk.ok && onDisk.chainHead == store.verify(launched.run).chainHead)
    #expect(try FileStore().read(RunID(file)).events == launched.journal.events)
  }
}
