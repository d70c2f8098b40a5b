import Dispatch
import Foundation
import Synchronization
import Testing

@testable import RunbookCore

/// Patterns from front matter (`pattern:`) must match whole values; `expect=` patterns are
/// searched in command output; a runaway pattern is stopped, not left running.
@Suite struct BoundedRegexTests {
  func full(_ pattern: String, _ text: String) throws -> BoundedRegex.Outcome {
    try BoundedRegex(fullMatch: pattern).matches(text)
  }

  @Test func fullMatchNeedsTheWholeValue() throws {
    #expect(try full("a|ab", "ab") == .match)  // backtracks into the second alternative
    #expect(try full("b", "ab") == .noMatch)
    #expect(try full("a", "ab") == .noMatch)
    #expect(try full("[a-z]+-\\d{2}", "prod-01") == .match)
    #expect(try full("[a-z]+-\\d{2}", "prod-01\n") == .noMatch)
    #expect(try full("a*", "") == .match)
    #expect(try full("x", "") == .noMatch)
    #expect(try full("😀+é", "😀😀é") == .match)  // outside the BMP: UTF-16 surrogates
    #expect(try full("(?i)us-east-\\d", "US-EAST-1") == .match)
    // Free-spacing mode: a trailing comment cannot swallow anything the engine added.
    #expect(try full("(?x) a b  # letters", "ab") == .match)
  }

  @Test func searchFindsAMatchAnywhereWithLineAnchors() throws {
    let ready = try BoundedRegex(search: "^ready$")
    #expect(ready.matches("starting\nready\ndone") == .match)
    #expect(ready.matches("not ready yet") == .noMatch)
    #expect(try BoundedRegex(search: "HTTP/1\\.1 200").matches("< HTTP/1.1 200 OK") == .match)
  }

  @Test(arguments: ["a)|(b", "(", "[a-", "a{2,1}", "\\", "(?<n>a)(?<n>b)"])
  func invalidPatternsAreRejected(_ pattern: String) {
    #expect(throws: BoundedRegex.InvalidPattern(pattern: pattern)) { try BoundedRegex(fullMatch: pattern) }
    #expect(throws: BoundedRegex.InvalidPattern(pattern: pattern)) { try BoundedRegex(search: pattern) }
  }

  /// CPU time the calling thread has used, in seconds.
  func callingThreadCPUTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// The match runs on the caller's thread and stops there: a match handed to a thread of its own
  /// and abandoned at the timeout (the old design) would leave the caller blocked, using almost
  /// no CPU, while the abandoned thread spun on for hours. Measured on the calling thread only, so
  /// threads started by tests running alongside cannot disturb it.
  @Test func aRunawayMatchIsStoppedOnTheCallingThread() throws {
    let regex = try BoundedRegex(fullMatch: "(a+)+$")
    let runaway = String(repeating: "a", count: 64) + "!"
    let clock = ContinuousClock()
    let cpuBefore = callingThreadCPUTime()
    let started = clock.now
    for _ in 0..<3 {
      #expect(regex.matches(runaway, timeout: 0.2) == .timedOut)
    }
    let elapsed = started.duration(to: clock.now)
    let cpu = callingThreadCPUTime() - cpuBefore
    #expect(elapsed >= .milliseconds(600))  // each match ran until its deadline
    #expect(elapsed < .seconds(30))  // and was stopped there
    // Even with every core shared among parallel tests the caller gets far more than 20 ms of
    // 600 ms; a caller waiting on another thread uses microseconds.
    #expect(cpu > 0.02, "the calling thread used \(cpu) s of CPU in \(elapsed)")
    // The same pattern on a value it can decide quickly is not affected.
    #expect(regex.matches(String(repeating: "a", count: 64)) == .match)
  }

  @Test func onePatternMatchesOnManyThreadsAtOnce() throws {
    let regex = try BoundedRegex(fullMatch: "[a-z]+-(\\d+)")
    let wrong = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 400) { i in
      let value = i % 2 == 0 ? "host-\(i)" : "host_\(i)"
      if regex.matches(value) != (i % 2 == 0 ? .match : .noMatch) { wrong.withLock { $0 += 1 } }
    }
    #expect(wrong.withLock { $0 } == 0)
  }
}
