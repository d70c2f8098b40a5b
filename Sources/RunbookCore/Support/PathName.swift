/// File paths split into folder and name, the way `NSString`'s path methods split them for
/// ordinary paths. Written here because swift-corelibs-foundation's versions crash (an illegal
/// instruction, not an error) on paths a user can type: `deletingLastPathComponent` of a
/// one-character name (`runbook resume a`), and all of them on a `//` followed by a name that
/// ends in a non-ASCII character (`runbook show docs//é`).
///
/// Only `/` and `.` are looked at, both ASCII, so paths are split at UTF-8 bytes and any other
/// text passes through unchanged.
public enum PathName {
  /// Runs of `/` made one and a trailing `/` dropped, except for `/` itself.
  public static func normalized(_ path: String) -> String {
    let slash = UInt8(ascii: "/")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(path.utf8.count)
    for byte in path.utf8 where !(byte == slash && bytes.last == slash) {
      bytes.append(byte)
    }
    if bytes.count > 1, bytes.last == slash { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The last name of the path: `a/b.md` → `b.md`, `a/b/` → `b`, `/` → `/`, `` → ``.
  public static func lastComponent(_ path: String) -> String {
    let path = normalized(path)
    guard path.utf8.count > 1, let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
    return String(path[path.utf8.index(after: slash)...])
  }

  /// The path without its last name: `a/b.md` → `a`, `/a` → `/`, `a` → ``, `/` → `/`.
  public static func deletingLastComponent(_ path: String) -> String {
    let path = normalized(path)
    if path == "/" { return path }
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
  }

  /// A name without its extension (from its last `.`): `b.md` → `b`, `a.b.c` → `a.b`, `a.` →
  /// `a`; a name starting with its only dot (`.hidden`) and `..` stay as they are.
  public static func deletingExtension(_ name: String) -> String {
    guard name != "..", let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex
    else { return name }
    return String(name[..<dot])
  }

  /// `name` inside `directory` (`name` alone when `directory` is empty).
  public static func appending(_ name: String, to directory: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// An id (a runbook's or a run's) as one file name: characters other than ASCII letters,
  /// digits, `.`, `_` and `-` become `-`, and it never starts with a dot, so `../../x` or `a/b`
  /// can never name a file outside the folder it is put in.
  public static func safeFileName(_ id: String) -> String {
    var name = String(
      id.unicodeScalars.map { scalar -> Character in
        let c = Character(scalar)
        return (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" || c == "-" || c == "." ? c : "-"
      })
    while name.hasPrefix(".") { name.removeFirst() }
    return name.isEmpty ? "runbook" : name
  }
}
