import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a line read from the admin turned out to be.
public enum LineResult: Equatable, Sendable {
  case line(String)
  /// Standard input ended (Ctrl-D, or the end of piped answers).
  case endOfInput
  /// Ctrl-C, or another reason to stop (``InterruptFlag``).
  case interrupted
  /// A line that is not valid UTF-8 (a terminal set to another encoding): never repaired.
  case notUTF8
}

/// The terminal, behind a protocol so the interactive driver can be tested with scripted input.
public protocol TerminalIO: AnyObject, Sendable {
  func write(_ text: String)
  func readLine(prompt: String) -> LineResult
  /// Reads without echo when the input is a terminal.
  func readSecret(prompt: String) -> LineResult
}

/// Standard input and output. Ctrl-C is noticed through ``InterruptFlag``, set by the CLI's
/// SIGINT handler (installed without SA_RESTART, so a blocked read returns).
public final class StandardTerminalIO: TerminalIO, @unchecked Sendable {
  private let interrupt: InterruptFlag
  private let output: @Sendable (String) -> Void
  private var buffer: [UInt8] = []

  /// `output` writes to standard output; when it fails (closed, full) it must raise
  /// `interrupt`, so the run stops rather than going on unseen.
  public init(interrupt: InterruptFlag, output: @escaping @Sendable (String) -> Void) {
    self.interrupt = interrupt
    self.output = output
  }

  public func write(_ text: String) { output(text) }

  public func readLine(prompt: String) -> LineResult {
    write(prompt)
    return readRawLine()
  }

  public func readSecret(prompt: String) -> LineResult {
    write(prompt)
    guard isatty(0) == 1 else { return readRawLine() }
    var saved = termios()
    tcgetattr(0, &saved)
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(0, TCSAFLUSH, &quiet)
    let result = readRawLine()
    tcsetattr(0, TCSAFLUSH, &saved)
    write("\n")
    return result
  }

  private func readRawLine() -> LineResult {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        var line = Array(buffer[..<newline])
        buffer.removeFirst(newline + 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(validating: line, as: UTF8.self).map(LineResult.line) ?? .notUTF8
      }
      if interrupt.isSet { return .interrupted }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = read(0, &chunk, chunk.count)
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
      } else if n == 0 {
        if buffer.isEmpty { return .endOfInput }
        defer { buffer.removeAll() }
        return String(validating: buffer, as: UTF8.self).map(LineResult.line) ?? .notUTF8
      } else if errno == EINTR {
        if interrupt.isSet { return .interrupted }
      } else {
        return .endOfInput
      }
    }
  }
}

/// Why a run must stop now: set by the CLI's signal handlers (Ctrl-C, SIGTERM, SIGHUP) or when
/// standard output is closed; read by the reading loop and by commands while they run.
public final class InterruptFlag: @unchecked Sendable {
  private let storage = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)

  public init() {
    storage.pointee = 0
  }

  public var isSet: Bool { storage.pointee != 0 }
  /// The signal that stopped the run (`SIGINT`, `SIGTERM`, `SIGHUP`; `SIGPIPE` when standard
  /// output was closed), or 0.
  public var signal: Int32 { Int32(storage.pointee) }
  public func set(signal: Int32 = SIGINT) {
    if storage.pointee == 0 { storage.pointee = sig_atomic_t(signal) }
  }
  /// The address a C signal handler writes the signal number to.
  public var address: UnsafeMutablePointer<sig_atomic_t> { storage }

  /// Why the run stopped, for the journal and the admin.
  public var reason: String {
    switch signal {
    case SIGTERM: "it was asked to stop (SIGTERM)"
    case SIGHUP: "the terminal or connection went away (SIGHUP)"
    case SIGPIPE: "standard output was closed"
    default: "Ctrl-C"
    }
  }

  /// The exit status for the signal: 128 + its number (130 for Ctrl-C).
  public var exitStatus: Int32 { 128 + (signal == 0 ? SIGINT : signal) }
}
