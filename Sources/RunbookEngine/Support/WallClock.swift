import Foundation

/// Wall-clock time, behind a protocol (named apart from the standard library's `Clock`) so sessions and checks can be tested without waiting.
public protocol WallClock: Sendable {
  func now() -> Date
  func sleep(seconds: TimeInterval)
}

/// The real clock.
public struct SystemClock: WallClock {
  public init() {}
  public func now() -> Date { Date() }
  public func sleep(seconds: TimeInterval) {
    if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
  }
}
