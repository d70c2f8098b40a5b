import Foundation

/// A regular expression (ICU syntax, as `NSRegularExpression`) whose matching is bounded in
/// time. ICU backtracks, so a pattern such as `(a+)+$` can take hours on a 40-character value;
/// each match runs on its own thread and is abandoned after ``timeout``.
public struct BoundedRegex: Sendable {
  public enum Outcome: Equatable, Sendable {
    case match, noMatch, timedOut
  }

  public let pattern: String
  private let expression: NSRegularExpression

  /// How long one match may take before it is abandoned.
  public static let timeout: TimeInterval = 0.5

  /// Compiles a pattern that must match the whole value; throws a one-line reason if invalid.
  public init(fullMatch pattern: String) throws(InvalidPattern) {
    self.pattern = pattern
    do {
      expression = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
    } catch {
      throw InvalidPattern(pattern: pattern)
    }
    // `\A(?:` + `)\z` must not change meaning: reject a pattern that closes the group itself.
    if (try? NSRegularExpression(pattern: pattern)) == nil { throw InvalidPattern(pattern: pattern) }
  }

  /// Compiles a pattern searched anywhere in the text (`expect=` on command output).
  public init(search pattern: String) throws(InvalidPattern) {
    self.pattern = pattern
    do {
      expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
    } catch {
      throw InvalidPattern(pattern: pattern)
    }
  }

  public struct InvalidPattern: Error, Equatable, Sendable {
    public var pattern: String
  }

  /// Whether the text matches, within ``timeout``.
  public func matches(_ text: String, timeout: TimeInterval = BoundedRegex.timeout) -> Outcome {
    let box = OutcomeBox()
    let expression = self.expression
    let thread = Thread {
      let found =
        expression.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
      box.finish(found ? .match : .noMatch)
    }
    thread.stackSize = 8 << 20
    thread.start()
    return box.wait(timeout) ?? .timedOut
  }
}

/// The result of a match running on another thread.
private final class OutcomeBox: @unchecked Sendable {
  private let condition = NSCondition()
  private var outcome: BoundedRegex.Outcome?

  func finish(_ value: BoundedRegex.Outcome) {
    condition.lock()
    outcome = value
    condition.signal()
    condition.unlock()
  }

  func wait(_ timeout: TimeInterval) -> BoundedRegex.Outcome? {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while outcome == nil {
      if !condition.wait(until: deadline) { break }
    }
    return outcome
  }
}
