import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive `flock` on `<state>.runbook-lock`, held until released or the process ends (the
/// kernel drops it even after SIGKILL). The lock file holds the holder's ``LockInfo`` for
/// messages. Its name is runbook's own, and a file of that name that is not a runbook lock is
/// refused, never overwritten (`--state Gemfile` must not touch `Gemfile.lock`).
final class StateLock {
  let lockPath: String
  private var fd: Int32

  private init(lockPath: String, fd: Int32) {
    self.lockPath = lockPath
    self.fd = fd
  }

  deinit { release() }

  /// Locks the state at `statePath` without waiting.
  static func acquire(
    for statePath: String, info: LockInfo, creating: Bool = false
  ) throws(StoreError) -> StateLock {
    let lockPath = path(for: statePath)
    let fd: Int32
    switch POSIXFile.openFile(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK) {
    case .success(let opened): fd = opened
    case .failure(let error) where error.code == ELOOP: throw .symlink(lockPath)
    case .failure(let error) where error.isPermission:
      throw creating
        ? .cannotCreate(statePath, "directory not writable")
        : .notWritable(statePath, "cannot create its lock file \(lockPath) (\(error.message))")
    case .failure(let error):
      throw creating
        ? .cannotCreate(statePath, error.message)
        : .notWritable(statePath, "cannot open its lock file \(lockPath) (\(error.message))")
    }
    guard POSIXFile.isRegular(fd) else {
      close(fd)
      throw .notWritable(statePath, "\(lockPath) exists and is not runbook's lock file; move it away")
    }
    // A reader asking who holds the lock (``holder(ofLocked:)``) takes it shared for a moment:
    // try again briefly before saying the state is in use.
    var attempts = 0
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      if code == EINTR { continue }
      if code == EWOULDBLOCK, attempts < 10 {
        attempts += 1
        usleep(20_000)
        continue
      }
      close(fd)
      if code == EWOULDBLOCK { throw .inUse(statePath, by: holder(lockPath)) }
      throw .notWritable(statePath, "cannot lock \(lockPath) (\(String(cString: strerror(code))))")
    }
    // Holders write the file only while they hold the lock: now it can be read without a race.
    guard isRunbookLock(fd) else {
      close(fd)
      throw .notWritable(statePath, "\(lockPath) exists and is not runbook's lock file; move it away")
    }
    fchmod(fd, 0o600)
    if let line = JournalCoding.line(info, encoder: JournalCoding.makeEncoder()) {
      // Not history: overwriting is fine, and a failure here only affects messages.
      _ = ftruncate(fd, 0)
      _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
      _ = POSIXFile.sync(fd)
    }
    return StateLock(lockPath: lockPath, fd: fd)
  }

  func release() {
    guard fd >= 0 else { return }
    close(fd)
    fd = -1
  }

  /// Who holds the lock of the state at `statePath` right now, or nil when nobody does (or
  /// there is no lock file). Probes with a shared lock taken and dropped at once; ``acquire``
  /// retries past such a probe.
  static func holder(ofLocked statePath: String) -> LockInfo? {
    let lockPath = path(for: statePath)
    guard case .success(let fd) = POSIXFile.openFile(lockPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) else {
      return nil
    }
    defer { close(fd) }
    while flock(fd, LOCK_SH | LOCK_NB) != 0 {
      if errno == EINTR { continue }
      return errno == EWOULDBLOCK ? holder(lockPath) : nil
    }
    flock(fd, LOCK_UN)
    return nil
  }

  /// The lock file of a state file.
  static func path(for statePath: String) -> String { statePath + ".runbook-lock" }

  /// True for an empty file (just created, or its holder had not written yet) or one that holds
  /// a ``LockInfo``.
  private static func isRunbookLock(_ fd: Int32) -> Bool {
    guard case .success(let bytes) = POSIXFile.readAll(fd), !bytes.isEmpty else { return true }
    return (try? JournalCoding.makeDecoder().decode(LockInfo.self, from: Data(bytes))) != nil
  }

  /// Who holds the lock, retrying briefly while the holder is still writing it.
  private static func holder(_ lockPath: String) -> LockInfo {
    let decoder = JournalCoding.makeDecoder()
    for attempt in 0..<5 {
      if attempt > 0 { usleep(20_000) }
      guard case .success(let fd) = POSIXFile.openFile(lockPath, O_RDONLY | O_NOFOLLOW) else { break }
      let bytes = try? POSIXFile.readAll(fd).get()
      close(fd)
      if let bytes, let info = try? decoder.decode(LockInfo.self, from: Data(bytes)) { return info }
    }
    return LockInfo(operator: "unknown", pid: 0, host: "unknown", since: Date())
  }
}
