import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open state file: a header line, then one JSON event a line, each event carrying the
/// SHA-256 of the line before it. Appends only, each one written with a single `write(2)` and
/// `fsync`ed; holds an exclusive lock on `<state>.lock` until closed.
public final class Journal: RunJournal {
  /// The state file.
  public let path: String
  public let header: JournalHeader
  /// Every event, in order, including those appended since opening.
  public private(set) var events: [Event]
  /// The run this journal records: its path.
  public var run: RunID { RunID(path) }
  /// Set when `open` found an incomplete or garbled last line and moved it to a side file.
  public let recovered: String?
  /// Lowercase hex SHA-256 of the last line; the next event's `prev`.
  public private(set) var chainHead: String

  private var fd: Int32
  private let lock: StateLock
  private let encoder = JournalCoding.makeEncoder()
  /// The `write(2)` used by `append`; tests replace it to simulate a full disk.
  var writer: POSIXFile.Writer = POSIXFile.systemWrite

  private init(
    path: String, fd: Int32, lock: StateLock, header: JournalHeader, events: [Event],
    chainHead: String, recovered: String?
  ) {
    self.path = path
    self.fd = fd
    self.lock = lock
    self.header = header
    self.events = events
    self.chainHead = chainHead
    self.recovered = recovered
  }

  deinit { close() }

  /// Creates a new state file (mode 0600, parent directory created with 0700 if missing),
  /// writes the header, fsyncs file and directory. Fails if the file exists.
  public static func create(
    at path: String, header: JournalHeader, lock info: LockInfo
  ) throws(StoreError) -> Journal {
    switch POSIXFile.entry(at: path) {
    case .missing: break
    case .symlink: throw .symlink(path)
    case .failed(let code): throw .cannotCreate(path, reason(POSIXFile.Errno(code)))
    case .regular, .directory, .other: throw .alreadyExists(path)
    }
    let directory = POSIXFile.parentDirectory(of: path)
    if let error = POSIXFile.makeDirectories(directory) { throw .cannotCreate(path, reason(error)) }
    guard access(directory, W_OK) == 0 else { throw .cannotCreate(path, "directory not writable") }
    let lock = try StateLock.acquire(for: path, info: info, creating: true)

    var header = header
    header.created = JournalDateFormat.rounded(header.created)
    guard let line = JournalCoding.line(header, encoder: JournalCoding.makeEncoder()) else {
      throw StoreError(.writeFailed, path: path, description: "cannot encode the header of \(path)")
    }
    let fd: Int32
    switch POSIXFile.openFile(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW) {
    case .success(let opened): fd = opened
    case .failure(let error) where error.code == EEXIST: throw .alreadyExists(path)
    case .failure(let error) where error.code == ELOOP: throw .symlink(path)
    case .failure(let error): throw .cannotCreate(path, reason(error))
    }
    fchmod(fd, 0o600)
    if let error = POSIXFile.writeAll(fd, line + [0x0A]) ?? POSIXFile.sync(fd)
      ?? POSIXFile.syncDirectory(directory)
    {
      POSIXFile.closeFile(fd)
      unlink(path)
      throw StoreError(
        .writeFailed, path: path,
        description: "cannot create \(path): \(error.message); disk full? Free space and start again")
    }
    return Journal(
      path: path, fd: fd, lock: lock, header: header, events: [],
      chainHead: JournalCoding.sha256(line), recovered: nil)
  }

  /// Opens an existing state file to append to it: locks it, loads and checks it. An incomplete
  /// or garbled last line is moved to `<path>.torn-<UTC time>` and noted in ``recovered``.
  public static func open(at path: String, lock info: LockInfo) throws(StoreError) -> Journal {
    try checkExisting(path)
    // Nothing is written (not even the lock file) before the file is known to be a state file.
    try checkHeader(path)
    let lock = try StateLock.acquire(for: path, info: info)
    let fd: Int32
    switch POSIXFile.openFile(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK) {
    case .success(let opened): fd = opened
    case .failure(let error):
      if error.code == EACCES, access(path, R_OK) == 0 {
        throw .notWritable(path, error.message)
      }
      throw openError(path, error)
    }
    do throws(StoreError) {
      guard POSIXFile.isRegular(fd) else { throw .notAStateFile(path) }
      let bytes = try readAll(fd, path)
      let parsed: JournalParser.Parsed
      do throws(JournalParser.Failure) {
        parsed = try JournalParser(path: path).parse(bytes)
      } catch {
        throw error.error
      }
      var recovered: String?
      if let tail = parsed.tail {
        let aside = try setAside(tail, of: path)
        guard ftruncate(fd, off_t(parsed.goodLength)) == 0 else {
          throw .writeFailed(path, POSIXFile.Errno(errno).message)
        }
        if let error = POSIXFile.sync(fd) { throw .writeFailed(path, error.message, unchanged: false) }
        recovered =
          "line \(tail.line) was \(tail.torn ? "torn" : "garbled") (a crash mid-write?) "
          + "and was set aside in \(aside)"
      }
      return Journal(
        path: path, fd: fd, lock: lock, header: parsed.header, events: parsed.events,
        chainHead: parsed.chainHead, recovered: recovered)
    } catch {
      POSIXFile.closeFile(fd)
      throw error
    }
  }

  /// Reads a state file without locking or changing it; an incomplete or garbled last line is
  /// reported in `warnings`.
  public static func read(at path: String) throws(StoreError) -> JournalContents {
    let bytes = try readBytes(path)
    do throws(JournalParser.Failure) {
      let parsed = try JournalParser(path: path).parse(bytes)
      return JournalContents(
        header: parsed.header, events: parsed.events, warnings: parsed.tail.map { [$0.warning] } ?? [])
    } catch {
      throw error.error
    }
  }

  /// Reads a state file without locking or changing it, like ``read(at:)``, but hands each event
  /// to `each` in order instead of keeping them: reading a journal of any length takes memory
  /// for one piece of it, not for all its events. The same pass checks the hash chain, so the
  /// result also says what ``verify(at:)`` would.
  public static func read(at path: String, each: (Event) -> Void) throws(StoreError) -> JournalPass {
    let fd = try openForReading(path)
    defer { POSIXFile.closeFile(fd) }
    do throws(JournalParser.Failure) {
      var count = 0
      let parsed = try JournalParser(path: path).fold(fd) {
        count += 1
        each($0)
      }
      let warnings = parsed.tail.map { [$0.warning] } ?? []
      return JournalPass(
        header: parsed.header, warnings: warnings,
        verification: VerifyResult(ok: true, chainHead: parsed.chainHead, events: count, warnings: warnings))
    } catch {
      throw error.error
    }
  }

  /// The header of a state file, read from its first line alone.
  public static func header(at path: String) throws(StoreError) -> JournalHeader {
    let fd = try openForReading(path)
    defer { POSIXFile.closeFile(fd) }
    var line: [UInt8] = []
    var piece = [UInt8](repeating: 0, count: 4096)
    var terminated = false
    while !terminated {
      let n = piece.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(line.count)) }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { throw .unreadable(path, POSIXFile.Errno(errno).message) }
      guard n > 0 else { break }
      let end = piece[..<n].firstIndex(of: 0x0A)
      line += piece[..<(end ?? n)]
      terminated = end != nil
    }
    do throws(JournalParser.Failure) {
      return try JournalParser(path: path).header(line, terminated: terminated)
    } catch {
      throw error.error
    }
  }

  /// Checks the header, sequence numbers and hash chain of a state file without changing it.
  public static func verify(at path: String) -> VerifyResult {
    let bytes: [UInt8]
    do throws(StoreError) {
      bytes = try readBytes(path)
    } catch {
      return VerifyResult(ok: false, chainHead: nil, events: 0, problem: error.description)
    }
    return JournalCodec.verify(bytes, name: path)
  }

  /// Assigns `seq` and `prev`, rounds `at` to the millisecond, appends the line with one
  /// `write(2)` and `fsync`s it, then records the event in ``events``. If the write fails the
  /// file is truncated back to its previous length and `.writeFailed` is thrown.
  @discardableResult public func append(_ event: Event) throws(StoreError) -> Event {
    guard fd >= 0 else {
      throw StoreError(.writeFailed, path: path, description: "\(path) was closed; open it again to append")
    }
    guard
      let (event, line) = JournalCoding.chain(event, seq: events.count + 1, prev: chainHead, encoder: encoder)
    else {
      throw StoreError(.writeFailed, path: path, description: "cannot encode an event for \(path)")
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .writeFailed(path, POSIXFile.Errno(errno).message) }
    if let error = POSIXFile.writeAll(fd, line + [0x0A], using: writer) ?? POSIXFile.sync(fd) {
      let restored = ftruncate(fd, st.st_size) == 0 && POSIXFile.sync(fd) == nil
      throw .writeFailed(path, error.message, unchanged: restored)
    }
    chainHead = JournalCoding.sha256(line)
    events.append(event)
    return event
  }

  /// Closes the file and releases the lock; later appends fail.
  public func close() {
    if fd >= 0 {
      POSIXFile.closeFile(fd)
      fd = -1
    }
    lock.release()
  }

  // MARK: - Helpers

  private static func reason(_ error: POSIXFile.Errno) -> String {
    error.isPermission ? "directory not writable" : error.message
  }

  private static func checkExisting(_ path: String) throws(StoreError) {
    switch POSIXFile.entry(at: path) {
    case .regular: return
    case .missing: throw .notFound(path)
    case .symlink: throw .symlink(path)
    case .directory: throw .notAStateFile(path, directory: true)
    case .other: throw .notAStateFile(path)
    case .failed(let code): throw .unreadable(path, POSIXFile.Errno(code).message)
    }
  }

  /// Checks that the file's first line is a state file header this build can read.
  private static func checkHeader(_ path: String) throws(StoreError) {
    let fd: Int32
    switch POSIXFile.openFile(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) {
    case .success(let opened): fd = opened
    case .failure(let error): throw openError(path, error)
    }
    defer { POSIXFile.closeFile(fd) }
    guard POSIXFile.isRegular(fd) else { throw .notAStateFile(path) }
    var first: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while first.count < 1 << 20 {
      let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(first.count)) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      if let newline = chunk[..<n].firstIndex(of: 0x0A) {
        first += chunk[...newline]
        break
      }
      first += chunk[..<n]
    }
    do throws(JournalParser.Failure) {
      _ = try JournalParser(path: path).parse(first)
    } catch {
      throw error.error
    }
  }

  private static func openError(_ path: String, _ error: POSIXFile.Errno) -> StoreError {
    switch error.code {
    case ENOENT: return .notFound(path)
    case ELOOP: return .symlink(path)
    case EISDIR: return .notAStateFile(path, directory: true)
    default: return .unreadable(path, error.message)
    }
  }

  private static func readAll(_ fd: Int32, _ path: String) throws(StoreError) -> [UInt8] {
    switch POSIXFile.readAll(fd) {
    case .success(let bytes): return bytes
    case .failure(let error): throw .unreadable(path, error.message)
    }
  }

  /// Opens an existing state file to read (never through a symbolic link, never a FIFO that
  /// would block), refusing anything that is not a regular file.
  private static func openForReading(_ path: String) throws(StoreError) -> Int32 {
    try checkExisting(path)
    let fd: Int32
    switch POSIXFile.openFile(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) {
    case .success(let opened): fd = opened
    case .failure(let error): throw openError(path, error)
    }
    guard POSIXFile.isRegular(fd) else {
      POSIXFile.closeFile(fd)
      throw .notAStateFile(path)
    }
    return fd
  }

  private static func readBytes(_ path: String) throws(StoreError) -> [UInt8] {
    let fd = try openForReading(path)
    defer { POSIXFile.closeFile(fd) }
    return try readAll(fd, path)
  }

  /// Writes `tail` to a new `<path>.torn-<UTC time>` file and makes it durable.
  private static func setAside(_ tail: JournalParser.Tail, of path: String) throws(StoreError) -> String {
    let base = path + ".torn-" + JournalDateFormat.compact(Date())
    var attempt = 1
    while true {
      let aside = attempt == 1 ? base : "\(base)-\(attempt)"
      switch POSIXFile.openFile(aside, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW) {
      case .failure(let error) where error.code == EEXIST && attempt < 100:
        attempt += 1
      case .failure(let error):
        throw StoreError(
          .writeFailed, path: path,
          description: "cannot set aside the torn last line of \(path) in \(aside): \(error.message); "
            + "the journal is unchanged")
      case .success(let fd):
        fchmod(fd, 0o600)
        let error =
          POSIXFile.writeAll(fd, Array(tail.bytes)) ?? POSIXFile.sync(fd)
          ?? POSIXFile.syncDirectory(POSIXFile.parentDirectory(of: path))
        POSIXFile.closeFile(fd)
        if let error {
          unlink(aside)
          throw StoreError(
            .writeFailed, path: path,
            description: "cannot set aside the torn last line of \(path) in \(aside): \(error.message); "
              + "the journal is unchanged")
        }
        return aside
      }
    }
  }
}
