import Foundation
import RunbookCore

/// The engine's front door: compiles a guide, refuses what cannot run safely, opens or creates
/// its run in a store, begins the session and moves it where asked. Front ends (the terminal,
/// the web UI, tests) call it and get a value or a typed error; none of them repeats these steps.
public struct RunLauncher {
  public var store: any RunStore
  public var clock: any WallClock
  public var runner: any ProcessRunner

  public init(store: any RunStore, clock: any WallClock = SystemClock(), runner: any ProcessRunner) {
    self.store = store
    self.clock = clock
    self.runner = runner
  }

  /// A compiled guide and the SHA-256 of its bytes.
  public struct CompiledGuide: Sendable {
    public var runbook: Runbook
    public var sha256: String
  }

  /// Reads and compiles a guide; a guide with errors cannot run safely and is refused.
  public func compile(_ guidePath: String) throws(LaunchError) -> CompiledGuide {
    let text: String
    do { text = try GuideLoader.read(guidePath) } catch { throw LaunchError(.guide, error.description) }
    let runbook = RunbookCompiler().compile(text, file: guidePath)
    if let error = runbook.diagnostics.first(where: { $0.severity == .error }) {
      throw LaunchError(
        .guide,
        "\(guidePath) has errors, so it cannot run safely (first: \(error.line):\(error.column) \(error.message)); run `runbook lint \(guidePath)`"
      )
    }
    if runbook.walk.isEmpty {
      throw LaunchError(
        .guide,
        "\(guidePath) has nothing to show: no steps and no text, so there is nothing to run; run `runbook lint \(guidePath)`"
      )
    }
    return CompiledGuide(runbook: runbook, sha256: StepFingerprint.sha256(text))
  }

  /// Starts or resumes the run of ``RunRequest/guidePath``. An unattended run that lacks inputs
  /// is refused before anything is written.
  public func launch(_ request: RunRequest) throws(LaunchError) -> LaunchedRun {
    let guide = try compile(request.guidePath)
    let runbook = guide.runbook
    try checkInputIDs(request, runbook)
    let run = request.run ?? store.defaultRun(for: runbook.id)
    let provided = providedValues(request, runbook)
    let holder = LockInfo(
      operator: request.operatorName, pid: request.pid, host: request.host, since: clock.now())

    let existing: JournalContents?
    do {
      existing = try store.exists(run) ? try store.read(run) : nil
    } catch {
      throw LaunchError(error)
    }
    if let existing { try checkBelongs(existing.header, run, runbook) }
    if request.unattended {
      let header = existing?.header ?? makeHeader(request, guide)
      try preflight(request, runbook, MemoryJournal(header: header, events: existing?.events ?? []), provided)
    }

    let journal = try openOrCreate(run, request, guide, holder)
    do {
      try checkBelongs(journal.header, run, runbook)
      let session = Session(
        runbook: runbook, log: journal, operator: request.operatorName, clock: clock, runner: runner)
      let before = session.state
      let resuming = !journal.events.isEmpty
      let resumption = try begin(session, request, guide.sha256)
      let notices = try changeAnswers(session, request, provided)
      return LaunchedRun(
        session: session, journal: journal, guideSHA256: guide.sha256, before: before,
        resumption: resuming ? resumption : nil, notices: notices)
    } catch {
      journal.close()
      throw error
    }
  }

  /// Where the guide of a run is: `given` (the admin's `--runbook`), else the path the run
  /// recorded, else the store's other places for it. Nil when none exists.
  public func guidePath(for run: RunID, recorded: String, given: String?) -> String? {
    let candidates = [given, recorded].compactMap { $0 } + store.places(ofGuide: recorded, for: run)
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
  }

  // MARK: - Steps of a launch

  private func providedValues(_ request: RunRequest, _ runbook: Runbook) -> [String: String] {
    guard request.unattended else { return request.set.merging(request.answers) { given, _ in given } }
    return UnattendedRun.resolve(
      runbook, set: request.set, answers: request.answers, environment: request.environment)
  }

  /// `--set` for an input the run already answered replaces the answer (the steps that used it
  /// reopen); values from an answers file or the environment never replace one, and each one
  /// that differs is reported. The rest are used when the session asks for them.
  private func changeAnswers(_ session: Session, _ request: RunRequest, _ provided: [String: String])
    throws(LaunchError) -> [String]
  {
    var rest = provided
    var notices: [String] = []
    for (id, recorded) in session.state.inputs.sorted(by: { $0.key < $1.key }) {
      // A secret after a resume has no value: a given one is used when the session asks.
      guard let current = session.values[id] else { continue }
      rest[id] = nil
      let fromElsewhere =
        request.answers[id]
        ?? (request.unattended
          ? session.runbook.input(id).flatMap { request.environment[$0.environmentName] } : nil)
      if let value = request.set[id] {
        guard current != value else { continue }
        let refused: String?
        do throws(SessionError) {
          refused = try session.answer(.change(input: id, value: value))
        } catch {
          throw LaunchError(error.journal.map { .store($0.kind) } ?? .request, error.description)
        }
        if let refused { throw LaunchError(.request, "--set \(id): \(refused)") }
      } else if let given = fromElsewhere, !recorded.secret, recorded.value != given {
        notices.append(
          "\(id) keeps its recorded answer; the value from the answers file or environment differs. Change it with --set \(id)=VALUE"
        )
      }
    }
    session.provided = rest
    return notices
  }

  /// Values given for inputs the guide does not have are typos: refuse them, naming the known
  /// ones.
  private func checkInputIDs(_ request: RunRequest, _ runbook: Runbook) throws(LaunchError) {
    let known = Set(runbook.inputs.filter { !$0.isDerived }.map(\.id))
    for (given, source) in [(request.set, "--set"), (request.answers, "the answers file")] {
      let unknown = given.keys.filter { !known.contains($0) }.sorted()
      guard !unknown.isEmpty else { continue }
      let names = unknown.map { "`\($0)`" }.joined(separator: ", ")
      let list = known.isEmpty ? "it has none" : "its inputs are " + known.sorted().joined(separator: ", ")
      throw LaunchError(
        .request,
        "\(source) gives \(names), which \(runbook.file) does not ask for (\(list)); check the spelling")
    }
  }

  private func makeHeader(_ request: RunRequest, _ guide: CompiledGuide) -> JournalHeader {
    JournalHeader(
      runbook: .init(
        path: request.guidePath, id: guide.runbook.id, title: guide.runbook.title, sha256: guide.sha256),
      steps: guide.runbook.allSteps.map {
        .init(id: $0.id, fingerprint: StepFingerprint.of($0), content: StepFingerprint.content(of: $0))
      },
      created: clock.now(), operator: request.operatorName)
  }

  private func checkBelongs(_ header: JournalHeader, _ run: RunID, _ runbook: Runbook) throws(LaunchError) {
    guard header.runbook.id != runbook.id else { return }
    let recorded = header.runbook
    throw LaunchError(
      .request,
      "\(run) belongs to runbook \(recorded.id) (\(recorded.path)), not \(runbook.id); choose another --state"
    )
  }

  /// Runs the start of the session on a copy in memory, to list missing inputs without writing.
  private func preflight(
    _ request: RunRequest, _ runbook: Runbook, _ copy: MemoryJournal, _ provided: [String: String]
  ) throws(LaunchError) {
    let session = Session(
      runbook: runbook, log: copy, operator: request.operatorName, clock: clock, runner: runner)
    _ = try begin(session, request, copy.header.runbook.sha256)
    session.provided = provided
    let missing = UnattendedRun.problems(session)
    if !missing.isEmpty {
      let count = missing.count == 1 ? "1 input is" : "\(missing.count) inputs are"
      throw LaunchError(.inputsMissing(missing), "\(count) missing or invalid; nothing was run")
    }
  }

  private func openOrCreate(
    _ run: RunID, _ request: RunRequest, _ guide: CompiledGuide, _ holder: LockInfo
  ) throws(LaunchError) -> any RunJournal {
    do {
      if try store.exists(run) { return try store.open(run, holder: holder) }
      do {
        return try store.create(run, header: makeHeader(request, guide), holder: holder)
      } catch  where error.kind == .alreadyExists {
        // Another run created it since we looked: open it like any existing run.
        return try store.open(run, holder: holder)
      }
    } catch {
      throw LaunchError(error)
    }
  }

  private func begin(_ session: Session, _ request: RunRequest, _ sha256: String) throws(LaunchError)
    -> Session.Resumption
  {
    let resumption: Session.Resumption
    do {
      resumption = try session.begin(host: request.host, pid: request.pid, sha256: sha256)
    } catch {
      throw LaunchError(error)
    }
    if let from = request.from {
      do { try session.move(to: from) } catch {
        throw LaunchError(error.journal.map { .store($0.kind) } ?? .request, error.description)
      }
    }
    return resumption
  }
}

extension RunStore {
  /// Other places to look for a run's guide when it is not at the recorded path; none by
  /// default.
  public func places(ofGuide recorded: String, for run: RunID) -> [String] { [] }
}
