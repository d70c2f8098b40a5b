import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook answers STATE`: the run's answers as a YAML file that `--answers` accepts.
struct AnswersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "answers",
    abstract: "Print a run's answers as YAML for --answers (secrets left out, named in a comment).",
    discussion: """
      Replaying the file with `runbook run GUIDE --answers FILE --non-interactive --yes` gives \
      another run the same inputs; give secrets with --set or RUNBOOK_INPUT_<ID>.
      """
  )

  @Argument(help: "The state file.")
  var state: String

  func run() throws {
    let store = FileStore()
    let contents: JournalContents
    do { contents = try store.read(RunID(state)) } catch { throw CommandFailure(error.description) }
    StandardStreams.output(AnswersText.render(contents, run: state))
  }
}
