import Foundation
import RunbookCore

/// Runs a `{check}` (or a `{run}` command) with its timeout, retries, interval and `expect`.
public struct CheckRunner: Sendable {
  public struct Outcome: Sendable, Equatable {
    public var passed: Bool
    /// True when it was stopped before it finished (Ctrl-C, a signal): it may have run partly.
    public var interrupted: Bool = false
    /// The shell variables the command set (new or changed), when it ran in a shell session.
    public var set: [String] = []
    public var attempts: Int
    /// The last attempt's result, output masked.
    public var result: ProcessResult
    /// Why it failed, in one sentence; nil when it passed.
    public var reason: String?
    /// The standard output of a `{run capture=ID}` command, unmasked (the session validates and
    /// records it as the input's value); nil for other commands.
    public var captured: String?
  }

  let runner: ProcessRunner
  let clock: WallClock
  let masker: SecretMasker

  let shouldCancel: (@Sendable () -> Bool)?
  /// The run's shell: shell blocks run in it (nil: each on its own).
  let shell: ShellSession?

  /// `secrets` are the values `masker` hides; output streams through a masker that never shows a
  /// secret split across two reads.
  public init(
    runner: ProcessRunner, clock: WallClock, secrets: [String], shouldCancel: (@Sendable () -> Bool)? = nil,
    shell: ShellSession? = nil
  ) {
    self.shell = shell
    self.runner = runner
    self.clock = clock
    self.masker = SecretMasker(secrets: secrets)
    self.shouldCancel = shouldCancel
  }

  /// Runs until it passes or the retries are spent. `output` receives masked output as it comes;
  /// `attempt` is told before each retry.
  public func run(
    _ command: PreparedCommand, output: @escaping @Sendable (String) -> Void = { _ in },
    attempt: (Int) -> Void = { _ in }
  ) -> Outcome {
    if let problem = command.problems.first {
      return Outcome(
        passed: false, attempts: 0, result: ProcessResult(status: nil),
        reason: "it was not run, because it cannot run safely: \(problem)")
    }
    if let need = command.needsTerminal {
      return Outcome(
        passed: false, attempts: 0, result: ProcessResult(status: nil),
        reason:
          "it was not run: it needs a terminal (\(need)), and runbook runs commands without one; run it in a terminal of your own"
      )
    }
    if !command.missing.isEmpty {
      return Outcome(
        passed: false, attempts: 0, result: ProcessResult(status: nil),
        reason: "it needs values for \(command.missing.map { "<\($0)>" }.joined(separator: ", "))")
    }
    let expect: BoundedRegex?
    if let pattern = command.expect {
      guard let regex = try? BoundedRegex(search: pattern) else {
        return Outcome(
          passed: false, attempts: 0, result: ProcessResult(status: nil),
          reason: "its expect= pattern is not a valid regular expression")
      }
      expect = regex
    } else {
      expect = nil
    }
    let masker = self.masker
    var last = ProcessResult(status: nil)
    var set: [String] = []
    var reason: String?
    let attempts = command.retries + 1
    for n in 1...attempts {
      if n > 1 {
        attempt(n)
        guard clock.sleep(seconds: command.interval, unless: shouldCancel) else {
          return Outcome(
            passed: false, interrupted: true, attempts: n - 1, result: last, reason: "it was interrupted")
        }
      }
      let (arguments, environment) = command.invocation(in: shell)
      var request = ProcessRequest(
        arguments: arguments, environment: environment, timeout: command.timeout, shouldCancel: shouldCancel)
      request.readsDescriptor3 = shell != nil && command.isShell
      if command.capture != nil { request.capture = command.capturesSecret ? .hidden : .shown }
      let stream = StreamingMasker(masker)
      last = runner.run(request) { output(stream.feed($0)) }
      let rest = stream.finish()
      if !rest.isEmpty { output(rest) }
      last.outputTail = masker.mask(last.outputTail)
      if command.isShell, let shell { set = shell.absorb(last.written3) }
      last.written3 = nil
      // A runner that cannot keep standard output apart (a test's) gives its whole output.
      let captured = command.capture == nil ? nil : last.standardOutput ?? last.outputTail
      if command.capturesSecret, last.standardOutput == nil { last.outputTail = "" }
      last.standardOutput = nil
      reason = Self.failure(of: last, expect: expect, timeout: command.timeout)
      if last.cancelled {
        return Outcome(
          passed: false, interrupted: true, attempts: n, result: last, reason: "it was interrupted")
      }
      if reason == nil {
        return Outcome(passed: true, set: set, attempts: n, result: last, reason: nil, captured: captured)
      }
    }
    let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
    return Outcome(passed: false, attempts: attempts, result: last, reason: (reason ?? "it failed") + tries)
  }

  static func failure(of result: ProcessResult, expect: BoundedRegex?, timeout: TimeInterval?) -> String? {
    if let launch = result.launchError { return launch }
    if result.cancelled { return "it was interrupted" }
    if result.timedOut {
      return "it did not finish within \(Self.seconds(timeout ?? 0)) and was stopped"
    }
    if let signal = result.signal { return "it was killed by signal \(signal)" }
    if let status = result.status, status != 0 { return "it exited with status \(status)" }
    if let expect {
      switch expect.matches(result.outputTail) {
      case .match: break
      case .noMatch: return "its output does not match /\(expect.pattern)/"
      case .timedOut: return "its output could not be matched against /\(expect.pattern)/ in time"
      }
    }
    return nil
  }

  static func seconds(_ t: TimeInterval) -> String {
    t < 1 ? "\(Int(t * 1000))ms" : t == t.rounded() ? "\(Int(t))s" : String(format: "%.1fs", t)
  }
}
