import Foundation
import RunbookCore
import RunbookEngine
import RunbookTerminal

/// `run` and `resume` at a terminal: launches the run through the engine's front door, drives it
/// guided (``InteractiveDriver``) or unattended (``UnattendedRun``), and says how it ended. Returns
/// when the run completed; otherwise throws the ``CommandFailure`` whose status says why.
struct TerminalRun {
  let options: RunOptions
  let store: OpenedStore

  func start(guidePath: String, run: RunID? = nil) throws(CommandFailure) {
    let request = try options.request(guidePath: guidePath, run: run)
    let launcher = RunLauncher(store: store.store, runner: SystemProcessRunner())
    let launched: LaunchedRun
    do { launched = try launcher.launch(request) } catch { throw CommandFailure(error) }
    defer { launched.journal.close() }
    if let recovered = launched.journal.recovered { StandardStreams.error("runbook: \(recovered)") }
    if !store.isFiles {
      StandardStreams.output(
        "Run \(Sanitizer.terminal(launched.run.rawValue, keepNewlines: false)) in \(store.location)\n")
    }
    let style = TerminalSetup.style()
    if let resumption = launched.resumption {
      StandardStreams.output(ResumeText.render(launched.runbook, launched.before, resumption, style: style))
    }
    if request.unattended {
      try runUnattended(launched)
    } else {
      try runGuided(launched, style: style)
    }
    finish(launched)
  }

  private func resumeHint(_ launched: LaunchedRun) -> String { store.resumeCommand(launched.run) }

  private func runUnattended(_ launched: LaunchedRun) throws(CommandFailure) {
    let session = launched.session
    session.output = { StandardStreams.output(Sanitizer.terminal($0)) }
    let outcome: UnattendedRun.Outcome
    do { outcome = try UnattendedRun(yes: options.yes).run(session) } catch {
      throw CommandFailure(error.description)
    }
    switch outcome {
    case .completed:
      return
    case .missingInputs(let lines):
      let count = lines.count == 1 ? "1 input is" : "\(lines.count) inputs are"
      throw CommandFailure(
        "\(count) missing or invalid; nothing was run:", status: ExitStatus.inputsMissing, details: lines)
    case .checkFailed(let step, let reason):
      throw CommandFailure(
        "the check of step \(step) failed: \(reason); the state is saved. Fix it, then: \(resumeHint(launched))",
        status: ExitStatus.failed)
    case .needsConfirmation(let step, let what):
      throw CommandFailure(
        "stopped\(step.map { " at step \($0)" } ?? ""): \(what); rerun with --yes to proceed unattended, or continue interactively: \(resumeHint(launched))",
        status: ExitStatus.paused)
    }
  }

  private func runGuided(_ launched: LaunchedRun, style: TerminalStyle) throws(CommandFailure) {
    let interrupt = TerminalSetup.installInterruptHandler()
    launched.session.shouldCancel = { interrupt.isSet }
    let driver = InteractiveDriver(
      session: launched.session, io: StandardTerminalIO(interrupt: interrupt), style: style)
    switch driver.run() {
    case .completed:
      return
    case .paused:
      StandardStreams.output("\nSaved. To continue: \(resumeHint(launched))\n")
      throw .exit(ExitStatus.paused)
    case .interrupted:
      StandardStreams.output(
        "\nInterrupted; everything answered so far is saved. To continue: \(resumeHint(launched))\n")
      throw .exit(ExitStatus.interrupted)
    case .failed(let message):
      throw CommandFailure(message)
    }
  }

  private func finish(_ launched: LaunchedRun) {
    StandardStreams.output(
      "\nCompleted: \(Sanitizer.terminal(launched.runbook.title, keepNewlines: false)).\n")
    guard store.isFiles else {
      // Runs in a database have no folder to write reports into: say how to get one.
      StandardStreams.output(
        "Report: runbook report \(OpenedStore.shellWord(launched.run.rawValue))\(store.storeArgument)\n")
      return
    }
    let paths = CompletionReports.write(
      store: store.store, run: launched.run, runbook: launched.runbook, sha256: launched.guideSHA256)
    for path in paths { StandardStreams.output("Report: \(path)\n") }
  }
}
