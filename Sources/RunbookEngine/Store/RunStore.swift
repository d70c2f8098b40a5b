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

  /// The run's header alone (what it runs, who began it and when), without reading its events.
  func header(of run: RunID) throws(StoreError) -> JournalHeader

  /// Reads a run like ``read(_:)`` but hands its events to `each` one at a time, in order,
  /// without holding them all; the result says what ``verify(_:)`` would. `status` and `report`
  /// read runs this way.
  func read(_ run: RunID, each: (Event) -> Void) throws(StoreError) -> JournalPass

  /// Checks a run's header, sequence numbers and hash chain without changing it.
  func verify(_ run: RunID) -> VerifyResult

  /// Every run the store can see, in a stable order.
  func list() throws(StoreError) -> [RunID]

  /// Who drives the run right now, or nil when nobody holds it.
  func holder(of run: RunID) -> LockInfo?

  /// Other places to look for a run's guide when it is not at the path the run recorded.
  func places(ofGuide recorded: String, for run: RunID) -> [String]

  /// Every run as one line (``RunOverview``, with its holder), for `status` over many runs. The
  /// default reads each run of ``list()``; a store that keeps overviews up to date answers
  /// without reading journals.
  func overviews() throws(StoreError) -> RunOverviews

  /// Where the run's completion report with this file extension (`md`, `html`) is written.
  func reportPath(for run: RunID, fileExtension: String) -> String
}

extension RunStore {
  /// Through ``read(_:)``, for stores whose runs are small.
  public func header(of run: RunID) throws(StoreError) -> JournalHeader { try read(run).header }

  /// Through ``read(_:)`` and ``verify(_:)``, for stores whose runs are small.
  public func read(_ run: RunID, each: (Event) -> Void) throws(StoreError) -> JournalPass {
    let contents = try read(run)
    for event in contents.events { each(event) }
    return JournalPass(header: contents.header, warnings: contents.warnings, verification: verify(run))
  }

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

extension RunStore {
  /// Reads every run of ``list()`` (on every core) and folds it into its overview.
  public func overviews() throws(StoreError) -> RunOverviews {
    let runs = try list()
    var results = [Result<RunOverview, StoreError>?](repeating: nil, count: runs.count)
    results.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      DispatchQueue.concurrentPerform(iterations: runs.count) { index in
        let run = runs[index]
        output[index] = Result { () throws(StoreError) -> RunOverview in
          let contents = try read(run)
          var overview = RunOverview(run: run, header: contents.header, events: contents.events)
          overview.holder = holder(of: run)
          return overview
        }
      }
    }
    var found = RunOverviews(runs: [], problems: [])
    for result in results {
      switch result {
      case .success(let overview): found.runs.append(overview)
      case .failure(let problem): found.problems.append(problem)
      case nil: break
      }
    }
    return found
  }
}
