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

  /// Threads of this process, from the kernel.
  func threadCount() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
    return line.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
  }

  @Test func aRunawayMatchIsStoppedAndLeavesNothingRunning() throws {
    let regex = try BoundedRegex(fullMatch: "(a+)+$")
    let before = threadCount()
    for _ in 0..<3 {
      #expect(regex.matches(String(repeating: "a", count: 64) + "!", timeout: 0.05) == .timedOut)
    }
    // A match abandoned on a thread of its own would still be running (for hours).
    if let before, let after = threadCount() { #expect(after <= before) }
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
