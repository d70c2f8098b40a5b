import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook status [STATE ...]`: who did what, when, what is left, and why something failed.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the progress of runs: done, skipped, failed, pending; who and when; what is left.",
    discussion:
      "Without arguments, every state under .runbook/. Plain text to paste into a ticket; --json for tools."
  )

  @Flag(help: "Print JSON.")
  var json = false

  @Flag(help: "Print one run's events as they happen, until it ends (Ctrl-C stops).")
  var follow = false

  @Argument(help: "State files (default: .runbook/*.state.jsonl).")
  var states: [String] = []

  func validate() throws {
    if follow, states.count != 1 || json {
      throw ValidationError("--follow takes exactly one state file, and no --json")
    }
  }

  func run() throws {
    let store = FileStore()
    if follow {
      return try StatusFollower(store: store, run: RunID(states[0])).follow()
    }
    var runs = states.map(RunID.init)
    if runs.isEmpty {
      runs = try store.list()
      if runs.isEmpty {
        StandardStreams.output(
          json ? "[]\n" : "No runs found under .runbook/ (name a state file to look at another).\n")
        return
      }
    }
    var summaries: [RunSummary] = []
    var failures: [String] = []
    for run in runs {
      let contents: JournalContents
      do { contents = try store.read(run) } catch {
        failures.append(error.description)
        continue
      }
      let guide = contents.header.runbook.path
      let text = try? GuideLoader.read(guide)
      let runbook = text.map { RunbookCompiler().compile($0, file: guide) }.flatMap {
        $0.id == contents.header.runbook.id ? $0 : nil
      }
      summaries.append(
        RunSummary(
          statePath: run.rawValue, header: contents.header, events: contents.events,
          warnings: contents.warnings,
          runbook: runbook, currentSHA256: text.map(StepFingerprint.sha256), holder: store.holder(of: run)))
    }
    if json {
      StandardStreams.output(RunSummary.json(summaries))
    } else {
      StandardStreams.output(
        summaries.map { StatusText.render($0, resumeCommand: store.resumeCommand(for: RunID($0.statePath))) }
          .joined(
            separator: "\n"))
    }
    for failure in failures {
      StandardStreams.error("runbook: " + Sanitizer.terminal(failure, keepNewlines: false))
    }
    if !failures.isEmpty { throw CommandFailure.exit(ExitStatus.usage) }
  }
}
