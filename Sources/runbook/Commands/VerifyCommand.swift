import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook verify STATE`: checks the state file's hash chain.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check a state file's hash chain and say which line was altered, if any.",
    discussion: """
      Prints `STATE: ok, N events, chain head HEX` and exits 0, or names the altered line and \
      exits 1; exits 2 when the file cannot be read or is not a state file. The last line is \
      vouched for only by the chain head: give the one recorded in the report or the ticket \
      with --chain-head to check it too (docs/report.md).
      """
  )

  @Option(
    name: .customLong("chain-head"),
    help: "A chain head recorded earlier (64 hex digits): check that the journal still holds that exact line."
  )
  var expectedHead: String?

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "The state file, or the run id in a database store.")
  var state: String

  func validate() throws {
    if let expectedHead, expectedHead.count != 64 || !expectedHead.allSatisfy(\.isHexDigit) {
      throw ValidationError("--chain-head takes the 64 hex digits of a chain head")
    }
  }

  func run() throws {
    let store = try storeOptions.open().store
    let run = RunID(state)
    let name = Sanitizer.terminal(state, keepNewlines: false)
    let result = store.verify(run)
    guard result.ok, let head = result.chainHead else {
      // A file that is missing, unreadable or not a state file is an I/O error, not tampering.
      do {
        _ = try store.read(run)
      } catch {
        guard case .damaged = error.kind else { throw CommandFailure(error.description) }
      }
      let problem = Sanitizer.terminal(
        result.problem ?? "the hash chain does not verify", keepNewlines: false)
      StandardStreams.output("\(name): \(problem)\n")
      throw CommandFailure.exit(ExitStatus.failed)
    }
    let events = "\(result.events) event\(result.events == 1 ? "" : "s")"
    for warning in result.warnings {
      StandardStreams.error("runbook: warning: \(Sanitizer.terminal(warning, keepNewlines: false))")
    }
    guard let expected = expectedHead?.lowercased(), expected != head else {
      let recorded = expectedHead == nil ? "" : " (the recorded one)"
      StandardStreams.output("\(name): ok, \(events), chain head \(head)\(recorded)\n")
      return
    }
    // Line k's hash is recorded in the event on line k + 1 (line 1 is the header).
    let contents: JournalContents
    do { contents = try store.read(run) } catch { throw CommandFailure(error.description) }
    if let index = contents.events.firstIndex(where: { $0.prev == expected }) {
      let later = contents.events.count - index
      StandardStreams.output(
        "\(name): ok, \(events), chain head \(head); the recorded chain head is line \(index + 1), "
          + "and \(later) event\(later == 1 ? " was" : "s were") appended after it\n")
      return
    }
    StandardStreams.output(
      "\(name): the recorded chain head \(expected) matches no line: the journal was altered or replaced "
        + "after it was recorded (chain head now \(head))\n")
    throw CommandFailure.exit(ExitStatus.failed)
  }
}
