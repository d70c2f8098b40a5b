import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A libpq password file (`~/.pgpass`, or `PGPASSFILE`): lines of
/// `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\` escaped,
/// `#` starting a comment. Like libpq, a file that others can read is ignored.
struct PasswordFile {
  private var entries: [[String]]

  /// Nil when the file is missing, unreadable, or readable by group or others.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 == 0,
      let text = try? String(contentsOfFile: path, encoding: .utf8)
    else { return nil }
    self.init(text: text)
  }

  init(text: String) {
    entries = text.split(whereSeparator: \.isNewline).compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let fields = Self.fields(Substring(line))
      return fields.count == 5 ? fields : nil
    }
  }

  /// The password of the first entry that matches, or nil.
  func password(host: String, port: Int, database: String, user: String) -> String? {
    let wanted = [host, String(port), database, user]
    for entry in entries where zip(entry, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) {
      return entry[4]
    }
    return nil
  }

  private static func fields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" && fields.count < 4 {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }
}
