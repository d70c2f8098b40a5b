import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook resume STATE`: pick a run up from its state file alone.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Continue a run from its state file; the state knows its runbook's path.",
    discussion: "Use --runbook when the guide moved (on another machine, say)."
  )

  @OptionGroup var options: RunOptions

  @Option(help: "The guide, when it is not where the state says.")
  var runbook: String?

  @Argument(help: "The state file (.runbook/<id>.state.jsonl).")
  var stateFile: String

  func run() throws {
    let contents: JournalContents
    do { contents = try Journal.read(at: stateFile) } catch { fail(CommandFailure(error.description)) }
    let recorded = contents.header.runbook.path
    // Also look beside the folder that holds the state folder (`.runbook/` by default).
    let startFolder = PathName.deletingLastComponent(PathName.deletingLastComponent(stateFile))
    let candidates = [runbook, recorded, PathName.appending(recorded, to: startFolder)].compactMap { $0 }
    guard let guide = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      fail(
        CommandFailure(
          "cannot find the runbook \(recorded) that \(stateFile) was made with; give its path with --runbook FILE"
        ))
    }
    RunLauncher(options: options, guidePath: guide).launch(statePath: stateFile)
  }
}
