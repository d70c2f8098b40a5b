import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a line read from the admin turned out to be.
public enum LineResult: Equatable, Sendable {
  case line(String)
  /// Standard input ended (Ctrl-D, or the end of piped answers).
  case endOfInput
  /// Ctrl-C.
  case interrupted
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
  private var buffer: [UInt8] = []

  public init(interrupt: InterruptFlag) {
    self.interrupt = interrupt
  }

  public func write(_ text: String) {
    let data = Array(text.utf8)
    var offset = 0
    while offset < data.count {
      let n = data.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
      if n > 0 { offset += n } else if errno != EINTR { break }
    }
  }

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
        return .line(String(decoding: line, as: UTF8.self))
      }
      if interrupt.isSet { return .interrupted }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = read(0, &chunk, chunk.count)
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
      } else if n == 0 {
        if buffer.isEmpty { return .endOfInput }
        defer { buffer.removeAll() }
        return .line(String(decoding: buffer, as: UTF8.self))
      } else if errno == EINTR {
        if interrupt.isSet { return .interrupted }
      } else {
        return .endOfInput
      }
    }
  }
}

/// Set by a signal handler when Ctrl-C is pressed; read by the reading loop.
public final class InterruptFlag: @unchecked Sendable {
  private let storage = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)

  public init() {
    storage.pointee = 0
  }

  public var isSet: Bool { storage.pointee != 0 }
  public func set() { storage.pointee = 1 }
  /// The address a C signal handler writes to.
  public var address: UnsafeMutablePointer<sig_atomic_t> { storage }
}
