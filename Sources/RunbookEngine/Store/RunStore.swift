import Foundation
import RunbookCore

/// Where runs are kept: each run is a journal (a header, then events with a hash chain) that one
/// driver at a time appends to. ``FileStore`` keeps each run in a state file; ``MemoryStore``
/// keeps runs in memory for tests. Every command reaches runs only through this protocol.
public protocol RunStore: Sendable {
  /// The run a new run of `runbookID` goes to when the admin names none. The file store answers
  /// the same run every time (`.runbook/<id>.state.jsonl`, so running a guide again resumes it);
  /// a store that names runs itself answers a new id.
  func defaultRun(for runbookID: String) -> RunID

  /// True when the run exists (it may be damaged or locked).
  func exists(_ run: RunID) throws(StoreError) -> Bool

  /// Creates a run holding only `header`, locked for `holder`. Fails with `.alreadyExists` when
  /// the run exists.
  func create(_ run: RunID, header: JournalHeader, holder: LockInfo) throws(StoreError) -> any RunJournal

  /// Opens a run to append to it, locked for `holder`; fails with `.inUse` when someone else
  /// holds it.
  func open(_ run: RunID, holder: LockInfo) throws(StoreError) -> any RunJournal

  /// Reads a run without locking or changing it.
  func read(_ run: RunID) throws(StoreError) -> JournalContents

  /// Checks a run's header, sequence numbers and hash chain without changing it.
  func verify(_ run: RunID) -> VerifyResult

  /// Every run the store can see, in a stable order.
  func list() throws(StoreError) -> [RunID]

  /// Who drives the run right now, or nil when nobody holds it.
  func holder(of run: RunID) -> LockInfo?

  /// Other places to look for a run's guide when it is not at the path the run recorded.
  func places(ofGuide recorded: String, for run: RunID) -> [String]

  /// The command that resumes the run, quoted for a shell.
  func resumeCommand(for run: RunID) -> String

  /// Where the run's completion report with this file extension (`md`, `html`) is written.
  func reportPath(for run: RunID, fileExtension: String) -> String
}

extension RunStore {
  public func resumeCommand(for run: RunID) -> String { "runbook resume " + ShellQuote.word(run.rawValue) }

  /// In the current folder, named after the run.
  public func reportPath(for run: RunID, fileExtension: String) -> String {
    PathName.safeFileName(run.rawValue) + ".report." + fileExtension
  }
}

/// A run opened for appending: the events so far, and durable appends. Closing (or the end of the
/// process) releases the run for the next driver.
public protocol RunJournal: EventLog {
  var run: RunID { get }
  /// Set when opening repaired the run (a torn last line set aside), in a sentence for the admin.
  var recovered: String? { get }
  /// Releases the lock; later appends fail.
  func close()
}
