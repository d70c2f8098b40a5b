import Foundation
import RunbookTerminal

/// Standard output and error for the commands. A write that fails does not stop the program:
/// the first failure is kept (later output is dropped), a run in progress is told to stop through
/// its interrupt flag, and ``RunbookCommand`` ends the process with the right status once the
/// command returns: quietly for a closed pipe, with a message and status 2 otherwise.
enum StandardStreams {
  /// The `errno` of the first failed write to standard output, or 0.
  nonisolated(unsafe) private(set) static var outputFailure: Int32 = 0
  /// Told when standard output fails (the running session's interrupt flag).
  nonisolated(unsafe) static var onOutputFailure: InterruptFlag?

  static func output(_ text: String) {
    guard outputFailure == 0 else { return }
    if let error = OutputFile.write(1, text) {
      outputFailure = error
      onOutputFailure?.set(signal: SIGPIPE)
    }
  }

  static func error(_ line: String) {
    _ = OutputFile.write(2, line.hasSuffix("\n") ? line : line + "\n")
  }
}
