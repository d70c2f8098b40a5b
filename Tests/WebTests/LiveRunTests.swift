import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

@testable import RunbookWeb

/// The server's driving of a run, without HTTP: each run on its own queue, answers checked
/// against the prompt the operator saw, events delivered to watchers as they are appended.
@Suite struct LiveRunTests {
  struct NoCommands: ProcessRunner {
    func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
      ProcessResult(status: 0)
    }
  }

  func guide() throws -> String {
    let folder = Paths.temporaryDirectory("runbook-web")
    let path = folder.appendingPathComponent("g.md").path
    try """
    ---
    id: g
    inputs:
      region: {label: Region, pattern: '[a-z]+-[a-z]+-\\d', message: Like eu-west-1}
    ---
    # G

    ## S

    1. Use `<region>`.

       | k | v |
       | - | - |
       | r | `<region>` |

    2. Finish.
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func hub(_ store: MemoryStore) -> RunHub {
    RunHub(store: store, clock: SystemClock(), runner: NoCommands(), writesReports: false)
  }

  @Test("answers go through the session, refused values come back, and a stale answer changes nothing")
  func drive() async throws {
    let store = MemoryStore()
    let hub = hub(store)
    let alice = WebOperator(name: "alice", browser: "b1")
    let live = try await hub.drive(
      RunRequest(guidePath: try guide(), operatorName: "alice", host: "h", pid: 1), driver: alice,
      takeOver: false)
    #expect(live.snapshot.map { PromptKey.of($0.prompt) } == "input:region")
    #expect(
      await live.perform(.values(["region": "nowhere"]), expected: "input:region")
        == .answered("Like eu-west-1"))
    #expect(await live.perform(.values(["region": "eu-west-1"]), expected: "input:region") == .answered(nil))
    #expect(live.snapshot?.values["region"] == "eu-west-1")
    // A second click on the form the page showed before: nothing happens.
    #expect(await live.perform(.values(["region": "us-east-2"]), expected: "input:region") == .stale)
    #expect(await live.perform(.confirmRows(["0:0"]), expected: "rows:s/1:0") == .answered(nil))
    #expect(await live.perform(.done, expected: "finish:s/1") == .answered(nil))
    #expect(await live.perform(.done, expected: "finish:s/1") == .stale)
    #expect(await live.perform(.done, expected: "finish:s/2") == .released("The run is complete."))
    let events = try store.read(live.run).events.map(\.type)
    #expect(events.filter { $0 == .stepDone }.count == 2)
    #expect(events.last == .completed)
    #expect(store.holder(of: live.run) == nil, "the lock is released at the end")
  }

  @Test("a changed answer is recorded and reopens the steps that used it")
  func changeAnAnswer() async throws {
    let store = MemoryStore()
    let hub = hub(store)
    let live = try await hub.drive(
      RunRequest(guidePath: try guide(), operatorName: "alice", host: "h", pid: 1),
      driver: WebOperator(name: "alice", browser: "b1"), takeOver: false)
    _ = await live.perform(.values(["region": "eu-west-1"]), expected: nil)
    _ = await live.perform(.confirmRows(["0:0"]), expected: nil)
    #expect(await live.perform(.done, expected: "finish:s/1") == .answered(nil))
    #expect(live.snapshot.map { PromptKey.of($0.prompt) } == "finish:s/2")
    #expect(
      await live.perform(.change(input: "region", value: "nowhere"), expected: nil)
        == .answered("Like eu-west-1"))
    #expect(await live.perform(.change(input: "region", value: "us-east-2"), expected: nil) == .answered(nil))
    #expect(live.snapshot?.values["region"] == "us-east-2")
    #expect(live.snapshot?.state.status(of: "s/1") == .pending, "the step that used the value opens again")
  }

  @Test("another browser cannot drive a run someone drives here unless it takes it over")
  func oneDriver() async throws {
    let store = MemoryStore()
    let hub = hub(store)
    let path = try guide()
    let alice = WebOperator(name: "alice", browser: "b1")
    let bob = WebOperator(name: "bob", browser: "b2")
    let live = try await hub.drive(
      RunRequest(guidePath: path, operatorName: "alice", host: "h", pid: 1), driver: alice, takeOver: false)
    let request = RunRequest(guidePath: path, run: live.run, operatorName: "bob", host: "h", pid: 1)
    await #expect(throws: RunHub.DriveError.self) {
      _ = try await hub.drive(request, driver: bob, takeOver: false)
    }
    let taken = try await hub.drive(request, driver: bob, takeOver: true)
    #expect(taken.driver == bob)
    #expect(live.isClosed)
    #expect(store.holder(of: live.run)?.operator == "bob")
  }

  @Test("runs of one guide started at the same moment each get their own state")
  func concurrentStarts() async throws {
    let store = MemoryStore()
    let hub = hub(store)
    let path = try guide()
    let runs = try await withThrowingTaskGroup(of: RunID.self) { group in
      for i in 0..<16 {
        group.addTask {
          let id = await Blocking.run { hub.reserveNewRun(for: "g") }
          let request = RunRequest(guidePath: path, run: id, operatorName: "o\(i)", host: "h", pid: 1)
          let driver = WebOperator(name: "o\(i)", browser: "b\(i)")
          return try await hub.drive(request, driver: driver, takeOver: false, reserved: true).run
        }
      }
      return try await group.reduce(into: [RunID]()) { $0.append($1) }
    }
    #expect(Set(runs).count == 16)
    #expect(store.list().count == 16)
  }

  @Test("watchers get each event as it is appended")
  func feed() async throws {
    let store = MemoryStore()
    let hub = hub(store)
    let live = try await hub.drive(
      RunRequest(guidePath: try guide(), operatorName: "alice", host: "h", pid: 1),
      driver: WebOperator(name: "alice", browser: "b1"), takeOver: false)
    let stream = hub.feed(for: live.run).subscribe()
    _ = await live.perform(.values(["region": "eu-west-1"]), expected: nil)
    var received: [EventType] = []
    for await item in stream {
      if case .event(let event) = item { received.append(event.type) }
      if received.contains(.input) { break }
    }
    #expect(received.contains(.input))
  }
}

/// A clock that moves only when told.
final class StepClock: WallClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_800_000_000)
  func now() -> Date { lock.withLock { current } }
  func sleep(seconds: TimeInterval) { advance(seconds) }
  func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

@Suite struct IdleRunTests {
  @Test("a run nobody uses or watches is released after the idle time, by the hub's clock")
  func idleRelease() async throws {
    let store = MemoryStore()
    let clock = StepClock()
    let hub = RunHub(
      store: store, clock: clock, runner: LiveRunTests.NoCommands(), idleTimeout: 60, writesReports: false)
    let live = try await hub.drive(
      RunRequest(guidePath: try LiveRunTests().guide(), operatorName: "alice", host: "h", pid: 1),
      driver: WebOperator(name: "alice", browser: "b1"), takeOver: false)
    clock.advance(30)
    await hub.releaseIdle()
    #expect(hub.live(live.run) != nil, "released too early")
    clock.advance(31)
    await hub.releaseIdle()
    #expect(hub.live(live.run) == nil)
    #expect(store.holder(of: live.run) == nil)
  }
}
