import Foundation
import RunbookCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin wrappers over the system calls the journal needs; failures carry `errno`.
enum POSIXFile {
  /// What `lstat` says is at a path.
  enum Entry {
    case missing, regular, symlink, directory, other
    case failed(Int32)
  }

  /// The `write(2)` a journal uses; replaced in tests to simulate a full disk.
  typealias Writer = @Sendable (Int32, UnsafeRawBufferPointer) -> Int

  static let systemWrite: Writer = { fd, buffer in write(fd, buffer.baseAddress, buffer.count) }

  static func entry(at path: String) -> Entry {
    var st = stat()
    guard lstat(path, &st) == 0 else { return errno == ENOENT ? .missing : .failed(errno) }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFLNK: return .symlink
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  static func closeFile(_ fd: Int32) {
    _ = close(fd)
  }

  static func isRegular(_ fd: Int32) -> Bool {
    var st = stat()
    return fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
  }

  static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600) -> Result<Int32, Errno> {
    while true {
      let fd = open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return .success(fd) }
      if errno != EINTR { return .failure(Errno(errno)) }
    }
  }

  /// The whole file from offset 0.
  static func readAll(_ fd: Int32) -> Result<[UInt8], Errno> {
    // Read straight into the array, sized from fstat (plus room to notice growth), instead of
    // through a chunk buffer that is copied and regrown.
    var info = stat()
    let expected = fstat(fd, &info) == 0 ? max(0, Int(info.st_size)) : 0
    var bytes = [UInt8](repeating: 0, count: expected + (1 << 16))
    var count = 0
    while true {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(1 << 16, count))) }
      let n = bytes.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress! + count, buffer.count - count, off_t(count))
      }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(Errno(errno))
      }
      if n == 0 {
        bytes.removeSubrange(count...)
        return .success(bytes)
      }
      count += n
    }
  }

  /// Writes every byte, looping on partial writes.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8], using writer: Writer = systemWrite) -> Errno? {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { writer(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
      if n < 0 {
        if errno == EINTR { continue }
        return Errno(errno)
      }
      if n == 0 { return Errno(EIO) }
      offset += n
    }
    return nil
  }

  static func sync(_ fd: Int32) -> Errno? {
    while fsync(fd) != 0 {
      if errno != EINTR { return Errno(errno) }
    }
    return nil
  }

  /// Makes a new directory entry in `directory` durable.
  @discardableResult static func syncDirectory(_ directory: String) -> Errno? {
    switch openFile(directory, O_RDONLY | O_DIRECTORY) {
    case .failure(let error): return error
    case .success(let fd):
      defer { close(fd) }
      return sync(fd)
    }
  }

  /// Creates `directory` and any missing parents with mode 0700.
  static func makeDirectories(_ directory: String) -> Errno? {
    switch entry(at: directory) {
    case .directory: return nil
    case .missing: break
    case .failed(let code): return Errno(code)
    case .regular, .symlink, .other:
      var st = stat()
      // A symbolic link to a directory is fine as a parent.
      return stat(directory, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR ? nil : Errno(ENOTDIR)
    }
    let parent = parentDirectory(of: directory)
    if parent != directory, let error = makeDirectories(parent) { return error }
    guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { return Errno(errno) }
    chmod(directory, 0o700)
    syncDirectory(parent)
    return nil
  }

  static func parentDirectory(of path: String) -> String {
    let parent = PathName.deletingLastComponent(path)
    return parent.isEmpty ? "." : parent
  }

  /// An `errno` value with its message.
  struct Errno: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var message: String { String(cString: strerror(code)) }
    var isPermission: Bool { [EACCES, EPERM, EROFS].contains(code) }
  }
}
