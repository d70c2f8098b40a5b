import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook resume STATE`: pick a run up from its state file (or its id in a database) alone.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Continue a run from its state file; the state knows its runbook's path.",
    discussion: "Use --runbook when the guide moved (on another machine, say)."
  )

  @OptionGroup var options: RunOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The guide, when it is not where the state says.")
  var runbook: String?

  @Argument(help: "The state file (.runbook/<id>.state.jsonl), or the run id in a database store.")
  var stateFile: String

  func run() throws {
    let opened = try storeOptions.open()
    let store = opened.store
    let run = RunID(stateFile)
    let contents: JournalContents
    do { contents = try store.read(run) } catch { throw CommandFailure(error.description) }
    let recorded = contents.header.runbook.path
    let launcher = RunLauncher(store: store, runner: SystemProcessRunner())
    guard let guide = launcher.guidePath(for: run, recorded: recorded, given: runbook) else {
      throw CommandFailure(
        "cannot find the runbook \(recorded) that \(stateFile) was made with; give its path with --runbook FILE"
      )
    }
    try TerminalRun(options: options, store: opened).start(guidePath: guide, run: run)
  }
}
