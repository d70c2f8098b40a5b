import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// Kills the runner with SIGKILL at random moments during an unattended run of a generated
/// 200-step runbook, resumes it each time, and checks that nothing recorded is ever lost and
/// the end state equals an uninterrupted run's. `RUNBOOK_CRASH_KILLS` sets how many kills
/// (default 200; the long local setting is, say, 2000).
@Suite(.serialized) struct CrashConsistencyTests {
  static var kills: Int { Int(ProcessInfo.processInfo.environment["RUNBOOK_CRASH_KILLS"] ?? "") ?? 200 }

  /// 200 steps: inputs, table rows, `{run}` commands and `{check}`s spread through them.
  static func generatedGuide(steps: Int = 200) -> String {
    var out = """
      ---
      title: Generated
      inputs:
        region: {label: Region, pattern: '[a-z]+-[a-z]+-\\d'}
        token: {label: Token, secret: true}
      ---

      """
    for section in 0..<(steps / 10) {
      out += "## Part \(section)\n\n"
      for i in 1...10 {
        let n = section * 10 + i
        switch n % 5 {
        case 0:
          out +=
            "\(i). Check \(n):\n\n   ```sh {check}\n   test -n \"$RUNBOOK_INPUT_TOKEN\" && echo ok \(n) <region>\n   ```\n\n"
        case 1:
          out += "\(i). Run \(n):\n\n   ```sh {run}\n   echo ran \(n) <region>\n   ```\n\n"
        case 2:
          out +=
            "\(i). Confirm \(n):\n\n   | Key | Value |\n   |---|---|\n   | a\(n) | `<region>` |\n   | b\(n) | two |\n\n"
        default:
          out += "\(i). Do step \(n) in `<region>`.\n\n"
        }
      }
    }
    return out
  }

  func launch(_ dir: URL, _ args: [String]) throws -> Process {
    let p = Process()
    p.executableURL = RunbookProcess.executable
    p.arguments = args
    p.currentDirectoryURL = dir
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    try p.run()
    return p
  }

  static let runArgs = [
    "run", "guide.md", "--yes", "--non-interactive", "--set", "region=eu-west-1", "--set", "token=t0ken",
  ]

  /// What must match between runs: statuses, inputs, rows, outcomes; not times or operators.
  func essence(_ path: String) throws -> String {
    let contents = try Journal.read(at: path)
    let state = RunState(header: contents.header, events: contents.events)
    var lines: [String] = []
    for step in contents.header.steps {
      let r = state.steps[step.id]
      let checks = (r?.checks ?? [:]).sorted { $0.key < $1.key }.map {
        "\($0.key):\($0.value.passed ?? false)"
      }
      let commands = (r?.commands ?? [:]).sorted { $0.key < $1.key }.map {
        "\($0.key):\($0.value.status ?? -1)"
      }
      lines.append(
        "\(step.id) \(r?.status.rawValue ?? "pending") rows=\((r?.confirmedRows ?? []).sorted()) checks=\(checks) commands=\(commands)"
      )
    }
    lines.append("inputs=\(state.inputs.mapValues { $0.value ?? "secret" }.sorted { $0.key < $1.key })")
    lines.append("acknowledged=\(state.acknowledged.sorted()) completed=\(state.completed != nil)")
    return lines.joined(separator: "\n")
  }

  @Test func killedAtRandomItLosesNothingAndFinishesLikeAnUninterruptedRun() throws {
    let guide = Self.generatedGuide()
    let reference = Paths.temporaryDirectory("crash-ref")
    try guide.write(to: reference.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
    let full = try launch(reference, Self.runArgs)
    full.waitUntilExit()
    #expect(full.terminationStatus == 0)
    let expected = try essence(reference.appendingPathComponent(".runbook/guide.state.jsonl").path)

    let dir = Paths.temporaryDirectory("crash")
    try guide.write(to: dir.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
    let statePath = dir.appendingPathComponent(".runbook/guide.state.jsonl").path
    var generator = SystemRandomNumberGenerator()
    var killed = 0
    var previous = ""
    var rounds = 0
    while rounds < Self.kills * 3 {
      rounds += 1
      let p = try launch(dir, Self.runArgs)
      if killed < Self.kills {
        usleep(UInt32.random(in: 2_000...40_000, using: &generator))
        kill(p.processIdentifier, SIGKILL)
      }
      p.waitUntilExit()
      if p.terminationReason == .uncaughtSignal { killed += 1 }
      guard FileManager.default.fileExists(atPath: statePath) else { continue }
      // The state always loads, and every complete line written before is still there.
      let contents = try Journal.read(at: statePath)
      let text = try String(contentsOfFile: statePath, encoding: .utf8)
      let complete = previous.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(
        separator: "\n")
      #expect(text.hasPrefix(complete), "round \(rounds): an earlier event was lost or altered")
      if !text.hasPrefix(complete) { return }
      previous = text
      _ = contents
      if p.terminationReason == .exit {
        #expect(p.terminationStatus == 0)
        break
      }
    }
    #expect(killed >= Self.kills)
    #expect(Journal.verify(at: statePath).ok)
    #expect(try essence(statePath) == expected)
  }

  @Test func twoRunnersAtOnceNeverShareTheState() throws {
    let dir = Paths.temporaryDirectory("race")
    // The first step takes half a second, so the two runners always overlap.
    let guide = Self.generatedGuide(steps: 20).replacingOccurrences(
      of: "1. Run 1:\n\n   ```sh {run}\n", with: "1. Run 1:\n\n   ```sh {run}\n   sleep 0.5\n")
    #expect(guide.contains("sleep 0.5"))
    try guide.write(to: dir.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
    var inUseNeverSeen = 0
    for round in 0..<30 {
      let state = ".runbook/race-\(round).state.jsonl"
      let statePath = dir.appendingPathComponent(state).path
      let a = try launch(dir, Self.runArgs + ["--operator", "a", "--state", state])
      let b = try launch(dir, Self.runArgs + ["--operator", "b", "--state", state])
      a.waitUntilExit()
      b.waitUntilExit()
      let statuses = [a.terminationStatus, b.terminationStatus].sorted()
      // One ran to the end; the other found the state in use, unless the first had already
      // finished and released the lock (then it found nothing left to do).
      #expect(statuses == [0, 5] || statuses == [0, 0], "round \(round): \(statuses)")
      if statuses == [0, 0] { inUseNeverSeen += 1 }
      let contents = try Journal.read(at: statePath)
      #expect(contents.warnings.isEmpty)
      #expect(contents.events.map(\.seq) == Array(1...contents.events.count))
      #expect(Journal.verify(at: statePath).ok)
      #expect(contents.events.filter { $0.type == .completed }.count == 1)
    }
    #expect(inUseNeverSeen == 0, "the second runner should always find the state in use")
  }
}
