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

  /// What a file read with ``read(_:as:)`` is meant to be, for messages that name it right.
  public enum Kind: Sendable {
    case guide, answers, template

    var noun: String {
      switch self {
      case .guide: "a Markdown guide"
      case .answers: "an answers file (YAML)"
      case .template: "a Mustache template"
      }
    }

    /// Answers and templates may come from a pipe (`--answers <(pass show x)`); a guide is read
    /// more than once, so it must be a regular file.
    var allowsStreams: Bool { self != .guide }
  }

  public static func read(_ path: String, as kind: Kind = .guide) throws(Failure) -> String {
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
      throw Failure(
        path: path,
        reason: kind == .guide
          ? "is a directory; name a Markdown file inside it" : "is a directory; give \(kind.noun)")
    }
    // A device would never end: guides are regular files; answers and templates may also be
    // pipes (process substitution).
    let stream = info.st_mode & S_IFMT == S_IFIFO || info.st_mode & S_IFMT == S_IFSOCK
    if info.st_mode & S_IFMT != S_IFREG && !(stream && kind.allowsStreams) {
      throw Failure(path: path, reason: "is not a regular file; give \(kind.noun)")
    }
    // open(2) and read(2) into one buffer sized by the stat: FileHandle's read cost more than
    // reading the bytes.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == EACCES { throw Failure(path: path, reason: "cannot be read (permission denied?)") }
      throw Failure(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    // One byte more than the stat says, to see a file that grew; more room if it did.
    var buffer = [UInt8](repeating: 0, count: min(max(Int(info.st_size), 0), maximumSize) + 1)
    var count = 0
    while count <= maximumSize {
      if count == buffer.count {
        buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maximumSize + 1 - buffer.count)))
      }
      let read = buffer.withUnsafeMutableBytes {
        Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count)
      }
      if read == 0 { break }
      if read < 0 {
        if errno == EINTR { continue }
        throw Failure(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
      }
      count += read
    }
    if count > maximumSize {
      throw Failure(
        path: path,
        reason:
          "is larger than \(maximumSize / 1024 / 1024) MB; \(kind == .guide ? "split the guide" : "give a smaller file")"
      )
    }
    return try buffer.withUnsafeBytes { bytes in
      Result { () throws(Failure) in
        try decode(UnsafeRawBufferPointer(rebasing: bytes[..<count]), path: path, kind: kind)
      }
    }.get()
  }

  /// Checks that bytes are UTF-8 text, not binary data.
  public static func decode(_ data: Data, path: String, kind: Kind = .guide) throws(Failure) -> String {
    try data.withUnsafeBytes { bytes in
      Result { () throws(Failure) in try decode(bytes, path: path, kind: kind) }
    }.get()
  }

  static func decode(_ bytes: UnsafeRawBufferPointer, path: String, kind: Kind) throws(Failure) -> String {
    let nul: Int? = bytes.baseAddress.flatMap { base in
      memchr(base, 0, bytes.count).map { base.distance(to: UnsafeRawPointer($0)) }
    }
    if let nul {
      throw Failure(
        path: path, reason: "is not a text file (NUL byte at offset \(nul)); give \(kind.noun)")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      var offset = 0
      var iterator = bytes.makeIterator()
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
