import ArgumentParser
import RunbookEngine

/// `runbook run FILE`: follow a runbook step by step; resumes when its state exists.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Follow a runbook step by step, recording every answer; resumes an existing state.",
    discussion: """
      Interactive at a terminal; unattended with --non-interactive or when standard input is \
      not a terminal (then inputs come from --set, --answers, RUNBOOK_INPUT_<ID> and defaults, \
      and manual steps and commands need --yes). Exit statuses: 0 completed, 1 a check failed, \
      2 usage or I/O error, 3 inputs missing, 4 paused, 5 state in use, 130 interrupted.
      """
  )

  @OptionGroup var options: RunOptions

  @Option(help: "The state file (default: .runbook/<runbook id>.state.jsonl).")
  var state: String?

  @Argument(help: "The Markdown guide.")
  var file: String

  func run() throws {
    try TerminalRun(options: options).start(guidePath: file, run: state.map(RunID.init))
  }
}
