import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A run killed while its command runs (issue 18): SIGINT, SIGTERM and SIGHUP stop the command's
/// whole process group, record the interruption and end with 128 + the signal; a resume after
/// any of them, or after kill -9, says the command may have run partly and does not run it again
/// unasked. Each test drives the built binary and kills what it started, whatever happens.
@Suite(.serialized) struct SignalTests {
  struct Stop: Sendable, CustomTestStringConvertible {
    var signal: Int32
    var status: Int32
    var reason: String
    var testDescription: String { "signal \(signal)" }
  }

  static let stops = [
    Stop(signal: SIGINT, status: 130, reason: "Ctrl-C"),
    Stop(signal: SIGTERM, status: 143, reason: "it was asked to stop (SIGTERM)"),
    Stop(signal: SIGHUP, status: 129, reason: "the terminal or connection went away (SIGHUP)"),
  ]

  /// A guide whose first step's command writes its process group (its shell's pid) to `group`,
  /// says so, and waits on a long sleep in the same group.
  static func longCommand(_ w: Workspace) -> String {
    w.write(
      "long.md",
      """
      ---
      id: long
      ---
      # Long

      ## S

      1. Start the job:

         ```sh {run}
         echo $$ > \(w.path)/group; echo started; sleep 300 & wait
         ```

      2. Done.

      """)
  }

  /// Starts an unattended run of the long command and waits until the command runs.
  static func startLongRun(_ w: Workspace, state: String, groups: ProcessGroups) throws -> (Spawned, pid_t) {
    let run = try Spawned(
      ["run", "--non-interactive", "--yes", "--state", state, longCommand(w)], directory: w.path)
    // The command's own output line (the transcript shows the command's text first).
    let started = Spawned.wait(seconds: 60) {
      run.stdout.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "started" }
    }
    #expect(started, "the command did not start: \(run.stderr)")
    let group = try #require(groups.read(w.path + "/group"))
    return (run, group)
  }

  @Test(arguments: stops) func aSignalStopsTheCommandsGroupAndIsRecorded(_ stop: Stop) throws {
    let w = Workspace()
    let groups = ProcessGroups()
    defer {
      groups.killAll()
      w.remove()
    }
    let state = w.path + "/long.state.jsonl"
    let (run, group) = try Self.startLongRun(w, state: state, groups: groups)
    defer { run.stop() }
    #expect(!ProcessGroups.members(group).isEmpty, "the command's group runs")

    run.signal(stop.signal)
    #expect(run.exitStatus(within: 20) == stop.status, "\(run.stderr)")
    #expect(
      run.stdout.contains(
        "Interrupted (\(stop.reason)); everything answered so far is saved. To continue: runbook resume \(state)"
      ),
      "\(run.stdout)")
    // The shell and the sleep it started are gone, not only the shell.
    #expect(
      Spawned.wait(seconds: 10) { ProcessGroups.members(group).isEmpty },
      "left running: \(ProcessGroups.members(group))")

    let events = try journalEvents(state)
    let types = events.suffix(3).map(\.type)
    #expect(types == [.commandStarted, .command, .interrupted])
    #expect(events.last(where: { $0.type == .command })?.interrupted == true)
    #expect(events.last?.reason == stop.reason)

    // Resuming unattended stops before the command and says why; the command is not run again.
    try FileManager.default.removeItem(atPath: w.path + "/group")
    let resume = try CLI.run(["resume", "--non-interactive", "--yes", state], timeout: 60)
    #expect(resume.status == 4, "\(resume.stderr)")
    #expect(
      resume.stderr.hasPrefix(
        "runbook: stopped at step s/1: This command was stopped before it finished at "),
      "\(resume.stderr)")
    #expect(resume.stderr.contains(": it may have run partly. Check it first; continue interactively: "))
    #expect(!FileManager.default.fileExists(atPath: w.path + "/group"), "the command ran again")
  }

  @Test func aGuidedResumeWarnsBeforeOfferingTheCommandAgain() throws {
    let w = Workspace()
    let groups = ProcessGroups()
    defer {
      groups.killAll()
      w.remove()
    }
    let state = w.path + "/long.state.jsonl"
    let (run, _) = try Self.startLongRun(w, state: state, groups: groups)
    defer { run.stop() }
    run.signal(SIGHUP)
    #expect(run.exitStatus(within: 20) == 129)

    let resume = try Spawned(["resume", "--interactive", state], directory: w.path, stdin: true)
    defer { resume.stop() }
    resume.send("q\n")
    #expect(resume.exitStatus(within: 60) == 4, "\(resume.stderr)")
    let out = resume.stdout
    let warning = try #require(out.range(of: "! This command was stopped before it finished at "), "\(out)")
    let question = try #require(out.range(of: "Run it? [r]un"), "\(out)")
    #expect(warning.upperBound < question.lowerBound)
    #expect(out.contains(": it may have run partly. Check before running it again."))
  }

  @Test func afterKill9TheResumeWarnsThatTheCommandMayStillRun() throws {
    let w = Workspace()
    let groups = ProcessGroups()
    defer {
      groups.killAll()
      w.remove()
    }
    let state = w.path + "/long.state.jsonl"
    let (run, group) = try Self.startLongRun(w, state: state, groups: groups)
    defer { run.stop() }
    run.signal(SIGKILL)
    #expect(run.exitStatus(within: 20) == 128 + SIGKILL)
    // Nothing could stop the command: it still runs (a limit, docs/security.md).
    #expect(!ProcessGroups.members(group).isEmpty)
    #expect(try journalEvents(state).last?.type == .commandStarted)

    try FileManager.default.removeItem(atPath: w.path + "/group")
    let resume = try CLI.run(["resume", "--non-interactive", "--yes", state], timeout: 60)
    #expect(resume.status == 4, "\(resume.stderr)")
    #expect(
      resume.stderr.hasPrefix("runbook: stopped at step s/1: This command was started at "),
      "\(resume.stderr)")
    #expect(
      resume.stderr.contains(
        " and no outcome was recorded (the run was killed while it ran): it may have run partly, or may still be running. Check it first"
      ))
    #expect(!FileManager.default.fileExists(atPath: w.path + "/group"), "the command ran again")
  }

  @Test func ctrlCDuringTheWaitBetweenCheckRetriesEndsAtOnce() throws {
    let w = Workspace()
    defer { w.remove() }
    let guide = w.write(
      "retry.md",
      """
      # Retry

      ## S

      1. Wait for the service:

         ```sh {check retries=3 interval=1h}
         echo attempt >> \(w.path)/attempts; false
         ```

      """)
    let state = w.path + "/retry.state.jsonl"
    let run = try Spawned(["run", "--non-interactive", "--yes", "--state", state, guide], directory: w.path)
    defer { run.stop() }
    let attempts = w.path + "/attempts"
    #expect(Spawned.wait(seconds: 60) { FileManager.default.fileExists(atPath: attempts) })
    // The first attempt failed; the run now waits an hour for the second.
    #expect(Spawned.wait(seconds: 30) { (try? journalEvents(state).last?.type) == .checkStarted })
    usleep(500_000)
    run.signal(SIGINT)
    #expect(run.exitStatus(within: 10) == 130, "the wait was not cancelled: \(run.stdout)")
    #expect(try String(contentsOfFile: attempts, encoding: .utf8) == "attempt\n", "no attempt after Ctrl-C")
    let check = try #require(try journalEvents(state).last(where: { $0.type == .check }))
    #expect(check.reason == "it was interrupted")
    #expect(check.interrupted == true)
  }
}
