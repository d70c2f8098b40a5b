import Foundation

/// Runs a command to completion, streaming its output. Behind a protocol so sessions can be
/// tested with scripted results.
public protocol ProcessRunner: Sendable {
  func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult
}

public struct ProcessRequest: Sendable {
  /// Program and arguments, for example `["/bin/sh", "-c", script]`.
  public var arguments: [String]
  /// Added to the runner's own environment.
  public var environment: [String: String]
  public var timeout: TimeInterval?
  /// Asked while the command runs; returning true stops it as a timeout would (Ctrl-C).
  public var shouldCancel: (@Sendable () -> Bool)?
  /// Read what the command writes to file descriptor 3 into ``ProcessResult/written3`` (a
  /// shell session's state: kept in memory, never shown).
  public var readsDescriptor3 = false
  /// Keep standard output apart from standard error, in ``ProcessResult/standardOutput``, for a
  /// command whose output is captured into an input.
  public var capture: OutputCapture = .none

  /// Commands run in the runner's current directory.
  public init(
    arguments: [String], environment: [String: String] = [:], timeout: TimeInterval? = nil,
    shouldCancel: (@Sendable () -> Bool)? = nil
  ) {
    self.arguments = arguments
    self.environment = environment
    self.timeout = timeout
    self.shouldCancel = shouldCancel
  }
}

/// Whether standard output is kept apart (``ProcessRequest/capture``), and if so whether it is
/// also shown (streamed and kept in the output tail) or only captured (a secret).
public enum OutputCapture: Sendable, Equatable {
  case none
  case shown
  case hidden
}

public struct ProcessResult: Sendable, Equatable {
  /// The exit status, or nil when killed by a signal.
  public var status: Int32?
  public var signal: Int32?
  public var timedOut: Bool
  /// The last ``SystemProcessRunner/tailLimit`` bytes of standard output and error, interleaved.
  public var outputTail: String
  public var outputBytes: Int
  public var duration: TimeInterval
  /// Set when the program could not be started at all.
  public var launchError: String?

  public init(
    status: Int32?, signal: Int32? = nil, timedOut: Bool = false, outputTail: String = "",
    outputBytes: Int = 0,
    duration: TimeInterval = 0, launchError: String? = nil
  ) {
    self.status = status
    self.signal = signal
    self.timedOut = timedOut
    self.outputTail = outputTail
    self.outputBytes = outputBytes
    self.duration = duration
    self.launchError = launchError
  }

  /// True when the command was stopped because the admin interrupted it.
  public var cancelled = false
  /// What the command wrote to file descriptor 3, when asked for (at most 1 MiB).
  public var written3: String?
  /// Standard output on its own, when ``ProcessRequest/capture`` asked for it (at most 1 MiB).
  public var standardOutput: String?

  public var succeeded: Bool { status == 0 && !timedOut && !cancelled && launchError == nil }
}
