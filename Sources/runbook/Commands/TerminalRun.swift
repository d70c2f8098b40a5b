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
    for notice in launched.notices {
      StandardStreams.error("runbook: " + Sanitizer.terminal(notice, keepNewlines: false))
    }
    if let recovered = launched.journal.recovered {
      StandardStreams.error("runbook: " + Sanitizer.terminal(recovered, keepNewlines: false))
    }
    if !store.isFiles {
      StandardStreams.output(
        "Run \(Sanitizer.terminal(launched.run.rawValue, keepNewlines: false)) in \(store.location)\n")
    }
    let style = TerminalSetup.style()
    let interrupt = TerminalSetup.installInterruptHandler()
    launched.session.shouldCancel = { interrupt.isSet }
    StandardStreams.output(
      TranscriptWriter.header(
        title: launched.runbook.title, statePath: launched.run.rawValue, resumed: launched.resumption != nil))
    if let resumption = launched.resumption {
      StandardStreams.output(ResumeText.render(launched.runbook, launched.before, resumption, style: style))
    }
    // A guided run offers every shell block; an unattended one runs only what the author marked,
    // unless the operator opts in for the whole guide.
    launched.session.offersShellBlocks = !request.unattended || options.runShellBlocks
    if options.recheck { try recheck(launched, interrupt: interrupt) }
    if request.unattended {
      try runUnattended(launched, interrupt: interrupt)
    } else {
      try runGuided(launched, style: style, interrupt: interrupt)
    }
    finish(launched)
  }

  /// `--recheck`: the checks of finished steps, again, with what they found.
  private func recheck(_ launched: LaunchedRun, interrupt: InterruptFlag) throws(CommandFailure) {
    StandardStreams.output("Rechecking the checks of finished steps…\n")
    let results: [Session.Recheck]
    do {
      results = try launched.session.recheck { result in
        let filled = FilledTitles(runbook: launched.runbook, state: launched.session.state).fill(
          result.step.title)
        let name = filled.hasSuffix(":") ? String(filled.dropLast()) : filled
        let title = Sanitizer.terminal("step \(result.step.number) (\(name))", keepNewlines: false)
        if result.passed {
          StandardStreams.output("  ✓ \(title): still passes\n")
        } else {
          let reason = result.outcomes.first { !$0.passed }?.reason ?? "it failed"
          StandardStreams.output(
            "  ✗ \(title): \(Sanitizer.terminal(reason, keepNewlines: false)); reopened\n")
          for line in (result.outcomes.first { !$0.passed }?.result.outputTail ?? "").split(separator: "\n")
            .suffix(5)
          {
            StandardStreams.output("      | " + Sanitizer.terminal(String(line), keepNewlines: false) + "\n")
          }
        }
      }
    } catch {
      throw CommandFailure(error.description)
    }
    if interrupt.isSet { throw interrupted(launched, interrupt) }
    if results.isEmpty { StandardStreams.output("  No finished step has a check.\n") }
  }

  /// Records why the run stopped and ends with the signal's status (130 for Ctrl-C).
  private func interrupted(_ launched: LaunchedRun, _ interrupt: InterruptFlag) -> CommandFailure {
    do { try launched.session.recordInterruption(interrupt.reason) } catch {
      return CommandFailure(error.description, status: interrupt.exitStatus)
    }
    StandardStreams.output(
      Sanitizer.terminal(
        "\nInterrupted (\(interrupt.reason)); everything answered so far is saved. To continue: \(resumeHint(launched))\n"
      ))
    return .exit(interrupt.exitStatus)
  }

  private func resumeHint(_ launched: LaunchedRun) -> String { store.resumeCommand(launched.run) }

  private func runUnattended(_ launched: LaunchedRun, interrupt: InterruptFlag) throws(CommandFailure) {
    let session = launched.session
    session.output = { StandardStreams.output(Sanitizer.terminal($0)) }
    // The transcript: what a guided run would show, in the guide's order, as the run goes.
    let transcript = TranscriptWriter(
      session: session, style: TerminalSetup.style(), write: { StandardStreams.output($0) })
    // After a resume the earlier session's shell is gone: say which commands set variables that
    // commands still to run read (an unattended run does not run them again).
    let lost = session.lostVariables()
    if !lost.isEmpty {
      StandardStreams.output(
        "Note: the shell of the earlier session is gone; these commands set variables that commands still to run read, and are not run again (resume without --yes to be offered to run them):\n"
      )
      for item in lost {
        let text = item.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        StandardStreams.output(
          Sanitizer.terminal(
            "  step \(item.step.number): \(first)\(text.contains("\n") ? " …" : "") (sets \(item.names.joined(separator: ", ")))",
            keepNewlines: false) + "\n")
      }
    }
    var unattended = UnattendedRun(yes: options.yes)
    unattended.observe = { _ in transcript.update() }
    let outcome: UnattendedRun.Outcome
    do { outcome = try unattended.run(session) } catch {
      throw CommandFailure(error.description)
    }
    transcript.finish()
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
    case .commandFailed(let step, let reason):
      throw CommandFailure(
        "step \(step): \(reason); the state is saved. Fix it, then: \(resumeHint(launched))",
        status: ExitStatus.failed)
    case .interrupted:
      throw interrupted(launched, interrupt)
    case .needsConfirmation(let step, let what):
      let yes = options.yes ? "" : "rerun with --yes to proceed unattended, or "
      throw CommandFailure(
        "stopped\(step.map { " at step \($0)" } ?? ""): \(what); \(yes)continue interactively: \(resumeHint(launched))",
        status: ExitStatus.paused)
    }
  }

  private func runGuided(_ launched: LaunchedRun, style: TerminalStyle, interrupt: InterruptFlag)
    throws(CommandFailure)
  {
    let io = StandardTerminalIO(interrupt: interrupt, output: { StandardStreams.output($0) })
    let driver = InteractiveDriver(
      session: launched.session, io: io, style: style, runLabel: launched.run.rawValue,
      live: isatty(1) == 1)
    switch driver.run() {
    case .completed:
      return
    case .paused:
      StandardStreams.output(Sanitizer.terminal("\nSaved. To continue: \(resumeHint(launched))\n"))
      throw .exit(ExitStatus.paused)
    case .interrupted:
      throw interrupted(launched, interrupt)
    case .failed(let message):
      throw CommandFailure(message)
    }
  }

  private func finish(_ launched: LaunchedRun) {
    let title = Sanitizer.terminal(launched.runbook.title, keepNewlines: false)
    let exceptions = launched.session.state.exceptions
    if exceptions.isEmpty {
      StandardStreams.output("\nCompleted: \(title).\n")
    } else {
      // Each failure the run went on past, once (its latest run), as `status` lists them.
      StandardStreams.output("\nCompleted with exceptions: \(title).\n")
      for event in exceptions {
        let line = RunSummary.Exception(event).line
        StandardStreams.output("  ✗ " + Sanitizer.terminal(line, keepNewlines: false) + "\n")
      }
    }
    guard store.isFiles else {
      // Runs in a database have no folder to write reports into: say how to get one.
      StandardStreams.output(
        Sanitizer.terminal(
          "Report: runbook report \(ShellQuote.word(launched.run.rawValue))\(store.storeArgument)\n"))
      return
    }
    let paths = CompletionReports.write(
      store: store.store, run: launched.run, runbook: launched.runbook, sha256: launched.guideSHA256)
    for path in paths {
      StandardStreams.output("Report: " + Sanitizer.terminal(path, keepNewlines: false) + "\n")
    }
  }
}
