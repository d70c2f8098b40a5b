import RunbookCore
import RunbookEngine

/// The unattended transcript: what a guided run shows, written as the run goes, in document
/// order. Each unit the session reaches is written whole (headings, text with values filled in
/// and secrets masked, tables, code, notes), then its outcome once it is settled: `✓ done`,
/// `✓ read`, `↷ skipped: reason`, `✗ failed: reason`. Units a choice rules out are written too,
/// with why they do not apply, so that the transcript holds the whole guide.
public final class TranscriptWriter {
  let session: Session
  let style: TerminalStyle
  let write: (String) -> Void
  /// The units written (text) and settled (outcome written), as indices in the session's units.
  private var written = -1
  private var settled = -1
  private var acknowledged: Set<Int> = []
  /// Parent steps whose outcome waits for their sub-steps, innermost last.
  private var waiting: [Int] = []
  /// Each step's place among all steps, by id.
  private let positions: [String: Int]

  public init(session: Session, style: TerminalStyle, write: @escaping (String) -> Void) {
    self.session = session
    self.style = style
    self.write = write
    var positions: [String: Int] = [:]
    for (index, step) in session.runbook.allSteps.enumerated() where positions[step.id] == nil {
      positions[step.id] = index + 1
    }
    self.positions = positions
    let start = (session.currentUnitIndex ?? session.units.count) - 1
    written = start
    settled = start
  }

  /// The first lines of a run, guided or not: the title and the state's place, then "Starting
  /// a new run." for a new run (a resumed run says "Resuming…" with what is done, after this).
  public static func header(title: String, statePath: String, resumed: Bool) -> String {
    var lines = [Sanitizer.terminal(title, keepNewlines: false)]
    lines.append("State: " + Sanitizer.terminal(statePath, keepNewlines: false))
    if !resumed { lines.append("Starting a new run.") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes everything the session has reached since the last call: units passed (with their
  /// outcome) and the unit it is at now.
  public func update() {
    let current = session.currentUnitIndex ?? session.units.count
    while settled + 1 < current {
      let index = settled + 1
      if written < index { writeUnit(index) }
      writePreconditions(of: index)
      // A parent step is finished after its sub-steps: its outcome comes after theirs.
      if let step = session.units[index].step, session.firstOpenSubStep(of: step) != nil {
        waiting.append(index)
      } else {
        writeOutcome(index)
      }
      settled = index
      writeWaiting()
    }
    if current < session.units.count {
      if written < current { writeUnit(current) }
      writePreconditions(of: current)
    }
  }

  /// Writes what is left when the run stops: the units reached, and the outcome of the unit it
  /// stopped at when that is settled (a failed check, say).
  public func finish() {
    update()
    writeWaiting()
    guard let current = session.currentUnitIndex, current > settled, written >= current else { return }
    let unit = session.units[current]
    if let step = unit.step, session.state.status(of: step.id) == .failed {
      writeOutcome(current)
      settled = current
    }
  }

  private var text: UnitText {
    let values = session.displayValues
    return UnitText(
      renderer: TerminalRenderer(style: style, values: { values[$0] }), runbookTitle: session.runbook.title)
  }

  private func writeUnit(_ index: Int) {
    written = index
    let unit = session.units[index]
    let total = positions.count
    let position = unit.step.flatMap { positions[$0.id] }.map { ($0, total) }
    write("\n" + text.full(unit, position: position) + "\n")
  }

  /// The unit's preconditions acknowledged so far, each once.
  private func writePreconditions(of index: Int) {
    let renderer = text.renderer
    for note in session.units[index].preconditions
    where session.state.acknowledged.contains(note) && !acknowledged.contains(note) {
      acknowledged.insert(note)
      write("\n" + renderer.render(session.runbook.preconditions[note]) + "\n  ✓ acknowledged\n")
    }
  }

  /// The outcomes of parent steps finished since they waited for their sub-steps, named.
  private func writeWaiting() {
    while let index = waiting.last, let step = session.units[index].step,
      session.state.isFinished(step.id)
    {
      waiting.removeLast()
      writeOutcome(index, naming: "Step " + step.number)
    }
  }

  private func writeOutcome(_ index: Int, naming name: String? = nil) {
    let unit = session.units[index]
    let line: String
    switch unit.kind {
    case .page(let page):
      if session.state.pagesRead.contains(page.id) {
        line = "✓ read"
      } else if let reason = session.notApplicableReason(unit) {
        line = "↷ " + reason
      } else {
        line = "· not read"
      }
    case .step(let step):
      let record = session.state.steps[step.id]
      switch record?.status ?? .pending {
      case .done: line = "✓ done"
      case .skipped: line = "↷ skipped: " + (record?.reason ?? "")
      case .failed: line = "✗ failed: " + (record?.reason ?? "")
      case .pending: line = session.notApplicableReason(unit).map { "↷ " + $0 } ?? "· not finished"
      }
    }
    write("  " + Sanitizer.terminal(name.map { $0 + ": " + line } ?? line, keepNewlines: false) + "\n")
  }
}
