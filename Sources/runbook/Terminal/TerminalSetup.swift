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

  /// Installs a SIGINT handler without SA_RESTART, so a blocked read returns and the session can
  /// stop cleanly (the state is already saved after every answer).
  static func installInterruptHandler() -> InterruptFlag {
    let flag = InterruptFlag()
    interruptAddress = flag.address
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interruptAddress?.pointee = 1 }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    return flag
  }
}

/// Written by the SIGINT handler; see ``TerminalSetup/installInterruptHandler()``.
nonisolated(unsafe) private var interruptAddress: UnsafeMutablePointer<sig_atomic_t>?
