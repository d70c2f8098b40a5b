import Foundation
import RunbookEngine

/// A picture of a run in time, built from its journal: the sessions (who drove the run, on
/// which host, from when to when, how each ended), and for each step the spans of time spent on
/// it (by whom), with its failed checks, skip, reopenings and interruptions marked. The HTML
/// report draws it as inline SVG (``TimelineSVG``), the Markdown report as text
/// (``TimelineText``).
public struct Timeline: Sendable, Equatable {
  /// One session: from `started`/`resumed` to `paused`, `interrupted`, `completed`, or the last
  /// event before the next session (a crash) or the end of the journal (still open).
  public struct Session: Sendable, Equatable {
    public var operatorName: String
    public var host: String?
    public var start: Date
    public var end: Date
    public var ending: Ending
    /// Steps finished in this session, by number (or id).
    public var done: [String] = []
    public var skipped: [String] = []
    public var failedChecks = 0
  }

  /// How a session ended.
  public enum Ending: String, Sendable, Equatable {
    case paused, interrupted, completed
    /// Another session began without this one ending: the process was killed.
    case cutOff = "cut off"
    /// It has not ended: the run is in progress, or its process was killed.
    case open
  }

  /// Time spent on a step by one operator.
  public struct Span: Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var operatorName: String

    public init(start: Date, end: Date, operatorName: String) {
      self.start = start
      self.end = end
      self.operatorName = operatorName
    }
  }

  /// Something that happened to a step at a moment.
  public struct Mark: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
      case done, skipped
      case failedCheck = "failed check"
      case failedCommand = "failed command"
      case reopened, interrupted
    }
    public var kind: Kind
    public var at: Date
    public var operatorName: String
  }

  public struct Row: Sendable, Equatable {
    /// As a reader sees it (`3`, `5.a`), or the id when the runbook was not found.
    public var label: String
    public var title: String
    public var id: String
    public var spans: [Span] = []
    public var marks: [Mark] = []
  }

  public var sessions: [Session]
  public var rows: [Row]
  /// Everyone who drove a session, in order of first appearance (their colour order).
  public var operators: [String]

  public var start: Date? { sessions.first?.start }
  public var end: Date? { sessions.map(\.end).max() }

  /// Builds the timeline of a journal. `steps` lists the steps in order (label, title, id);
  /// `state` maps recorded step ids to current ones (steps renumbered by an edit).
  public init(events: [Event], steps: [(label: String, title: String, id: String)], state: RunState) {
    var rows = steps.map { Row(label: $0.label, title: $0.title, id: $0.id) }
    var rowIndex: [String: Int] = [:]
    for (index, row) in rows.enumerated() where rowIndex[row.id] == nil { rowIndex[row.id] = index }
    var sessions: [Session] = []
    var operators: [String] = []
    var current: (row: Int, since: Date)?
    var lastAt: Date?

    func row(_ event: Event) -> Int? {
      guard let step = event.step else { return nil }
      let id = state.stepID(step, recordedAt: event.seq)
      if let index = rowIndex[id] { return index }
      rowIndex[id] = rows.count
      rows.append(Row(label: id, title: "", id: id))
      return rows.count - 1
    }
    func closeSpan(at: Date) {
      guard let open = current, let session = sessions.last else { return }
      if at > open.since {
        rows[open.row].spans.append(Span(start: open.since, end: at, operatorName: session.operatorName))
      }
      current = (open.row, at)
    }
    func closeSession(_ ending: Ending, at: Date) {
      guard let last = sessions.last, last.ending == .open else { return }
      closeSpan(at: at)
      sessions[sessions.count - 1].end = at
      sessions[sessions.count - 1].ending = ending
    }
    func mark(_ kind: Mark.Kind, _ event: Event) {
      guard let index = row(event) else { return }
      rows[index].marks.append(Mark(kind: kind, at: event.at, operatorName: event.operator))
    }

    for event in events {
      defer { lastAt = event.at }
      switch event.type {
      case .started, .resumed:
        if let lastAt { closeSession(.cutOff, at: lastAt) }
        sessions.append(
          Session(
            operatorName: event.operator, host: event.host, start: event.at, end: event.at, ending: .open))
        if !operators.contains(event.operator) { operators.append(event.operator) }
        if let open = current { current = (open.row, event.at) }
        continue
      case .paused: closeSession(.paused, at: event.at)
      case .completed: closeSession(.completed, at: event.at)
      case .interrupted:
        mark(.interrupted, event)
        closeSession(.interrupted, at: event.at)
      default:
        guard !sessions.isEmpty, sessions[sessions.count - 1].ending == .open else { break }
        sessions[sessions.count - 1].end = event.at
        if let index = row(event), current?.row != index {
          closeSpan(at: event.at)
          current = (index, event.at)
        }
        switch event.type {
        case .stepDone, .stepSkipped:
          closeSpan(at: event.at)
          current = nil
          let done = event.type == .stepDone
          mark(done ? .done : .skipped, event)
          if let index = row(event) {
            if done {
              sessions[sessions.count - 1].done.append(rows[index].label)
            } else {
              sessions[sessions.count - 1].skipped.append(rows[index].label)
            }
          }
        case .check where event.passed == false:
          mark(.failedCheck, event)
          sessions[sessions.count - 1].failedChecks += 1
        case .command where event.passed == false:
          mark(.failedCommand, event)
        case .stepReopened:
          mark(.reopened, event)
        default: break
        }
      }
    }
    if let lastAt, let last = sessions.last, last.ending == .open {
      closeSpan(at: lastAt)
      sessions[sessions.count - 1].end = lastAt
    }
    self.sessions = sessions
    self.rows = rows
    self.operators = operators
  }
}
