#if canImport(Glibc)
  import Glibc
#endif

/// Writing to a file descriptor with `write(2)`: every byte, through partial writes and signals,
/// and failures returned as `errno` instead of stopping the program (Foundation's `FileHandle`
/// traps on a full disk or a closed pipe).
public enum OutputFile {
  /// Writes all of `text`; returns `errno` of the failure, or nil.
  public static func write(_ fd: Int32, _ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { bytes -> Int32? in
      var offset = 0
      while offset < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          return n < 0 ? errno : EIO
        }
      }
      return nil
    }
  }
}
