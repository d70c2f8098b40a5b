import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookTerminal

/// Options shared by `run` and `resume`.
struct RunOptions: ParsableArguments {
  @Option(help: "The state file (default: .runbook/<runbook id>.state.jsonl).")
  var state: String?

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Give an input's value: ID=VALUE (repeatable).", valueName: "ID=VALUE"))
  var values: [String] = []

  @Option(help: ArgumentHelp("A YAML file mapping input ids to values.", valueName: "FILE.yaml"))
  var answers: String?

  @Flag(help: "Proceed through manual steps, preconditions and {run} commands without asking.")
  var yes = false

  @Flag(help: "Never prompt: inputs come from --set, --answers, RUNBOOK_INPUT_<ID> and defaults.")
  var nonInteractive = false

  @Flag(help: "Prompt even when standard input is not a terminal (answers piped in).")
  var interactive = false

  @Option(name: .customLong("operator"), help: "Who is running it (default: user@host).")
  var operatorName: String?

  @Option(help: "Start at this step (number or id); recorded in the state.")
  var from: String?

  func validate() throws {
    if nonInteractive && interactive {
      throw ValidationError("--interactive and --non-interactive exclude each other")
    }
    for pair in values where !pair.contains("=") {
      throw ValidationError("--set takes ID=VALUE, got \(pair)")
    }
  }

  /// `--set` values by normalised input id.
  var setValues: [String: String] {
    var out: [String: String] = [:]
    for pair in values {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      out[Placeholder.normalize(String(parts[0]))] = parts.count > 1 ? String(parts[1]) : ""
    }
    return out
  }

  static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count)
    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? "localhost" : name
  }

  var resolvedOperator: String {
    if let operatorName, !operatorName.isEmpty { return operatorName }
    let env = ProcessInfo.processInfo.environment
    let user =
      env["USER"] ?? env["LOGNAME"]
      ?? (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "someone")
    return "\(user)@\(Self.hostName)"
  }
}

/// Compiles the guide, opens or creates the state and runs the session; shared by run and resume.
struct RunLauncher {
  let options: RunOptions
  let guidePath: String

  func launch(statePath explicitState: String?) -> Never {
    let text: String
    do { text = try GuideLoader.read(guidePath) } catch { exitWith(error.description, ExitStatus.usage) }
    let runbook = RunbookCompiler().compile(text, file: guidePath)
    if let error = runbook.diagnostics.first(where: { $0.severity == .error }) {
      exitWith(
        "\(guidePath) has errors, so it cannot run safely (first: \(error.line):\(error.column) \(error.message)); run `runbook lint \(guidePath)`",
        ExitStatus.usage)
    }
    let sha = StepFingerprint.sha256(text)
    let statePath = explicitState ?? options.state ?? ".runbook/\(runbook.id).state.jsonl"
    let operatorName = options.resolvedOperator
    let host = RunOptions.hostName
    let pid = Int(getpid())
    let lock = LockInfo(operator: operatorName, pid: pid, host: host, since: Date())

    let journal: Journal
    do {
      if FileManager.default.fileExists(atPath: statePath)
        || (try? FileManager.default.destinationOfSymbolicLink(atPath: statePath)) != nil
      {
        journal = try Journal.open(at: statePath, lock: lock)
        if journal.header.runbook.id != runbook.id {
          let recorded = journal.header.runbook
          journal.close()
          exitWith(
            "\(statePath) belongs to runbook \(recorded.id) (\(recorded.path)), not \(runbook.id); choose another --state",
            ExitStatus.usage)
        }
      } else {
        let header = JournalHeader(
          runbook: .init(path: guidePath, id: runbook.id, title: runbook.title, sha256: sha),
          steps: runbook.allSteps.map { .init(id: $0.id, fingerprint: StepFingerprint.of($0)) },
          created: Date(), operator: operatorName)
        do {
          journal = try Journal.create(at: statePath, header: header, lock: lock)
        } catch  where error.kind == .alreadyExists {
          // Another run created it since we looked: open it like any existing state.
          journal = try Journal.open(at: statePath, lock: lock)
        }
      }
    } catch {
      if case .inUse = error.kind { exitWith(error.description, ExitStatus.stateInUse) }
      exitWith(error.description, ExitStatus.usage)
    }
    if let recovered = journal.recovered { StandardStreams.error("runbook: \(recovered)") }

    let session = Session(
      runbook: runbook, log: journal, operator: operatorName, clock: SystemClock(),
      runner: SystemProcessRunner())
    let resumeHint = "runbook resume \(statePath)"
    let resuming = !journal.events.isEmpty
    let unattended = options.nonInteractive || (isatty(0) == 0 && !options.interactive)
    var answers: [String: String] = [:]
    if let file = options.answers {
      do { answers = try AnswersFile.load(file) } catch { exitWith(error.description, ExitStatus.usage) }
    }
    let style = TerminalSetup.style()

    do {
      let before = session.state
      let resumption = try session.begin(host: host, pid: pid, sha256: sha)
      if resuming { StandardStreams.output(ResumeText.render(runbook, before, resumption, style: style)) }
    } catch {
      exitWith(error.description, ExitStatus.usage)
    }
    if let from = options.from {
      do { try session.move(to: from) } catch { exitWith(error.description, ExitStatus.usage) }
    }

    if unattended {
      session.provided = UnattendedRun.resolve(
        runbook, set: options.setValues, answers: answers, environment: ProcessInfo.processInfo.environment)
      session.output = { StandardStreams.output(Sanitizer.terminal($0)) }
      let outcome: UnattendedRun.Outcome
      do { outcome = try UnattendedRun(yes: options.yes).run(session) } catch {
        exitWith(error.description, ExitStatus.usage)
      }
      switch outcome {
      case .completed:
        finish(session, statePath: statePath, sha: sha)
      case .missingInputs(let lines):
        StandardStreams.error(
          "runbook: \(lines.count) input\(lines.count == 1 ? " is" : "s are") missing or invalid; nothing was run:"
        )
        for line in lines { StandardStreams.error("  " + Sanitizer.terminal(line, keepNewlines: false)) }
        Foundation.exit(ExitStatus.inputsMissing)
      case .checkFailed(let step, let reason):
        StandardStreams.error(
          "runbook: the check of step \(step) failed: \(Sanitizer.terminal(reason, keepNewlines: false)); the state is saved. Fix it, then: \(resumeHint)"
        )
        Foundation.exit(ExitStatus.failed)
      case .needsConfirmation(let step, let what):
        StandardStreams.error(
          "runbook: stopped\(step.map { " at step \($0)" } ?? ""): \(Sanitizer.terminal(what, keepNewlines: false)); rerun with --yes to proceed unattended, or continue interactively: \(resumeHint)"
        )
        Foundation.exit(ExitStatus.paused)
      }
    }

    session.provided = options.setValues.merging(answers) { a, _ in a }
    let interrupt = TerminalSetup.installInterruptHandler()
    session.shouldCancel = { interrupt.isSet }
    let driver = InteractiveDriver(
      session: session, io: StandardTerminalIO(interrupt: interrupt), style: style)
    switch driver.run() {
    case .completed:
      finish(session, statePath: statePath, sha: sha)
    case .paused:
      StandardStreams.output("\nSaved. To continue: \(resumeHint)\n")
      Foundation.exit(ExitStatus.paused)
    case .interrupted:
      StandardStreams.output(
        "\nInterrupted; everything answered so far is saved. To continue: \(resumeHint)\n")
      Foundation.exit(ExitStatus.interrupted)
    case .failed(let message):
      exitWith(message, ExitStatus.usage)
    }
  }

  private func finish(_ session: Session, statePath: String, sha: String) -> Never {
    StandardStreams.output(
      "\nCompleted: \(Sanitizer.terminal(session.runbook.title, keepNewlines: false)).\n")
    let paths = CompletionReports.write(statePath: statePath, runbook: session.runbook, sha256: sha)
    for path in paths { StandardStreams.output("Report: \(path)\n") }
    Foundation.exit(ExitStatus.success)
  }

  private func exitWith(_ message: String, _ status: Int32) -> Never {
    StandardStreams.error("runbook: " + Sanitizer.terminal(message, keepNewlines: false))
    Foundation.exit(status)
  }
}
