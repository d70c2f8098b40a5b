import Foundation
import RunbookCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The default store: each run is a state file (``Journal``), named by its path, with a lock
/// file beside it. The format is documented in docs/state-file.md.
public struct FileStore: RunStore {
  /// Where runs go when the admin names none.
  public var stateDirectory: String
  /// Folders ``list()`` searches, recursively, for `*.state.jsonl` files.
  public var searchDirectories: [String]

  public init(stateDirectory: String = ".runbook", searchDirectories: [String]? = nil) {
    self.stateDirectory = stateDirectory
    self.searchDirectories = searchDirectories ?? [stateDirectory]
  }

  /// The suffix of every state file.
  public static let stateSuffix = ".state.jsonl"

  /// `.runbook/<id>.state.jsonl`, the id made a safe file name (an id such as `../../x` or
  /// `a/b` stays inside the state folder).
  public func defaultRun(for runbookID: String) -> RunID {
    RunID(PathName.appending(PathName.safeFileName(runbookID) + Self.stateSuffix, to: stateDirectory))
  }

  public func exists(_ run: RunID) throws(StoreError) -> Bool {
    switch POSIXFile.entry(at: run.rawValue) {
    case .missing: return false
    case .failed(let code): throw .unreadable(run.rawValue, POSIXFile.Errno(code).message)
    case .regular, .symlink, .directory, .other: return true
    }
  }

  public func create(_ run: RunID, header: JournalHeader, holder: LockInfo) throws(StoreError)
    -> any RunJournal
  {
    try Journal.create(at: run.rawValue, header: header, lock: holder)
  }

  public func open(_ run: RunID, holder: LockInfo) throws(StoreError) -> any RunJournal {
    try Journal.open(at: run.rawValue, lock: holder)
  }

  public func read(_ run: RunID) throws(StoreError) -> JournalContents {
    try Journal.read(at: run.rawValue)
  }

  public func header(of run: RunID) throws(StoreError) -> JournalHeader {
    try Journal.header(at: run.rawValue)
  }

  public func read(_ run: RunID, each: (Event) -> Void) throws(StoreError) -> JournalPass {
    try Journal.read(at: run.rawValue, each: each)
  }

  public func verify(_ run: RunID) -> VerifyResult {
    Journal.verify(at: run.rawValue)
  }

  /// Every `*.state.jsonl` under the search folders (a folder that does not exist has none),
  /// sorted by path.
  public func list() throws(StoreError) -> [RunID] {
    var found: Set<String> = []
    for directory in searchDirectories {
      guard let walker = FileManager.default.enumerator(atPath: directory) else { continue }
      while let relative = walker.nextObject() as? String {
        if relative.hasSuffix(Self.stateSuffix) { found.insert(PathName.appending(relative, to: directory)) }
      }
    }
    return found.sorted().map(RunID.init)
  }

  public func holder(of run: RunID) -> LockInfo? {
    StateLock.holder(ofLocked: run.rawValue)
  }
}

extension FileStore {
  /// Beside the state file, named after it: `x.state.jsonl` → `x.report.md`.
  public func reportPath(for run: RunID, fileExtension: String) -> String {
    var base = run.rawValue
    if base.hasSuffix(Self.stateSuffix) { base.removeLast(Self.stateSuffix.count) }
    return base + ".report." + fileExtension
  }

  /// The recorded path taken from the folder that holds the state folder (`.runbook/`), for a
  /// run handed over as a folder.
  public func places(ofGuide recorded: String, for run: RunID) -> [String] {
    let startFolder = PathName.deletingLastComponent(PathName.deletingLastComponent(run.rawValue))
    return [PathName.appending(recorded, to: startFolder)]
  }
}
