import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports

/// Writes the completion reports beside the state file when a run completes. A report that
/// cannot be written does not undo the run: the problem is printed with the command to retry.
enum CompletionReports {
  static func write(store: any RunStore, run: RunID, runbook: Runbook, sha256: String) -> [String] {
    do {
      return try ReportWriter.writeCompletionReports(
        store: store, run: run, runbook: runbook, guideSHA256: sha256)
    } catch {
      StandardStreams.error(
        "runbook: the run is complete, but its report could not be written (\(error)); try `runbook report \(run) -o FILE`"
      )
      return []
    }
  }
}
