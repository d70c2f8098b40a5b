import Foundation
import RunbookCore
import RunbookEngine

/// Why a report could not be built or written: one sentence naming the file.
public struct ReportError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}

/// Writes the reports of a completed run beside its state file.
public enum ReportWriter {
  /// Reads the run from its store, builds the report and writes `<runbook id>.report.md` and
  /// `<runbook id>.report.html` in the state file's directory, replacing earlier ones.
  /// Returns the paths written. `runbook` is the guide the run followed and `guideSHA256`
  /// the SHA-256 of its bytes.
  public static func writeCompletionReports(
    store: any RunStore, run: RunID, runbook: Runbook?, guideSHA256: String?
  ) throws -> [String] {
    let contents: JournalContents
    do {
      contents = try store.read(run)
    } catch {
      throw ReportError(error.description)
    }
    let report = Report(
      statePath: run.rawValue, contents: contents, verification: store.verify(run), runbook: runbook,
      guideSHA256: guideSHA256)
    let directory = PathName.deletingLastComponent(run.rawValue)
    let base = fileName(for: contents.header.runbook.id) + ".report"
    var written: [String] = []
    for format in [ReportFormat.markdown, .html] {
      let name = base + "." + format.fileExtension
      let path = PathName.appending(name, to: directory)
      try write(report.render(format), to: path)
      written.append(path)
    }
    return written
  }

  /// Writes text to a file atomically (a temporary file renamed over it).
  public static func write(_ text: String, to path: String) throws {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
      throw ReportError("cannot write \(path): \(reason)")
    }
  }

  /// A runbook id as a file name: characters other than letters, digits, `.`, `_` and `-`
  /// become `-`, and it never starts with a dot.
  static func fileName(for id: String) -> String {
    var name = String(
      id.unicodeScalars.map { scalar -> Character in
        let c = Character(scalar)
        return (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" || c == "-" || c == "." ? c : "-"
      })
    while name.hasPrefix(".") { name.removeFirst() }
    return name.isEmpty ? "runbook" : name
  }
}
