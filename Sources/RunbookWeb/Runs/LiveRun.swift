import Dispatch
import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports
import Synchronization

/// A run this server drives: its ``Session`` and journal, and the one serial queue they are used
/// on. The engine is synchronous (an answer may run a command for minutes and appends with
/// `fsync`), so nothing of it runs on Swift concurrency's cooperative pool: every use of the
/// session is a closure on ``queue`` (a `DispatchQueue` of its own, so one run's long command
/// never holds up another run or the server), and async handlers wait for it through a
/// continuation. What pages need while a command runs (the last state, the output so far) is
/// kept in a snapshot that never waits for the queue.
final class LiveRun: @unchecked Sendable {
  let run: RunID
  let driver: WebOperator
  let feed: RunFeed

  /// Confined to ``queue``: the session and its journal, nil once closed.
  private var launched: LaunchedRun?
  private let queue: DispatchQueue
  private let store: any RunStore
  private let clock: any WallClock
  private let writesReports: Bool
  private let shared = Mutex(Shared())

  /// What handlers read without waiting for the queue.
  private struct Shared {
    var snapshot: LiveSnapshot?
    /// What the run is doing right now, e.g. "running the command of step 7".
    var busy: String?
    /// Output of the command running now (masked), at most ``outputLimit`` bytes.
    var output = ""
    var lastUsed = Date.distantPast
    /// A message for a browser, shown once on its next page (after a redirect).
    var messages: [String: String] = [:]
    var closed = false
  }

  static let outputLimit = 64 * 1024

  /// How an action ended.
  enum Outcome: Sendable, Equatable {
    /// Done; the message (a refused value, a failed check) is for the operator.
    case answered(String?)
    /// The run was no longer at the prompt the page showed: nothing was changed.
    case stale
    /// The run was released (saved and left, or completed).
    case released(String?)
    /// The journal could not be written; the run was released.
    case failed(String)
  }

  private init(
    run: RunID, driver: WebOperator, feed: RunFeed, store: any RunStore, clock: any WallClock,
    writesReports: Bool
  ) {
    self.run = run
    self.clock = clock
    self.writesReports = writesReports
    self.driver = driver
    self.feed = feed
    self.store = store
    queue = DispatchQueue(label: "runbook.run")
  }

  /// Launches (starts or resumes) a run on a queue of its own.
  static func launch(
    _ request: RunRequest, hub: RunHub, driver: WebOperator
  ) async throws(LaunchError) -> LiveRun {
    // The run id is known only after compiling (the store's default run of the guide): launch
    // on a queue first, then give the run its feed.
    let queue = DispatchQueue(label: "runbook.launch")
    let box = LaunchBox()
    let result: Result<RunID, LaunchError> = await withCheckedContinuation { continuation in
      queue.async {
        do throws(LaunchError) {
          let launched = try hub.launcher.launch(request)
          box.launched = launched
          continuation.resume(returning: .success(launched.run))
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    }
    let run = try result.get()
    let live = LiveRun(
      run: run, driver: driver, feed: hub.feed(for: run), store: hub.store, clock: hub.clock,
      writesReports: hub.writesReports)
    await live.adopt(box)
    return live
  }

  /// Carries the launched run from the launch queue to the run's queue (touched by one queue at
  /// a time, in order).
  private final class LaunchBox: @unchecked Sendable {
    var launched: LaunchedRun?
  }

  private func adopt(_ box: LaunchBox) async {
    await onQueue { [self] in
      launched = box.launched
      box.launched = nil
      if let session = launched?.session {
        // A person drives the run in the browser: shell blocks are offered, as at a terminal.
        session.offersShellBlocks = true
        let feed = self.feed
        session.output = { [weak self] text in
          self?.shared.withLock { shared in
            shared.output += text
            if shared.output.utf8.count > Self.outputLimit {
              shared.output = String(decoding: shared.output.utf8.suffix(Self.outputLimit), as: UTF8.self)
            }
          }
          feed.publish(.output(text))
        }
      }
      refresh()
    }
    feed.know(seq: snapshot?.lastSeq ?? 0)
  }

  /// Runs `work` on the run's queue and waits for it without blocking a thread of the pool.
  private func onQueue<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: work()) }
    }
  }

  // MARK: - Reading

  /// The run as of the last action (never waits for a running command).
  var snapshot: LiveSnapshot? {
    shared.withLock { shared in
      guard var snapshot = shared.snapshot else { return nil }
      snapshot.busy = shared.busy
      snapshot.output = shared.output
      return snapshot
    }
  }

  var isBusy: Bool { shared.withLock { $0.busy != nil } }
  var isClosed: Bool { shared.withLock { $0.closed } }
  var lastUsed: Date { shared.withLock { $0.lastUsed } }

  /// The message left for a browser by its last action, removed as it is read.
  func takeMessage(for browser: String) -> String? {
    shared.withLock { $0.messages.removeValue(forKey: browser) }
  }

  func leave(_ message: String?, for browser: String) {
    guard let message else { return }
    shared.withLock { $0.messages[browser] = message }
  }

  /// Recomputes the snapshot (with the prompt when the caller just asked for it); on the queue
  /// only.
  private func refresh(_ known: Prompt? = nil) {
    guard let launched else { return }
    let session = launched.session
    let prompt = known ?? session.next()
    var pending: [Input] = []
    if case .input(_, let step, _) = prompt {
      let inputs = step.map(session.neededInputs) ?? session.startInputs
      pending = inputs.filter { session.values[$0.id] == nil }
    }
    var warning: String? = nil
    if case .finishStep(let step) = prompt { warning = session.finishWarning(step) }
    let snapshot = LiveSnapshot(
      run: run, header: launched.journal.header, runbook: session.runbook, state: session.state,
      lastSeq: launched.journal.events.last?.seq ?? 0, prompt: prompt, values: session.displayValues,
      pendingInputs: pending, finishWarning: warning, driver: driver, ended: session.ended)
    let now = clock.now()
    shared.withLock {
      $0.snapshot = snapshot
      $0.lastUsed = now
    }
  }

  // MARK: - Acting

  /// Answers the prompt the run is at with `action`, if the run is still at `expected` (the
  /// prompt the operator saw; nil to skip the comparison), then runs the checks that come next
  /// by themselves, as the terminal does.
  func perform(_ action: RunAction, expected: String?) async -> Outcome {
    let started = clock.now()
    shared.withLock {
      $0.busy = Self.busyText(action, $0.snapshot?.prompt)
      $0.output = ""
      $0.lastUsed = started
    }
    feed.publish(.changed)
    let outcome = await onQueue { [self] in act(action, expected: expected) }
    let ended = clock.now()
    shared.withLock {
      $0.busy = nil
      $0.lastUsed = ended
    }
    feed.publish(.changed)
    return outcome
  }

  private static func busyText(_ action: RunAction, _ prompt: Prompt?) -> String? {
    switch (action, prompt) {
    case (.run, .some(.command(let step, _, _))): return "Running the command of step \(step.number)…"
    case (.run, .some(.check(let step, _, _))), (.run, .some(.checkFailed(let step, _, _))):
      return "Running the check of step \(step.number)…"
    default: return "Saving…"
    }
  }

  /// On the queue. The web never gives values ahead of time (`provided`), so the prompt asked
  /// is the prompt shown.
  private func act(_ action: RunAction, expected: String?) -> Outcome {
    guard let session = launched?.session else { return .released(nil) }
    do {
      if action.needsPrompt, let expected, PromptKey.of(session.next()) != expected { return .stale }
      var message = try answer(action, session)
      // Checks run by themselves when their step is reached, as at a terminal.
      var prompt = session.next()
      while !session.ended, case .check = prompt {
        if let failed = try session.answer(.run) { message = failed }
        prompt = session.next()
      }
      if session.ended || session.state.completed != nil {
        let completed = session.state.completed != nil
        if completed && writesReports { writeReports() }
        closeJournal()
        return .released(completed ? "The run is complete." : "Saved. Anyone can resume the run now.")
      }
      refresh(prompt)
      return .answered(message)
    } catch {
      closeJournal()
      return .failed(error.description)
    }
  }

  private func answer(_ action: RunAction, _ session: Session) throws(SessionError) -> String? {
    switch action {
    case .values(let given):
      var answered = false
      while case .input(let input, _, _) = session.next(), let raw = given[input.id] {
        let value = raw.isEmpty ? (input.defaultValue ?? "") : raw
        answered = true
        if let refused = try session.answer(.value(value)) { return refused }
      }
      return answered ? nil : "Fill in the field shown."
    case .confirmRows(let rows):
      var confirmed = false
      while case .confirmRow(_, let table, let row, _, _) = session.next(), rows.contains("\(table):\(row)") {
        try session.answer(.confirm)
        confirmed = true
      }
      return confirmed ? nil : "Tick the rows you have checked, from the first one not yet confirmed."
    case .confirmAll: return try session.answer(.confirmAll)
    case .acknowledge: return try session.answer(.acknowledge)
    case .run:
      if case .checkFailed = session.next() { return try session.answer(.retry) }
      return try session.answer(.run)
    case .notNow: return try session.answer(.skipCommand)
    case .done: return try session.answer(.done)
    case .doneDespite(let reason): return try session.answer(.doneDespite(reason: reason))
    case .change(let input, let value): return try session.answer(.change(input: input, value: value))
    case .skip(let reason): return try session.answer(.skip(reason: reason))
    case .back: return try session.answer(.back)
    case .note(let text): return try session.answer(.note(text))
    case .quit: return try session.answer(.quit)
    }
  }

  /// The completion reports beside the state, as `runbook run` writes them; a failure here
  /// does not undo the run. Written on the run's queue once the last answer has been returned:
  /// rendering them takes longer than the answer itself, and nothing else of the run waits.
  private func writeReports() {
    guard let launched else { return }
    let (store, run, runbook, guideSHA256) = (store, run, launched.runbook, launched.guideSHA256)
    queue.async {
      _ = try? ReportWriter.writeCompletionReports(
        store: store, run: run, runbook: runbook, guideSHA256: guideSHA256)
    }
  }

  /// On the queue: releases the lock; the snapshot stays for the last page.
  private func closeJournal() {
    launched?.journal.close()
    refresh()
    launched = nil
    shared.withLock { $0.closed = true }
  }

  /// Releases the run (idle, taken over, or the server stops) without recording anything: the
  /// journal is complete as it is, and the next driver resumes it.
  func close() async {
    await onQueue { [self] in closeJournal() }
    feed.publish(.changed)
  }
}

/// A run driven here, as of its last action.
struct LiveSnapshot: Sendable {
  var run: RunID
  var header: JournalHeader
  var runbook: Runbook
  var state: RunState
  var lastSeq: Int
  var prompt: Prompt
  /// Values to show, secrets masked, derived values included.
  var values: [String: String]
  /// The inputs the step (or the start) still needs, asked together when the prompt is an input.
  var pendingInputs: [Input]
  /// Why the step cannot simply be done (a command failed), when the prompt is to finish it.
  var finishWarning: String?
  var driver: WebOperator
  var ended: Bool
  var busy: String?
  var output = ""
}
