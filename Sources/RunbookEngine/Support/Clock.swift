import Foundation

/// Time, behind a protocol so sessions and checks can be tested without waiting.
public protocol Clock: Sendable {
  func now() -> Date
  func sleep(seconds: TimeInterval)
}

/// The real clock.
public struct SystemClock: Clock {
  public init() {}
  public func now() -> Date { Date() }
  public func sleep(seconds: TimeInterval) {
    if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
  }
}
