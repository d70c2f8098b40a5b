import Foundation

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
    var builder = Builder()
    for index in events.indices { builder.add(events[index]) }
    self = builder.timeline(steps: steps, state: state)
  }

  /// Gathers a timeline event by event, keeping only sessions, spans and marks (never an event's
  /// text), so a long journal is never held whole.
  public struct Builder: Sendable {
    private var sessions: [Session] = []
    private var operators: [String] = []
    /// Spans and marks by the step id as recorded, with the sequence number that recorded it.
    private var spans: [(step: String, seq: Int, span: Span)] = []
    private var marks: [(step: String, seq: Int, mark: Mark, label: Bool)] = []
    private var current: (step: String, seq: Int, since: Date)?
    private var lastAt: Date?

    public init() {}

    public mutating func add(_ event: Event) {
      defer { lastAt = event.at }
      switch event.type {
      case .started, .resumed:
        if let lastAt { closeSession(.cutOff, at: lastAt) }
        sessions.append(
          Session(
            operatorName: event.operator, host: event.host, start: event.at, end: event.at, ending: .open))
        if !operators.contains(event.operator) { operators.append(event.operator) }
        if let open = current { current = (open.step, open.seq, event.at) }
      case .paused: closeSession(.paused, at: event.at)
      case .completed: closeSession(.completed, at: event.at)
      case .interrupted:
        mark(.interrupted, event)
        closeSession(.interrupted, at: event.at)
      default:
        guard let last = sessions.last, last.ending == .open else { return }
        sessions[sessions.count - 1].end = event.at
        if let step = event.step, current?.step != step {
          closeSpan(at: event.at)
          current = (step, event.seq, event.at)
        }
        switch event.type {
        case .stepDone, .stepSkipped:
          closeSpan(at: event.at)
          current = nil
          mark(event.type == .stepDone ? .done : .skipped, event, label: true)
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

    private mutating func closeSpan(at: Date) {
      guard let open = current, let session = sessions.last else { return }
      if at > open.since {
        spans.append(
          (open.step, open.seq, Span(start: open.since, end: at, operatorName: session.operatorName)))
      }
      current = (open.step, open.seq, at)
    }

    private mutating func closeSession(_ ending: Ending, at: Date) {
      guard let last = sessions.last, last.ending == .open else { return }
      closeSpan(at: at)
      sessions[sessions.count - 1].end = at
      sessions[sessions.count - 1].ending = ending
    }

    /// `label`: the step's label goes into its session's list of steps done or skipped.
    private mutating func mark(_ kind: Mark.Kind, _ event: Event, label: Bool = false) {
      guard let step = event.step else { return }
      marks.append((step, event.seq, Mark(kind: kind, at: event.at, operatorName: event.operator), label))
    }

    /// The timeline, its rows in the order of `steps` (then any step the journal names that
    /// `steps` does not, by its id).
    public func timeline(steps: [(label: String, title: String, id: String)], state: RunState) -> Timeline {
      var builder = self
      if let lastAt, let last = builder.sessions.last, last.ending == .open {
        builder.closeSpan(at: lastAt)
        builder.sessions[builder.sessions.count - 1].end = lastAt
      }
      var rows = steps.map { Row(label: $0.label, title: $0.title, id: $0.id) }
      var rowIndex: [String: Int] = [:]
      for (index, row) in rows.enumerated() where rowIndex[row.id] == nil { rowIndex[row.id] = index }
      func row(_ recorded: String, _ seq: Int) -> Int {
        let id = state.stepID(recorded, recordedAt: seq)
        if let index = rowIndex[id] { return index }
        rowIndex[id] = rows.count
        rows.append(Row(label: id, title: "", id: id))
        return rows.count - 1
      }
      for (step, seq, span) in builder.spans { rows[row(step, seq)].spans.append(span) }
      var sessions = builder.sessions
      for (step, seq, mark, label) in builder.marks {
        let index = row(step, seq)
        rows[index].marks.append(mark)
        guard label, let session = sessions.lastIndex(where: { $0.start <= mark.at }) else { continue }
        if mark.kind == .done {
          sessions[session].done.append(rows[index].label)
        } else {
          sessions[session].skipped.append(rows[index].label)
        }
      }
      for index in rows.indices { rows[index].spans.sort { $0.start < $1.start } }
      return Timeline(sessions: sessions, rows: rows, operators: builder.operators)
    }
  }

  public init(sessions: [Session], rows: [Row], operators: [String]) {
    self.sessions = sessions
    self.rows = rows
    self.operators = operators
  }
}
