import Foundation
import RunbookCore
import RunbookEngine

/// Draws a ``Timeline`` as inline SVG for the HTML report: no script, no external resource,
/// every text escaped. Sessions run along the top in their operator's colour, with long pauses
/// cut to a narrow break; each step is a row with bars for the time spent on it and marks for
/// what happened. Time inside sessions is to scale; pauses are not.
enum TimelineSVG {
  static let width = 960.0
  static let labelWidth = 300.0
  static let right = 940.0
  static let rowHeight = 20.0
  static let top = 64.0
  static let gapWidth = 26.0
  /// Okabe–Ito colours, told apart by colour-blind readers too.
  static let palette = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
  ]

  static func render(_ timeline: Timeline, summary: String) -> String {
    guard !timeline.sessions.isEmpty else { return "" }
    let scale = Scale(timeline.sessions, from: labelWidth, to: right, gap: gapWidth)
    let rowsHeight = Double(timeline.rows.count) * rowHeight
    let height = top + rowsHeight + 56
    var svg: [String] = [
      "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" aria-labelledby=\"timeline-title timeline-desc\">",
      "<title id=\"timeline-title\">Timeline of the run</title>",
      "<desc id=\"timeline-desc\">\(escape(summary))</desc>",
      "<style>text{font:11px system-ui,sans-serif;fill:#1f2328}.m{fill:#59636e}.b{font-weight:600}</style>",
    ]
    func colour(_ name: String) -> String {
      palette[(timeline.operators.firstIndex(of: name) ?? 0) % palette.count]
    }
    // Sessions along the top, pauses as breaks between them.
    for (index, session) in timeline.sessions.enumerated() {
      let x0 = scale.x(session.start)
      let x1 = max(scale.x(session.end), x0 + 2)
      svg.append(
        "<rect x=\"\(n(x0))\" y=\"30\" width=\"\(n(x1 - x0))\" height=\"14\" rx=\"3\" fill=\"\(colour(session.operatorName))\"><title>\(escape(sessionTitle(session)))</title></rect>"
      )
      if index == 0 || timeline.sessions[index - 1].operatorName != session.operatorName {
        let label = index == 0 ? session.operatorName : "→ " + session.operatorName
        svg.append("<text x=\"\(n(x0))\" y=\"24\" class=\"b\">\(escape(clip(label, 24)))</text>")
      }
      if index > 0 {
        let gapX = scale.x(session.start) - gapWidth / 2 - 1
        let pause = session.start.timeIntervalSince(timeline.sessions[index - 1].end)
        svg.append(
          "<path d=\"M\(n(gapX - 3)) 28 l6 4 l-6 4 l6 4 l-6 4 l6 4\" stroke=\"#59636e\" fill=\"none\"/>"
            + "<line x1=\"\(n(gapX))\" y1=\"\(n(top - 8))\" x2=\"\(n(gapX))\" y2=\"\(n(top + rowsHeight))\" stroke=\"#d0d7de\" stroke-dasharray=\"3 3\"/>"
            + "<text x=\"\(n(gapX))\" y=\"58\" class=\"m\" text-anchor=\"middle\">\(escape(TimelineText.pause(pause)))</text>"
        )
      }
      if session.ending == .interrupted {
        svg.append(
          "<line x1=\"\(n(x1))\" y1=\"28\" x2=\"\(n(x1))\" y2=\"\(n(top + rowsHeight))\" stroke=\"#D55E00\" stroke-width=\"1.5\"><title>interrupted</title></line>"
        )
      }
    }
    // One row per step.
    for (index, row) in timeline.rows.enumerated() {
      let y = top + Double(index) * rowHeight
      if index % 2 == 0 {
        svg.append(
          "<rect x=\"0\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(rowHeight))\" fill=\"#f6f8fa\"/>")
      }
      let label = row.title.isEmpty ? row.label : row.label + "  " + row.title
      svg.append(
        "<text x=\"6\" y=\"\(n(y + 14))\">\(escape(clip(label, 46)))<title>\(escape(label))</title></text>")
      for span in row.spans {
        let x0 = scale.x(span.start)
        let x1 = max(scale.x(span.end), x0 + 2)
        svg.append(
          "<rect x=\"\(n(x0))\" y=\"\(n(y + 5))\" width=\"\(n(x1 - x0))\" height=\"10\" rx=\"2\" fill=\"\(colour(span.operatorName))\"><title>\(escape("\(span.operatorName), \(TimelineText.clock(span.start))–\(TimelineText.clock(span.end))"))</title></rect>"
        )
      }
      for mark in row.marks {
        let title = "\(mark.kind.rawValue), \(TimelineText.clock(mark.at)), \(mark.operatorName)"
        svg.append(symbol(mark.kind, x: scale.x(mark.at), y: y + 10, title: title))
      }
    }
    // Legend.
    var x = 6.0
    let legendY = top + rowsHeight + 24
    for name in timeline.operators {
      svg.append(
        "<rect x=\"\(n(x))\" y=\"\(n(legendY - 9))\" width=\"10\" height=\"10\" rx=\"2\" fill=\"\(colour(name))\"/><text x=\"\(n(x + 14))\" y=\"\(n(legendY))\">\(escape(clip(name, 28)))</text>"
      )
      x += 24 + Double(min(name.count, 28)) * 6.5
    }
    let kinds: [Timeline.Mark.Kind] = [
      .done, .skipped, .failedCheck, .failedCommand, .reopened, .interrupted,
    ]
    x = 6
    for kind in kinds {
      svg.append(
        symbol(kind, x: x + 5, y: legendY + 16, title: nil)
          + "<text x=\"\(n(x + 14))\" y=\"\(n(legendY + 20))\" class=\"m\">\(kind.rawValue)</text>")
      x += 24 + Double(kind.rawValue.count) * 6.5
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }

  /// A mark's symbol at (x, y), with a tooltip when `title` is given.
  static func symbol(_ kind: Timeline.Mark.Kind, x: Double, y: Double, title: String?) -> String {
    let tip = title.map { "<title>\(escape($0))</title>" } ?? ""
    switch kind {
    case .done:
      return
        "<path d=\"M\(n(x - 4)) \(n(y)) l3 3 l5 -6\" stroke=\"#116329\" stroke-width=\"2\" fill=\"none\">\(tip)</path>"
    case .skipped:
      return "<path d=\"M\(n(x)) \(n(y - 5)) l5 5 l-5 5 l-5 -5 z\" fill=\"#8250df\">\(tip)</path>"
    case .failedCheck:
      return
        "<path d=\"M\(n(x - 4)) \(n(y - 4)) l8 8 m0 -8 l-8 8\" stroke=\"#cf222e\" stroke-width=\"2.5\">\(tip)</path>"
    case .failedCommand:
      return
        "<path d=\"M\(n(x - 4)) \(n(y - 4)) l8 8 m0 -8 l-8 8\" stroke=\"#bc4c00\" stroke-width=\"1.5\">\(tip)</path>"
    case .reopened:
      return
        "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4\" fill=\"#fff\" stroke=\"#59636e\" stroke-width=\"1.5\">\(tip)</circle>"
    case .interrupted:
      return
        "<rect x=\"\(n(x - 1))\" y=\"\(n(y - 6))\" width=\"2.5\" height=\"12\" fill=\"#D55E00\">\(tip)</rect>"
    }
  }

  /// Maps times to x: each session gets width in proportion to its length, and every pause
  /// between sessions the same narrow break.
  struct Scale {
    var starts: [(time: Date, length: TimeInterval, x: Double, width: Double)] = []

    init(_ sessions: [Timeline.Session], from x0: Double, to x1: Double, gap: Double) {
      let lengths = sessions.map { max($0.end.timeIntervalSince($0.start), 0) }
      let total = lengths.reduce(0, +)
      let room = x1 - x0 - gap * Double(max(sessions.count - 1, 0))
      var x = x0
      for (index, session) in sessions.enumerated() {
        let share = total > 0 ? lengths[index] / total : 1 / Double(sessions.count)
        let width = max(room * share, 4)
        starts.append((session.start, lengths[index], x, width))
        x += width + gap
      }
    }

    func x(_ time: Date) -> Double {
      guard var chosen = starts.first else { return 0 }
      for start in starts where start.time <= time { chosen = start }
      let into = time.timeIntervalSince(chosen.time)
      let fraction = chosen.length > 0 ? min(max(into / chosen.length, 0), 1) : 0
      return chosen.x + fraction * chosen.width
    }
  }

  static func sessionTitle(_ s: Timeline.Session) -> String {
    "\(s.operatorName)\(s.host.map { " on \($0)" } ?? ""), \(TimelineText.clock(s.start))–\(TimelineText.clock(s.end)), \(s.ending.rawValue)"
  }

  static func n(_ value: Double) -> String { String(format: "%.1f", value) }

  static func clip(_ text: String, _ length: Int) -> String {
    text.count <= length ? text : String(text.prefix(length - 1)) + "…"
  }

  /// Text for SVG: XML's five special characters escaped, and each control character (which XML
  /// allows nowhere, escaped or not) a space.
  static func escape(_ text: String) -> String {
    var visible = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let control = scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
      visible.append(control ? " " : scalar)
    }
    return Sanitizer.escapeHTML(String(visible))
  }
}
