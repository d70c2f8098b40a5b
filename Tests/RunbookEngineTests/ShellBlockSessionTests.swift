import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// Shell blocks in a session (issue 16): offered when the session offers them, run in one shell,
/// `$VARIABLES` delivered as such, pagers off, terminals refused, and what a resume lost.
@Suite struct ShellBlockSessionTests {
  static func guide(_ dir: URL) -> String {
    """
    ## Go

    1. Enter the folder:

       ```sh
       cd \(dir.path)
       export GREETING=hello
       ```

    2. Config, never offered:

       ```yaml
       greeting: hello
       ```

    3. Greet the node:

       ```sh
       echo "$GREETING $NODE pager=$PAGER git=$GIT_PAGER" > greeted.txt
       ```

    4. Attach to it:

       ```sh
       kubectl exec -ti pod-0 -- bash
       ```
    """
  }

  func session(_ runbook: Runbook, log: MemoryJournal? = nil) -> (Session, MemoryJournal) {
    let log = log ?? MemoryJournal(header: header(for: runbook))
    let session = Session(
      runbook: runbook, log: log, operator: "alice@a", clock: FakeClock(), runner: SystemProcessRunner())
    session.offersShellBlocks = true
    return (session, log)
  }

  @Test func shellBlocksRunInOneShellWithVariablesAsInputs() throws {
    let dir = Paths.temporaryDirectory("shell-session")
    let runbook = compileGuide(Self.guide(dir))
    let (session, _) = session(runbook)
    try session.begin(host: "a", pid: 1, sha256: "sha-1")
    guard case .command(let step, 0, let first) = session.next() else {
      Issue.record("\(session.next())")
      return
    }
    #expect(step.number == "1")
    #expect(first.display.contains("export GREETING=hello"))
    #expect(try session.answer(.run) == nil)
    try session.answer(.done)
    // The YAML block is shown, not offered: the step is simply finished.
    guard case .finishStep(let yamlStep) = session.next() else {
      Issue.record("\(session.next())")
      return
    }
    #expect(yamlStep.number == "2")
    try session.answer(.done)
    // $NODE is read and set by nothing: an input, asked at the step that reads it.
    guard case .input(let node, _, _) = session.next() else {
      Issue.record("\(session.next())")
      return
    }
    #expect(node.id == "node" && node.variable == "NODE")
    try session.answer(.value("worker-1"))
    #expect(try session.answer(.run) == nil)
    let greeted = try String(contentsOf: dir.appendingPathComponent("greeted.txt"), encoding: .utf8)
    #expect(greeted == "hello worker-1 pager=cat git=cat\n")
    try session.answer(.done)
    // A command that needs a terminal is refused with the reason, not left to hang.
    guard case .command(_, 0, let attach) = session.next() else {
      Issue.record("\(session.next())")
      return
    }
    #expect(attach.needsTerminal != nil)
    let refused = try session.answer(.run)
    #expect(refused?.contains("it needs a terminal") == true, "\(refused ?? "")")
  }

  @Test func aResumeNamesTheCommandsWhoseVariablesLaterOnesRead() throws {
    let dir = Paths.temporaryDirectory("shell-session")
    let runbook = compileGuide(Self.guide(dir))
    let (first, log) = session(runbook)
    try first.begin(host: "a", pid: 1, sha256: "sha-1")
    try first.answer(.run)
    try first.answer(.done)
    #expect(first.lostVariables().isEmpty)
    try first.answer(.quit)

    // A new process: the shell that held GREETING is gone.
    let (second, _) = session(runbook, log: log)
    try second.begin(host: "a", pid: 2, sha256: "sha-1")
    let lost = second.lostVariables()
    #expect(lost.count == 1)
    #expect(lost.first?.step.number == "1")
    #expect(lost.first?.names == ["GREETING"])
    #expect(try second.restore(try #require(lost.first)) == nil)
    #expect(second.lostVariables().isEmpty)
    try second.answer(.done)
    second.provided = ["node": "n2"]
    try second.answer(.run)
    let greeted = try String(contentsOf: dir.appendingPathComponent("greeted.txt"), encoding: .utf8)
    #expect(greeted.hasPrefix("hello n2"))
  }

  @Test func withoutOfferingOnlyRunBlocksAreCommands() throws {
    let dir = Paths.temporaryDirectory("shell-session")
    let runbook = compileGuide(Self.guide(dir))
    let (session, _) = session(runbook)
    session.offersShellBlocks = false
    try session.begin(host: "a", pid: 1, sha256: "sha-1")
    guard case .finishStep(let step) = session.next() else {
      Issue.record("\(session.next())")
      return
    }
    #expect(step.number == "1")
  }
}
