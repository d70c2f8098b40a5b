import Foundation

/// While a command or check runs at a terminal: passes its output on a whole line at a time and,
/// once it has run for a second, keeps one status line under it (elapsed time, the attempt, the
/// last line of output), erased before more output is written and drawn again after it, so the
/// output itself is never garbled. Used only when standard output is a terminal; elsewhere the
/// output is written as it comes.
public final class LiveStatus: @unchecked Sendable {
  private let lock = NSLock()
  private let write: @Sendable (String) -> Void
  private let width: Int
  private let color: Bool
  private var started = Date()
  private var pending = ""
  private var lastLine = ""
  private var attempt: (Int, Int)?
  private var shown = false
  private var stopped = false
  private var ticker: Thread?

  /// How long a command runs before the status line appears.
  static let delay: TimeInterval = 1

  public init(width: Int, color: Bool, write: @escaping @Sendable (String) -> Void) {
    self.width = width
    self.color = color
    self.write = write
  }

  /// Starts redrawing the status line (every quarter of a second, after the first second).
  public func start() {
    let thread = Thread { [weak self] in
      while let self, self.tick() { Thread.sleep(forTimeInterval: 0.25) }
    }
    ticker = thread
    thread.start()
  }

  /// Output of the command (already sanitised): complete lines are written at once, the rest
  /// when its line ends or the command ends.
  public func output(_ text: String) {
    lock.withLock {
      pending += text
      guard let end = pending.lastIndex(of: "\n") else { return }
      let lines = String(pending[...end])
      pending = String(pending[pending.index(after: end)...])
      if let last = lines.dropLast().split(separator: "\n", omittingEmptySubsequences: false).last(where: {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }) {
        lastLine = String(last)
      }
      erase()
      write(lines)
      draw()
    }
  }

  /// A line of its own (an attempt starting), written between lines of output.
  public func line(_ text: String) {
    lock.withLock {
      erase()
      if !pending.isEmpty {
        write(pending + "\n")
        pending = ""
      }
      write(text + "\n")
      draw()
    }
  }

  /// The attempt now running, of how many: the time shown is the attempt's.
  public func attempt(_ number: Int, of total: Int) {
    lock.withLock {
      attempt = (number, total)
      started = Date()
    }
  }

  /// Erases the status line and writes what is left of the output.
  public func stop() {
    lock.withLock {
      stopped = true
      erase()
      if !pending.isEmpty { write(pending + (pending.hasSuffix("\n") ? "" : "\n")) }
      pending = ""
    }
  }

  private func tick() -> Bool {
    lock.withLock {
      guard !stopped else { return false }
      draw()
      return true
    }
  }

  /// Draws the status line, once the command has run for a second (lock held).
  private func draw() {
    guard !stopped else { return }
    let elapsed = Date().timeIntervalSince(started)
    guard elapsed >= Self.delay else { return }
    var parts = ["running " + Self.duration(elapsed)]
    if let (number, total) = attempt, total > 1 { parts.append("attempt \(number) of \(total)") }
    var text = "  ⋯ " + parts.joined(separator: " · ")
    if !lastLine.isEmpty { text += " · " + lastLine.trimmingCharacters(in: .whitespaces) }
    text = Self.truncate(text, to: max(10, width - 1))
    write("\r\u{1B}[K" + (color ? "\u{1B}[2m\(text)\u{1B}[0m" : text))
    shown = true
  }

  /// Erases the status line (lock held).
  private func erase() {
    guard shown else { return }
    write("\r\u{1B}[K")
    shown = false
  }

  static func duration(_ seconds: TimeInterval) -> String {
    let whole = Int(seconds)
    return whole < 60 ? "\(whole)s" : "\(whole / 60)m \(String(format: "%02d", whole % 60))s"
  }

  /// The text cut to `width` columns, ending with `…` when it was cut.
  static func truncate(_ text: String, to width: Int) -> String {
    guard DisplayWidth.of(text) > width else { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }
}
