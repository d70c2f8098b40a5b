import Foundation
import RunbookTestSupport
import Testing

/// What `runbook run` shows of a whole guide: the unattended transcript and the guided walk
/// through reading pages, steps and alternatives, run as the built binary.
@Suite struct WalkCommandTests {
  static let guide = """
    ---
    title: Walk
    ---
    This guide installs the agent.

    ## Prerequisites

    - An account with [admin rights](https://example.com/admin).

    ## Install

    <Tabs groupId="platform">
    <TabItem value="docker" label="Docker">

    1. Run `docker compose up -d`.

    </TabItem>
    <TabItem value="k8s" label="Kubernetes">

    1. Run `helm install agent`.

    </TabItem>
    </Tabs>

    Then wait a minute.

    ## Troubleshooting

    Look at the logs.
    """

  func workspace() throws -> URL {
    let dir = Paths.temporaryDirectory("walk")
    try Self.guide.write(to: dir.appendingPathComponent("walk.md"), atomically: true, encoding: .utf8)
    return dir
  }

  @Test func unattendedRunPrintsTheWholeGuideInOrderWithOutcomes() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "walk.md", "--non-interactive", "--yes", "--set", "platform=k8s"], directory: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let out = result.stdout
    #expect(out.hasPrefix("Walk\nState: .runbook/walk.state.jsonl\nStarting a new run.\n"))
    #expect(!out.contains("Resuming"))
    let inOrder = [
      "This guide installs the agent.", "  ✓ read", "Prerequisites", "An account with admin rights.",
      "-> admin rights: https://example.com/admin", "✓ acknowledged", "Install", "Step 1 · 1 of 2",
      "Run docker compose up -d.", "↷ skipped: not applicable: platform is k8s", "Step 1 · 2 of 2",
      "Run helm install agent.", "Then wait a minute.", "  ✓ done", "Troubleshooting", "Look at the logs.",
      "Completed: Walk.",
    ]
    var cursor = out.startIndex
    for text in inOrder {
      guard let found = out.range(of: text, range: cursor..<out.endIndex) else {
        Issue.record("\"\(text)\" is missing or out of order in:\n\(out)")
        return
      }
      cursor = found.upperBound
    }
  }

  @Test func aResumedUnattendedRunSaysResumingNotStarting() throws {
    let dir = try workspace()
    // Without --yes the run stops at the precondition, after the intro page.
    let first = try RunbookProcess.run(
      ["run", "walk.md", "--non-interactive", "--set", "platform=docker"], directory: dir)
    #expect(first.status == 4)
    #expect(first.stdout.contains("Starting a new run."))
    #expect(first.stdout.contains("This guide installs the agent.\n  ✓ read"))
    let second = try RunbookProcess.run(
      ["resume", ".runbook/walk.state.jsonl", "--yes", "--set", "platform=docker"], directory: dir)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
      second.stdout.hasPrefix("Walk\nState: .runbook/walk.state.jsonl\nResuming Walk: 0 of 2 steps done."))
    #expect(!second.stdout.contains("Starting"))
    // The intro was read before: the transcript goes on from the prerequisites.
    #expect(!second.stdout.contains("This guide installs the agent."))
    #expect(second.stdout.contains("↷ skipped: not applicable: platform is docker"))
    let status = try RunbookProcess.run(["status", ".runbook/walk.state.jsonl"], directory: dir)
    #expect(status.stdout.contains("pages:     3 of 3 reading pages read"))
  }

  @Test func aGuidedRunShowsPagesAndAsksTheChoiceBeforeTheAlternative() throws {
    let dir = try workspace()
    let result = try RunbookProcess.run(
      ["run", "walk.md", "--interactive"], stdin: "\ny\ndocker\nd\n\n", directory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let out = result.stdout
    #expect(out.contains("[Enter] continue, [b]ack, [n]ote, [q]uit (save), [?] help:"))
    let choice = try #require(out.range(of: "Install: which one do you follow?"))
    let dockerStep = try #require(out.range(of: "Run docker compose up -d."))
    #expect(choice.lowerBound < dockerStep.lowerBound)
    #expect(out.contains("↷ Step 1 Run helm install agent.: not applicable: platform is docker"))
    #expect(out.contains("Look at the logs."))
  }
}
