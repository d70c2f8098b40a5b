import Foundation
import RunbookCore
import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Why a report could not be built or written: one sentence naming the file.
public struct ReportError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}

/// Writes the reports of a completed run beside its state file.
public enum ReportWriter {
  /// Reads the run from its store, builds the report and writes it as Markdown and HTML where
  /// the store keeps a run's reports (beside the state file: `<state>.report.md` and
  /// `<state>.report.html`, so two runs of one guide never share a report). Returns the paths
  /// written. `runbook` is the guide the run followed and `guideSHA256` the SHA-256 of its
  /// bytes.
  public static func writeCompletionReports(
    store: any RunStore, run: RunID, runbook: Runbook?, guideSHA256: String?
  ) throws(ReportError) -> [String] {
    // One pass over the journal gives the facts and checks the hash chain.
    var facts = RunSummary.Facts()
    let pass: JournalPass
    do {
      pass = try store.read(run) { facts.add($0) }
    } catch {
      throw ReportError(error.description)
    }
    let report = Report(
      statePath: run.rawValue, header: pass.header, facts: facts, warnings: pass.warnings,
      verification: pass.verification, runbook: runbook, guideSHA256: guideSHA256)
    let formats = [ReportFormat.markdown, .html]
    var written: [String] = []
    for (format, text) in zip(formats, report.render(formats)) {
      let path = store.reportPath(for: run, fileExtension: format.fileExtension)
      try write(text, to: path)
      written.append(path)
    }
    return written
  }

  /// Writes text to `path` the way the shell's `>` does: an existing file is truncated and
  /// written in place (keeping its mode, owner and links; a symbolic link is followed; a device
  /// or FIFO is written to, never replaced); a new file is created with mode 0600. A directory,
  /// or anything else that cannot be written, is refused with one sentence.
  public static func write(_ text: String, to path: String) throws(ReportError) {
    var fd: Int32
    repeat {
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    } while fd < 0 && errno == EINTR
    guard fd >= 0 else {
      let code = errno
      switch code {
      case EISDIR: throw ReportError("cannot write \(path): it is a directory; give a file name")
      case ENOENT: throw ReportError("cannot write \(path): its folder does not exist")
      case EACCES, EPERM, EROFS: throw ReportError("cannot write \(path): permission denied")
      default: throw ReportError("cannot write \(path): \(String(cString: strerror(code)))")
      }
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n > 0 {
        offset += n
      } else if !(n < 0 && errno == EINTR) {
        let reason = n < 0 ? String(cString: strerror(errno)) : "nothing was written"
        throw ReportError("cannot write \(path): \(reason) (disk full?); the file may be incomplete")
      }
    }
  }

}
