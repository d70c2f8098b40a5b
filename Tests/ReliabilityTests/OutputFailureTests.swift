import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output that cannot be written (issue 18): a full disk (`/dev/full`) is an I/O error,
/// "runbook: cannot write to standard output: No space left on device" and status 2; a closed
/// pipe (`runbook status | head -0`) ends quietly with status 141, as other Unix tools do. Before,
/// every command died with a Swift fatal error, and a run's command had run but was not journaled.
@Suite struct OutputFailureTests {
  enum Broken: String, CaseIterable, Sendable {
    case full = "/dev/full"
    case closedPipe = "a closed pipe"

    /// A descriptor for standard output that fails this way.
    func descriptor() -> Int32 {
      switch self {
      case .full:
        return open("/dev/full", O_WRONLY | O_CLOEXEC)
      case .closedPipe:
        var fds: [Int32] = [0, 0]
        #expect(testPipe2(&fds, O_CLOEXEC) == 0)
        close(fds[0])
        return fds[1]
      }
    }

    var status: Int32 { self == .full ? 2 : 141 }
    var message: [String] {
      self == .full ? ["runbook: cannot write to standard output: No space left on device"] : []
    }
  }

  /// Runs `runbook ARGS` with standard output broken this way.
  static func run(_ arguments: [String], output: Broken, in w: Workspace) throws -> (
    status: Int32?, stderr: String
  ) {
    let fd = output.descriptor()
    let process = try Spawned(arguments, directory: w.path, output: .descriptor(fd))
    close(fd)
    defer { process.stop() }
    let status = process.exitStatus(within: 120)
    return (status, process.stderr)
  }

  static func guide(_ w: Workspace) -> String {
    w.write(
      "g.md",
      """
      # T

      ## S

      1. Use `<name>`:

         ```sh {run}
         echo ran >> \(w.path)/ran; echo output of the command
         ```

      2. Then this.

      """)
  }

  static func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

  @Test(arguments: Broken.allCases) func everyReadingCommand(_ broken: Broken) throws {
    let w = Workspace()
    defer { w.remove() }
    let guide = Self.guide(w)
    let state = w.path + "/done.state.jsonl"
    let done = try CLI.run(["run", "--non-interactive", "--yes", "--state", state, "--set", "name=x", guide])
    #expect(done.status == 0, "\(done.stderr)")
    let commands: [[String]] = [
      ["status", state], ["status", "--json", state], ["report", state],
      ["report", "--format", "html", state],
      ["report", "--format", "json", state], ["verify", state], ["show", guide], ["show", "--json", guide],
      ["--help"],
    ]
    for arguments in commands {
      let result = try Self.run(arguments, output: broken, in: w)
      #expect(result.status == broken.status, "runbook \(arguments.joined(separator: " ")): \(result.stderr)")
      #expect(Self.lines(result.stderr) == broken.message, "runbook \(arguments.joined(separator: " "))")
    }
    // lint says how many files it checked on standard error, which still works.
    let lint = try Self.run(["lint", guide], output: broken, in: w)
    #expect(lint.status == broken.status)
    #expect(Self.lines(lint.stderr) == ["1 file checked: 0 errors, 0 warnings"] + broken.message)
  }

  /// An unattended run prints its transcript as it goes: when standard output cannot take the
  /// first of it, the run stops before running anything, and says so in the journal.
  @Test(arguments: Broken.allCases) func aRunWhoseTranscriptCannotBeShownRunsNothing(_ broken: Broken) throws
  {
    let w = Workspace()
    defer { w.remove() }
    let state = w.path + "/s.state.jsonl"
    let result = try Self.run(
      ["run", "--non-interactive", "--yes", "--state", state, "--set", "name=x", Self.guide(w)],
      output: broken,
      in: w)
    #expect(result.status == broken.status, "\(result.stderr)")
    #expect(Self.lines(result.stderr) == broken.message)
    let events = try journalEvents(state)
    #expect(events.last?.type == .interrupted)
    #expect(events.last?.reason == "standard output could not be written (closed or full)")
    #expect(!events.contains { $0.type == .commandStarted })
    #expect(!FileManager.default.fileExists(atPath: w.path + "/ran"))
  }

  /// The command ran and its output could not be shown (the reader went away while it ran): the
  /// run stops once the journal records it (stopped part-way, the output being gone), and a
  /// resume does not run it again unasked.
  @Test func aRunJournalsTheCommandBeforeStopping() throws {
    let w = Workspace()
    defer { w.remove() }
    let state = w.path + "/s.state.jsonl"
    let guide = w.write(
      "slow.md",
      """
      # T

      ## S

      1. Run it:

         ```sh {run}
         sleep 1; echo ran >> \(w.path)/ran; echo output of the command
         ```

      2. Then this.

      """)
    var fds: [Int32] = [0, 0]
    #expect(testPipe2(&fds, O_CLOEXEC) == 0)
    let process = try Spawned(
      ["run", "--non-interactive", "--yes", "--state", state, guide], directory: w.path,
      output: .descriptor(fds[1]))
    close(fds[1])
    defer { process.stop() }
    // Read the transcript until the command is shown, then go away while it sleeps.
    var seen: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !String(decoding: seen, as: UTF8.self).contains("echo ran") {
      let n = read(fds[0], &buffer, buffer.count)
      guard n > 0 else { break }
      seen += buffer[0..<n]
    }
    close(fds[0])
    let status = process.exitStatus(within: 120)
    #expect(status == 141, "\(process.stderr)")
    let events = try journalEvents(state)
    #expect(events.suffix(3).map(\.type) == [.commandStarted, .command, .interrupted])
    #expect(events.last?.reason == "standard output could not be written (closed or full)")
    #expect(try String(contentsOfFile: w.path + "/ran", encoding: .utf8) == "ran\n")

    let again = try CLI.run(["resume", "--non-interactive", "--yes", state])
    #expect(again.status == 4, "\(again.stderr)")
    #expect(again.stderr.contains("This command was stopped before it finished at "))
    #expect(try String(contentsOfFile: w.path + "/ran", encoding: .utf8) == "ran\n", "not run again")
  }

  /// A resume whose first words cannot be shown stops before it runs anything, and says so in
  /// the journal.
  @Test(arguments: Broken.allCases) func aResumeStopsBeforeRunningAnything(_ broken: Broken) throws {
    let w = Workspace()
    defer { w.remove() }
    let state = w.path + "/s.state.jsonl"
    // A run that stopped before the command (no --yes), resumed with --yes.
    let first = try CLI.run(["run", "--non-interactive", "--state", state, "--set", "name=x", Self.guide(w)])
    #expect(first.status == 4, "\(first.stderr)")
    let result = try Self.run(["resume", "--non-interactive", "--yes", state], output: broken, in: w)
    #expect(result.status == broken.status, "\(result.stderr)")
    #expect(Self.lines(result.stderr) == broken.message)
    #expect(try journalEvents(state).suffix(2).map(\.type) == [.resumed, .interrupted])
    #expect(!FileManager.default.fileExists(atPath: w.path + "/ran"))
  }
}
