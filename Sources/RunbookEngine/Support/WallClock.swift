import Foundation

/// Wall-clock time, behind a protocol (named apart from the standard library's `Clock`) so
/// sessions and checks can be tested without waiting.
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

extension WallClock {
  /// Sleeps for `seconds`, asking `stop` every tenth of a second (when given); returns false
  /// when it stopped early, so every wait can be cancelled.
  public func sleep(seconds: TimeInterval, unless stop: (@Sendable () -> Bool)?) -> Bool {
    guard let stop else {
      sleep(seconds: seconds)
      return true
    }
    var left = seconds
    while left > 0 {
      if stop() { return false }
      let slice = min(0.1, left)
      sleep(seconds: slice)
      left -= slice
    }
    return !stop()
  }
}
