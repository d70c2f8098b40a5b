import Foundation
import RunbookCore
import RunbookEngine
import Testing

let walkGuide = """
  ---
  title: Walk
  inputs:
    rollback: {label: Did the upgrade fail?, type: yes-no}
  ---
  Read this first.

  ## Prerequisites

  - An account.

  ## Install

  <Tabs groupId="platform">
  <TabItem value="docker" label="Docker">

  1. Run docker.

  </TabItem>
  <TabItem value="k8s" label="Kubernetes">

  1. Run helm.

  </TabItem>
  </Tabs>

  ## Notes

  Just text.

  <!-- if: rollback = yes -->
  ## Roll back

  1. Restore.
  """

/// A session walks the whole guide: reading pages, preconditions where they are written,
/// a choice before its alternatives, and what a condition rules out.
@Suite struct WalkSessionTests {
  func session(log: MemoryJournal? = nil) -> (Session, MemoryJournal) {
    let runbook = RunbookCompiler().compile(walkGuide, file: "walk.mdx")
    let log = log ?? MemoryJournal(header: header(for: runbook))
    return (
      Session(
        runbook: runbook, log: log, operator: "alice@a", clock: FakeClock(), runner: ScriptedRunner([])), log
    )
  }

  func pageID(_ prompt: Prompt) -> String? {
    if case .readPage(let unit) = prompt { unit.page?.id } else { nil }
  }

  @Test func pagesStepsAndChoicesComeInDocumentOrder() throws {
    let (s, log) = session()
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    #expect(pageID(s.next()) == Page.introID)
    try s.answer(.acknowledge)
    guard case .precondition(let note, 0, 1) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(note.kind == "prerequisite" && note.text == "An account.")
    try s.answer(.acknowledge)
    // The choice is asked before the first alternative's step is shown.
    guard case .input(let choice, let step?, nil) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(choice.id == "platform" && choice.kind == .choice && choice.choices == ["docker", "k8s"])
    #expect(step.id == "install/docker/1")
    try s.answer(.value("docker"))
    guard case .finishStep(let docker) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(docker.id == "install/docker/1")
    try s.answer(.done)
    // The Kubernetes step does not apply: the run goes on to the next page.
    #expect(pageID(s.next()) == "notes")
    #expect(s.state.status(of: "install/kubernetes/1") == .skipped)
    #expect(s.state.steps["install/kubernetes/1"]?.reason == "not applicable: platform is docker")
    try s.answer(.acknowledge)
    guard case .input(let rollback, _, _) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(rollback.id == "rollback")
    try s.answer(.value("no"))
    #expect(s.state.completed != nil)
    #expect(s.state.steps["roll-back/1"]?.reason == "not applicable: rollback is no")
    #expect(s.state.pagesRead == [Page.introID, "prerequisites", "notes"])
    #expect(
      log.events.filter { $0.type == .pageRead }.map(\.page) == [Page.introID, "prerequisites", "notes"])
  }

  @Test func backReturnsToAPageAndAPageIsReadOnce() throws {
    let (s, log) = session()
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    s.provided = ["platform": "k8s"]
    try s.answer(.acknowledge)
    try s.answer(.acknowledge)
    try s.applyProvided()
    guard case .finishStep(let step) = s.next() else {
      Issue.record("\(s.next())")
      return
    }
    #expect(step.id == "install/kubernetes/1")
    try s.answer(.back)
    // Back skips the Docker step (ruled out) and lands on the prerequisites page.
    #expect(s.currentUnit?.page?.id == "prerequisites")
    #expect(s.currentStep == nil)
    try s.answer(.acknowledge)
    #expect(s.currentStep?.id == "install/kubernetes/1")
    try s.answer(.note("checked twice"))
    #expect(log.events.last?.step == "install/kubernetes/1")
  }

  @Test func aJournalWrittenBeforePagesShowsThemWhenResumed() throws {
    let runbook = RunbookCompiler().compile(walkGuide, file: "walk.mdx")
    let at = Date(timeIntervalSince1970: 1_800_000_000)
    // The events of a run that finished the Docker step before reading pages were recorded.
    let old = MemoryJournal(
      header: header(for: runbook),
      events: [
        Event(type: .started, at: at, operator: "bob@b", host: "b", pid: 1),
        Event(type: .preconditionAcknowledged, at: at, operator: "bob@b", index: 0),
        Event(type: .input, at: at, operator: "bob@b", input: "platform", value: "docker"),
        Event(type: .stepDone, at: at, operator: "bob@b", step: "install/docker/1"),
        Event(type: .paused, at: at, operator: "bob@b"),
      ])
    let (s, _) = session(log: old)
    try s.begin(host: "a", pid: 2, sha256: "sha-1")
    #expect(pageID(s.next()) == Page.introID)
    try s.answer(.acknowledge)
    // The prerequisites page was never recorded as read, but its precondition was acknowledged:
    // the page is shown and read, then the run goes on after the finished step.
    #expect(pageID(s.next()) == "prerequisites")
    try s.answer(.acknowledge)
    #expect(pageID(s.next()) == "notes")
  }
}

/// A step with sub-steps is finished after them: `done` at the parent goes on to its first open
/// sub-step without recording anything, the last sub-step leads back to the parent, and `back`
/// and a resume find the parent waiting.
@Suite struct ParentAfterChildrenTests {
  static let guide = """
    ---
    title: Parents
    ---
    ## Go

    1. Prepare the host.

       1. Open a shell.
       2. Become root.

    2. Install.
    """

  func stepID(_ prompt: Prompt) -> String? {
    if case .finishStep(let step) = prompt { step.id } else { nil }
  }

  @Test func aParentIsFinishedAfterItsSubSteps() throws {
    let runbook = RunbookCompiler().compile(Self.guide, file: "p.md")
    let log = MemoryJournal(header: header(for: runbook))
    let s = Session(
      runbook: runbook, log: log, operator: "alice@a", clock: FakeClock(), runner: ScriptedRunner([]))
    try s.begin(host: "a", pid: 1, sha256: "sha-1")
    #expect(stepID(s.next()) == "go/1")
    #expect(s.firstOpenSubStep(of: runbook.allSteps[0]) != nil)
    try s.answer(.done)
    #expect(!log.events.contains { $0.type == .stepDone })
    #expect(stepID(s.next()) == "go/1.1")
    // Back from the first sub-step: the parent, still waiting for its sub-steps.
    try s.answer(.back)
    #expect(stepID(s.next()) == "go/1")
    try s.answer(.done)
    try s.answer(.done)
    #expect(stepID(s.next()) == "go/1.2")
    // A resume in the middle finds the parent waiting, and goes on to the open sub-step.
    let resumed = Session(
      runbook: runbook, log: log, operator: "bob@b", clock: FakeClock(), runner: ScriptedRunner([]))
    try resumed.begin(host: "b", pid: 2, sha256: "sha-1")
    #expect(stepID(resumed.next()) == "go/1")
    try resumed.answer(.done)
    #expect(stepID(resumed.next()) == "go/1.2")
    try resumed.answer(.done)
    #expect(stepID(resumed.next()) == "go/1")
    #expect(resumed.firstOpenSubStep(of: runbook.allSteps[0]) == nil)
    try resumed.answer(.done)
    #expect(stepID(resumed.next()) == "go/2")
    #expect(log.events.filter { $0.type == .stepDone }.compactMap(\.step) == ["go/1.1", "go/1.2", "go/1"])
  }
}
