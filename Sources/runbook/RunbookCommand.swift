import ArgumentParser
import Foundation
import RunbookCore

/// `runbook`: turns a Markdown setup guide into an executable, resumable runbook.
@main
struct RunbookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runbook",
    abstract: "Turn a Markdown setup guide into an executable, resumable runbook.",
    discussion: """
      Exit statuses: 0 completed or no errors; 1 a check failed or lint found errors; \
      2 usage or I/O error; 3 inputs missing; 4 paused before the end; 5 state in use; \
      130 interrupted.
      """,
    subcommands: [
      RunCommand.self, ResumeCommand.self, StatusCommand.self, ReportCommand.self, VerifyCommand.self,
      AnswersCommand.self, ShowCommand.self, LintCommand.self, StoreCommand.self, ServeCommand.self,
    ]
  )

  /// Parses and runs a subcommand, mapping every failure to runbook's exit statuses in one place
  /// (argument-parser's own usage status, 64, becomes 2).
  static func main() {
    // A parent may start us with signals blocked (test runners and some supervisors do, and
    // the mask is inherited); Ctrl-C and SIGTERM must work.
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
    // A closed standard output is an error to handle, not a reason to die mid-write (commands
    // get SIGPIPE back by default: SystemProcessRunner resets it).
    signal(SIGPIPE, SIG_IGN)
    do {
      let (arguments, lintPaths) = LintCommand.liftPaths(Array(CommandLine.arguments.dropFirst()))
      var command = try parseAsRoot(arguments)
      if var lint = command as? LintCommand, !lintPaths.isEmpty {
        lint.paths += lintPaths
        command = lint
      }
      try command.run()
      endIfOutputFailed()
    } catch let failure as CommandFailure {
      endIfOutputFailed()
      if let message = failure.message {
        StandardStreams.error("runbook: " + Sanitizer.terminal(message, keepNewlines: false))
      }
      for line in failure.details {
        StandardStreams.error("  " + Sanitizer.terminal(line, keepNewlines: false))
      }
      Foundation.exit(failure.status)
    } catch {
      endIfOutputFailed()
      let code = exitCode(for: error)
      if code == .success {
        StandardStreams.output(fullMessage(for: error) + "\n")
        endIfOutputFailed()  // help that could not be written is an error like any other output
        Foundation.exit(0)
      }
      StandardStreams.error(fullMessage(for: error))
      Foundation.exit(code == .validationFailure || code == .failure ? ExitStatus.usage : code.rawValue)
    }
  }

  /// Standard output failed: a closed pipe ends quietly, as other Unix tools do (status 141, as
  /// if killed by SIGPIPE); anything else (a full disk) is an I/O error with status 2.
  private static func endIfOutputFailed() {
    let failure = StandardStreams.outputFailure
    guard failure != 0 else { return }
    if failure == EPIPE { Foundation.exit(128 + SIGPIPE) }
    StandardStreams.error("runbook: cannot write to standard output: \(String(cString: strerror(failure)))")
    Foundation.exit(ExitStatus.usage)
  }
}
