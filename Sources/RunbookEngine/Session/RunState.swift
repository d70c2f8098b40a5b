import Foundation
import RunbookCore

/// The current state of a run: the fold of its events. Nothing here is stored; it is always
/// recomputed from the journal, so the journal stays the single source of truth.
public struct RunState: Sendable, Equatable {
  public enum StepStatus: String, Sendable, Equatable, Codable {
    case pending, done, skipped, failed
  }

  public struct StepRecord: Sendable, Equatable {
    public var status: StepStatus = .pending
    public var by: String?
    public var at: Date?
    public var startedAt: Date?
    public var reason: String?
    /// The step's fingerprint when it was finished, to notice later edits.
    public var fingerprint: String?
    /// The step's content hash without its number when it was finished, to follow it when the
    /// guide renumbers it.
    public var content: String?
    public var confirmedRows: Set<String> = []
    /// Commands whose latest run failed (declining to run one again does not clear it).
    public var failedCommands: Set<Int> = []
    /// The latest failed run of each command in ``failedCommands``.
    public var commandFailures: [Int: Event] = [:]
    public var commands: [Int: Event] = [:]
    public var checks: [Int: Event] = [:]
  }

  public struct InputRecord: Sendable, Equatable {
    /// The value; nil for a secret (only that it was provided is recorded).
    public var value: String?
    public var secret: Bool
    public var by: String
    public var at: Date
    public var step: String?
    /// Earlier answers, oldest first, when the answer was changed.
    public var earlier: [Change] = []

    /// An answer that a later one replaced: its value (nil for a secret), who gave it and when.
    public struct Change: Sendable, Equatable {
      public var value: String?
      public var by: String
      public var at: Date
    }
  }

  public struct NoteRecord: Sendable, Equatable, Codable {
    public var step: String?
    public var text: String
    public var by: String
    public var at: Date
  }

  /// Commands and checks that were started and have no outcome recorded (the run was killed
  /// while they ran: their `command-started` or `check-started` event), and commands stopped
  /// part-way (their `command` event, `interrupted`), by ``runKey(step:index:check:)``.
  public var unfinished: [String: Event] = [:]
  public var steps: [String: StepRecord] = [:]

  /// What makes a finished run "completed with exceptions": in a step that was finished (done
  /// or skipped), a command whose latest run failed (allowed to fail, or the step was done
  /// anyway) or a check whose latest run failed (the step was then skipped). One entry per
  /// command or check, its latest failure, in the order they happened.
  public var exceptions: [Event] {
    var out: [Event] = []
    for record in steps.values where record.status == .done || record.status == .skipped {
      out += record.failedCommands.compactMap { record.commandFailures[$0] }
      out += record.checks.values.filter { $0.passed == false }
    }
    return out.sorted { $0.seq < $1.seq }
  }
  /// Steps renumbered by edits of the guide: after the event with sequence number `seq`, the
  /// history of each old id belongs to its new id.
  public var moves: [StepMove] = []

  /// Steps renumbered by an edit of the guide (a `runbook-changed` event).
  public struct StepMove: Sendable, Equatable {
    /// The sequence number of the event that recorded the move.
    public var seq: Int
    /// Old id to new id.
    public var moved: [String: String]
  }
  public var inputs: [String: InputRecord] = [:]
  public var acknowledged: Set<Int> = []
  /// Reading pages acknowledged, by page id.
  public var pagesRead: Set<String> = []
  public var notes: [NoteRecord] = []
  /// Everyone who took part, in order of first appearance.
  public var operators: [String] = []
  public var started: Date?
  public var lastEvent: Event?
  public var completed: Date?
  /// When the run was last interrupted (Ctrl-C, SIGTERM, SIGHUP, output closed).
  public var interrupted: Date?
  /// The SHA-256 of the guide as last seen (the header's, or a later `runbook-changed`).
  public var runbookSHA256: String?
  public var events: Int = 0

  public init() {}

  /// Folds a journal's events.
  public init(header: JournalHeader, events: [Event]) {
    runbookSHA256 = header.runbook.sha256
    for index in events.indices { fold(events[index]) }
    lastEvent = events.last
  }

  public mutating func apply(_ event: Event) {
    fold(event)
    lastEvent = event
  }

  /// `apply` without keeping the event as `lastEvent` (copying an event costs a retain of each
  /// of its strings; folding a long journal sets `lastEvent` once, at the end).
  private mutating func fold(_ event: Event) {
    events += 1
    if !operators.contains(event.operator) { operators.append(event.operator) }
    switch event.type {
    case .started:
      started = started ?? event.at
    case .preconditionAcknowledged:
      if let index = event.index { acknowledged.insert(index) }
    case .input, .inputChanged:
      if let id = event.input {
        var record = InputRecord(
          value: event.secret == true ? nil : event.value, secret: event.secret == true, by: event.operator,
          at: event.at, step: event.step)
        if event.type == .inputChanged, let old = inputs[id] {
          record.step = old.step
          record.earlier = old.earlier + [.init(value: old.value, by: old.by, at: old.at)]
        }
        inputs[id] = record
      }
    case .stepStarted:
      update(event.step) { $0.startedAt = $0.startedAt ?? event.at }
    case .stepDone:
      update(event.step) {
        $0.status = .done
        $0.by = event.operator
        $0.at = event.at
        $0.reason = event.reason
        $0.fingerprint = event.fingerprint
        $0.content = event.content
      }
    case .stepSkipped:
      update(event.step) {
        $0.status = .skipped
        $0.by = event.operator
        $0.at = event.at
        $0.reason = event.reason
        $0.fingerprint = event.fingerprint
        $0.content = event.content
      }
    case .stepReopened:
      update(event.step) {
        $0 = StepRecord()
      }
      completed = nil
    case .rowConfirmed:
      update(event.step) { $0.confirmedRows.insert("\(event.table ?? 0):\(event.index ?? 0)") }
    case .commandStarted, .checkStarted:
      unfinished[
        Self.runKey(step: event.step ?? "", index: event.index ?? 0, check: event.type == .checkStarted)] =
        event
    case .command:
      // A command stopped part-way stays unfinished, now as stopped rather than started (the
      // warning then says it may have run partly, not that it may still run): running it again
      // needs a person's say-so.
      unfinished[Self.runKey(step: event.step ?? "", index: event.index ?? 0, check: false)] =
        event.interrupted == true ? event : nil
      update(event.step) {
        $0.commands[event.index ?? 0] = event
        if event.passed == false {
          $0.failedCommands.insert(event.index ?? 0)
          $0.commandFailures[event.index ?? 0] = event
        }
        if event.passed == true {
          $0.failedCommands.remove(event.index ?? 0)
          $0.commandFailures[event.index ?? 0] = nil
        }
      }
    case .check:
      unfinished[Self.runKey(step: event.step ?? "", index: event.index ?? 0, check: true)] = nil
      update(event.step) {
        $0.checks[event.index ?? 0] = event
        if event.passed == false {
          $0.status = .failed
          $0.reason = event.reason
          $0.at = event.at
          $0.by = event.operator
        } else if $0.status == .failed {
          $0.status = .pending
          $0.reason = nil
        }
      }
    case .note:
      if let text = event.text {
        notes.append(NoteRecord(step: event.step, text: text, by: event.operator, at: event.at))
      }
    case .completed:
      completed = event.at
    case .runbookChanged:
      if let sha = event.sha256 { runbookSHA256 = sha }
      if let moved = event.moved, !moved.isEmpty { move(moved, at: event.seq) }
    case .interrupted:
      interrupted = event.at
    case .pageRead:
      if let page = event.page { pagesRead.insert(page) }
    case .resumed, .paused, .failed, .movedTo:
      break
    }
  }

  private mutating func update(_ step: String?, _ change: (inout StepRecord) -> Void) {
    guard let step else { return }
    change(&steps[step, default: StepRecord()])
  }

  /// Gives the history of each old step id to its new id (see ``moves``).
  public mutating func move(_ moved: [String: String], at seq: Int) {
    var renamed: [String: StepRecord] = [:]
    for (id, record) in steps { renamed[moved[id] ?? id] = record }
    steps = renamed
    for index in notes.indices {
      if let step = notes[index].step, let to = moved[step] { notes[index].step = to }
    }
    var still: [String: Event] = [:]
    for var started in unfinished.values {
      if let step = started.step, let to = moved[step] { started.step = to }
      still[
        Self.runKey(step: started.step ?? "", index: started.index ?? 0, check: started.type == .checkStarted)
      ] =
        started
    }
    unfinished = still
    moves.append(StepMove(seq: seq, moved: moved))
  }

  /// Steps whose content now sits under another id in `order` (the guide's steps now, which
  /// renumbered them): old id to new id, only where that is unambiguous (one step with that content, and no history of its own
  /// left in the way). Ids are positional; this keeps history with the step it happened in.
  public func moves(toward order: [Step], header: JournalHeader) -> [String: String] {
    var idsByContent: [String: [String]] = [:]
    var contentByID: [String: String] = [:]
    for step in order {
      let content = StepFingerprint.content(of: step)
      idsByContent[content, default: []].append(step.id)
      contentByID[step.id] = contentByID[step.id] ?? content
    }
    // The header's contents are the guide's at creation; good only if it never changed since.
    let unchangedSinceCreation = (runbookSHA256 ?? header.runbook.sha256) == header.runbook.sha256
    var created: [String: String] = [:]
    if unchangedSinceCreation {
      for ref in header.steps { if let content = ref.content { created[ref.id] = content } }
    }
    var moves: [String: String] = [:]
    for (id, record) in steps {
      guard let old = record.content ?? created[id], contentByID[id] != old,
        let targets = idsByContent[old], targets.count == 1, targets[0] != id
      else { continue }
      moves[id] = targets[0]
    }
    var targetCount: [String: Int] = [:]
    for target in moves.values { targetCount[target, default: 0] += 1 }
    return moves.filter { _, to in targetCount[to] == 1 && (steps[to] == nil || moves[to] != nil) }
  }

  /// The id that a step recorded as `id` by the event with sequence number `seq` has now.
  public func stepID(_ id: String, recordedAt seq: Int) -> String {
    var current = id
    for move in moves where move.seq > seq {
      if let to = move.moved[current] { current = to }
    }
    return current
  }

  /// The key of a step's command or check in ``unfinished``.
  public static func runKey(step: String, index: Int, check: Bool) -> String {
    "\(check ? "check" : "command") \(index) of \(step)"
  }

  public func status(of step: String) -> StepStatus { steps[step]?.status ?? .pending }

  /// True when a step is finished (done or skipped).
  public func isFinished(_ step: String) -> Bool {
    let s = status(of: step)
    return s == .done || s == .skipped
  }
}
