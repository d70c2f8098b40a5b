import Foundation
import RunbookCore
import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `runbook status --follow RUN`: prints the run's events as they are appended, one line each,
/// until the run ends (completed, or paused or interrupted with nobody holding it) or Ctrl-C.
struct StatusFollower {
  let store: any RunStore
  let run: RunID
  /// How often the store is read.
  var interval: TimeInterval = 0.25

  func follow() throws(CommandFailure) {
    var contents = try read()
    let runbook = guide(contents.header)
    var shown = 0
    let interrupt = TerminalSetup.installInterruptHandler()
    StandardStreams.output(
      Sanitizer.terminal("Following \(contents.header.runbook.title) (\(run)); Ctrl-C to stop.\n"))
    while true {
      // Titles with the values given so far filled in (secrets never).
      let steps =
        runbook.map { stepNames($0, RunState(header: contents.header, events: contents.events)) } ?? [:]
      for event in contents.events.dropFirst(shown) {
        StandardStreams.output(
          Sanitizer.terminal(EventText.line(event, steps: steps), keepNewlines: false) + "\n")
      }
      shown = contents.events.count
      if ended(contents) || interrupt.isSet || StandardStreams.outputFailure != 0 { return }
      usleep(useconds_t(interval * 1_000_000))
      contents = try read()
    }
  }

  /// Over when it completed, or when nobody holds it and its last event ends a session.
  private func ended(_ contents: JournalContents) -> Bool {
    if contents.events.last?.type == .completed { return true }
    guard store.holder(of: run) == nil else { return false }
    return [.paused, .interrupted, .failed].contains(contents.events.last?.type) || contents.events.isEmpty
  }

  private func read() throws(CommandFailure) -> JournalContents {
    do { return try store.read(run) } catch { throw CommandFailure(error.description) }
  }

  /// `step 3 (Create the user pool)` by id, from the guide the run recorded, when it is there.
  private func guide(_ header: JournalHeader) -> Runbook? { CurrentGuide(header).runbook }

  private func stepNames(_ runbook: Runbook, _ state: RunState) -> [String: String] {
    let titles = FilledTitles(runbook: runbook, state: state)
    var names: [String: String] = [:]
    for step in runbook.allSteps {
      let filled = titles.fill(step.title)
      let title = filled.hasSuffix(":") ? String(filled.dropLast()) : filled
      names[step.id] = "step \(step.number) (\(title))"
    }
    return names
  }
}
