import Foundation

/// Reads a guide from disk, turning every way a path can be unusable into one clear sentence.
public enum GuideLoader {
  /// Why a guide could not be read.
  public struct Failure: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
  }

  /// The largest guide accepted, to fail clearly instead of exhausting memory.
  public static let maximumSize = 64 * 1024 * 1024

  public static func read(_ path: String) throws(Failure) -> String {
    // One stat(2), not FileManager's fileExists and attributesOfItem: the latter also looks up
    // the owner's and group's names, which cost more than linting a small guide.
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == EACCES {
        throw Failure(path: path, reason: "cannot be read (permission denied?)")
      }
      throw Failure(path: path, reason: "no such file; check the path")
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      throw Failure(path: path, reason: "is a directory; name a Markdown file inside it")
    }
    // A FIFO or device would block the read or never end: only regular files are guides.
    if info.st_mode & S_IFMT != S_IFREG {
      throw Failure(path: path, reason: "is not a regular file; give a Markdown guide")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw Failure(path: path, reason: "cannot be read (permission denied?)")
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: maximumSize + 1) ?? Data()
    } catch {
      throw Failure(path: path, reason: "cannot be read: \(error.localizedDescription)")
    }
    if data.count > maximumSize {
      throw Failure(path: path, reason: "is larger than \(maximumSize / 1024 / 1024) MB; split the guide")
    }
    return try decode(data, path: path)
  }

  /// Checks that bytes are UTF-8 text, not binary data.
  public static func decode(_ data: Data, path: String) throws(Failure) -> String {
    // memchr over the bytes: `Data.firstIndex(of:)` checks exclusive access on every byte.
    let nul = data.withUnsafeBytes { bytes -> Int? in
      guard let base = bytes.baseAddress, let found = memchr(base, 0, bytes.count) else { return nil }
      return base.distance(to: UnsafeRawPointer(found))
    }
    if let nul {
      throw Failure(
        path: path, reason: "is not a text file (NUL byte at offset \(nul)); give a Markdown guide")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      var offset = 0
      var iterator = data.makeIterator()
      var decoder = UTF8()
      loop: while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s): offset += UTF8.width(s)
        case .emptyInput, .error: break loop
        }
      }
      throw Failure(
        path: path, reason: "is not valid UTF-8 (first bad byte at offset \(offset)); save it as UTF-8")
    }
    return text
  }
}
