import Foundation
import RunbookTerminal

#if canImport(Glibc)
  import Glibc
#endif

/// The process-wide terminal set-up: style detection and the Ctrl-C handler. A signal handler
/// can only reach global state, so the one flag it sets lives here, and nowhere else.
enum TerminalSetup {
  static func style() -> TerminalStyle {
    var size = winsize()
    let columns = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    return TerminalStyle.detect(
      environment: ProcessInfo.processInfo.environment, isTTY: isatty(1) == 1, columns: columns)
  }

  /// Installs handlers for SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal or SSH connection
  /// went away) without SA_RESTART, so a blocked read returns and the session can stop cleanly:
  /// a running command's process group is stopped, and the interruption is recorded. The same
  /// flag is raised when standard output fails.
  static func installInterruptHandler() -> InterruptFlag {
    let flag = InterruptFlag()
    interruptAddress = flag.address
    StandardStreams.onOutputFailure = flag
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in
      if let address = interruptAddress, address.pointee == 0 { address.pointee = sig_atomic_t(signal) }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    for signal in [SIGINT, SIGTERM, SIGHUP] { sigaction(signal, &action, nil) }
    return flag
  }
}

/// Written by the signal handler; see ``TerminalSetup/installInterruptHandler()``.
nonisolated(unsafe) private var interruptAddress: UnsafeMutablePointer<sig_atomic_t>?
