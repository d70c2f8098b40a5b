import Foundation
import Synchronization

/// Runs kept in memory, with the same lines, hash chain, locking and errors as the file store:
/// for tests, and for front ends that drive a run in-process.
public final class MemoryStore: RunStore {
  private struct Stored {
    var lines: [[UInt8]]
    var holder: LockInfo?
  }

  private let runs = Mutex<[RunID: Stored]>([:])
  private let prefix: String

  /// `prefix` starts the ids of runs made by ``defaultRun(for:)``.
  public init(prefix: String = "memory:") { self.prefix = prefix }

  public func defaultRun(for runbookID: String) -> RunID { RunID(prefix + runbookID) }

  public func exists(_ run: RunID) -> Bool { runs.withLock { $0[run] != nil } }

  public func create(_ run: RunID, header: JournalHeader, holder: LockInfo) throws(StoreError)
    -> any RunJournal
  {
    var header = header
    header.created = JournalDateFormat.rounded(header.created)
    guard let line = JournalCoding.line(header, encoder: JournalCoding.makeEncoder()) else {
      throw StoreError(.writeFailed, path: run.rawValue, description: "cannot encode the header of \(run)")
    }
    let created = runs.withLock { runs -> Bool in
      guard runs[run] == nil else { return false }
      runs[run] = Stored(lines: [line], holder: holder)
      return true
    }
    guard created else { throw .alreadyExists(run.rawValue) }
    return MemoryJournal(
      store: self, run: run, header: header, events: [], chainHead: JournalCoding.sha256(line))
  }

  public func open(_ run: RunID, holder: LockInfo) throws(StoreError) -> any RunJournal {
    let result: Result<[[UInt8]], StoreError> = runs.withLock { runs in
      guard var stored = runs[run] else { return .failure(.notFound(run.rawValue)) }
      if let other = stored.holder { return .failure(.inUse(run.rawValue, by: other)) }
      stored.holder = holder
      runs[run] = stored
      return .success(stored.lines)
    }
    let parsed = try parse(run, try result.get())
    return MemoryJournal(
      store: self, run: run, header: parsed.header, events: parsed.events, chainHead: parsed.chainHead)
  }

  public func read(_ run: RunID) throws(StoreError) -> JournalContents {
    let parsed = try parse(run, try lines(of: run))
    return JournalContents(header: parsed.header, events: parsed.events, warnings: [])
  }

  public func verify(_ run: RunID) -> VerifyResult {
    do {
      let parsed = try parse(run, try lines(of: run))
      return VerifyResult(ok: true, chainHead: parsed.chainHead, events: parsed.events.count)
    } catch {
      return VerifyResult(ok: false, chainHead: nil, events: 0, problem: error.description)
    }
  }

  public func list() -> [RunID] { runs.withLock { $0.keys.sorted { $0.rawValue < $1.rawValue } } }

  public func holder(of run: RunID) -> LockInfo? { runs.withLock { $0[run]?.holder } }

  /// The run's lines as a state file would hold them, newline-terminated: `export` and tests.
  public func bytes(of run: RunID) throws(StoreError) -> [UInt8] {
    try lines(of: run).flatMap { $0 + [0x0A] }
  }

  // MARK: - For MemoryJournal

  fileprivate func append(_ line: [UInt8], to run: RunID) {
    runs.withLock { $0[run]?.lines.append(line) }
  }

  fileprivate func release(_ run: RunID) {
    runs.withLock { $0[run]?.holder = nil }
  }

  private func lines(of run: RunID) throws(StoreError) -> [[UInt8]] {
    guard let lines = runs.withLock({ $0[run]?.lines }) else { throw .notFound(run.rawValue) }
    return lines
  }

  private func parse(_ run: RunID, _ lines: [[UInt8]]) throws(StoreError) -> JournalParser.Parsed {
    do throws(JournalParser.Failure) {
      return try JournalParser(path: run.rawValue).parse(lines.flatMap { $0 + [0x0A] })
    } catch {
      throw error.error
    }
  }
}

/// A run of a ``MemoryStore`` opened for appending, or a free-standing journal for tests
/// (``init(header:events:)``).
public final class MemoryJournal: RunJournal {
  public let run: RunID
  public let header: JournalHeader
  public private(set) var events: [Event]
  public let recovered: String? = nil
  /// Set to make the next append fail, as a full disk would.
  public var failNextAppend: StoreError?

  private weak var store: MemoryStore?
  private var chainHead: String
  private var closed = false
  private let encoder = JournalCoding.makeEncoder()

  fileprivate init(store: MemoryStore, run: RunID, header: JournalHeader, events: [Event], chainHead: String)
  {
    self.store = store
    self.run = run
    self.header = header
    self.events = events
    self.chainHead = chainHead
  }

  /// A journal that belongs to no store.
  public init(header: JournalHeader, events: [Event] = []) {
    self.run = RunID("memory")
    self.header = header
    self.events = events
    self.chainHead = ""
  }

  deinit { close() }

  @discardableResult public func append(_ event: Event) throws(StoreError) -> Event {
    if let failure = failNextAppend {
      failNextAppend = nil
      throw failure
    }
    guard !closed else {
      throw StoreError(
        .writeFailed, path: run.rawValue, description: "\(run) was closed; open it again to append")
    }
    guard
      let (stored, line) = JournalCoding.chain(
        event, seq: events.count + 1, prev: chainHead, encoder: encoder)
    else {
      throw StoreError(.writeFailed, path: run.rawValue, description: "cannot encode an event for \(run)")
    }
    store?.append(line, to: run)
    chainHead = JournalCoding.sha256(line)
    events.append(stored)
    return stored
  }

  public func close() {
    guard !closed else { return }
    closed = true
    store?.release(run)
  }
}
