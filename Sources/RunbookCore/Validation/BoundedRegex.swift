import Dispatch
import _FoundationICU

/// A regular expression (ICU syntax, as `NSRegularExpression`) whose matching is bounded in
/// time. ICU backtracks, so a pattern such as `(a+)+$` can take hours on a 40-character value;
/// a match is stopped once it has run for ``timeout``.
///
/// It talks to ICU's regular-expression C API directly, through the `_FoundationICU` module the
/// Swift toolchain ships on Linux (the same ICU `NSRegularExpression` runs on there), because
/// that API can stop a match from the inside: ICU calls back every 10,000 backtracking steps
/// and the match ends when the deadline has passed. `NSRegularExpression` cannot be stopped, so
/// each match used to run on a thread of its own that was abandoned (still running) at the
/// timeout: a thread created per match cost more than the lint rules around it.
public struct BoundedRegex: Sendable {
  public enum Outcome: Equatable, Sendable {
    case match, noMatch, timedOut
  }

  public let pattern: String
  private let compiled: CompiledPattern
  /// The whole text must match (`matches`), or a match anywhere is enough (`find`).
  private let wholeText: Bool

  /// How long one match may take before it is stopped.
  public static let timeout: Double = 0.5

  /// Compiles a pattern that must match the whole value; throws a one-line reason if invalid.
  public init(fullMatch pattern: String) throws(InvalidPattern) {
    guard let compiled = CompiledPattern(pattern, flags: 0) else { throw InvalidPattern(pattern: pattern) }
    self.pattern = pattern
    self.compiled = compiled
    wholeText = true
  }

  /// Compiles a pattern searched anywhere in the text, `^` and `$` matching at line ends
  /// (`expect=` on command output).
  public init(search pattern: String) throws(InvalidPattern) {
    guard let compiled = CompiledPattern(pattern, flags: UREGEX_MULTILINE.rawValue) else {
      throw InvalidPattern(pattern: pattern)
    }
    self.pattern = pattern
    self.compiled = compiled
    wholeText = false
  }

  public struct InvalidPattern: Error, Equatable, Sendable {
    public var pattern: String
  }

  /// Whether the text matches, within `timeout` seconds.
  public func matches(_ text: String, timeout: Double = BoundedRegex.timeout) -> Outcome {
    compiled.match(text, wholeText: wholeText, timeout: timeout)
  }
}

/// A compiled ICU pattern. Matching works on a clone (ICU keeps the text and the match state
/// in the regular expression itself; clones share the compiled pattern), so one pattern can
/// be matched on several threads at once.
private final class CompiledPattern: @unchecked Sendable {
  private let pattern: OpaquePointer

  init?(_ source: String, flags: UInt32) {
    let units = Array(source.utf16)
    guard units.count < Int32.max else { return nil }
    var status = U_ZERO_ERROR
    var parseError = UParseError()
    guard let compiled = swift_uregex_open(units, Int32(units.count), flags, &parseError, &status) else {
      return nil
    }
    guard status.rawValue <= U_ZERO_ERROR.rawValue else {
      swift_uregex_close(compiled)
      return nil
    }
    pattern = compiled
  }

  deinit { swift_uregex_close(pattern) }

  func match(_ text: String, wholeText: Bool, timeout: Double) -> BoundedRegex.Outcome {
    var status = U_ZERO_ERROR
    guard let matcher = swift_uregex_clone(pattern, &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
      return .timedOut
    }
    defer { swift_uregex_close(matcher) }
    // ICU needs a text address even for an empty text, and keeps it until the match is done.
    var units = Array(text.utf16)
    let length = units.count
    guard length < Int32.max else { return .timedOut }
    units.append(0)
    var deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(timeout, 0) * 1e9)
    let found = units.withUnsafeBufferPointer { buffer in
      withUnsafeMutablePointer(to: &deadline) { deadline in
        swift_uregex_setText(matcher, buffer.baseAddress, Int32(length), &status)
        swift_uregex_setMatchCallback(matcher, beforeDeadline, deadline, &status)
        return wholeText ? swift_uregex_matches(matcher, 0, &status) : swift_uregex_find(matcher, 0, &status)
      }
    }
    switch status {
    case U_REGEX_STOPPED_BY_CALLER, U_REGEX_TIME_OUT, U_REGEX_STACK_OVERFLOW: return .timedOut
    default: return found != 0 && status.rawValue <= U_ZERO_ERROR.rawValue ? .match : .noMatch
    }
  }
}

/// ICU's periodic callback during a match: go on while the deadline (nanoseconds of
/// `DispatchTime`, at `context`) has not passed.
private func beforeDeadline(_ context: UnsafeRawPointer?, _ steps: Int32) -> UBool {
  guard let context else { return 1 }
  return DispatchTime.now().uptimeNanoseconds < context.load(as: UInt64.self) ? 1 : 0
}
