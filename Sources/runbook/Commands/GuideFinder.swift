import Glibc

/// Expands the paths given to `lint` into guide files, in a stable order.
///
/// A path that names a file is a guide whatever its name. A folder is searched, depth first,
/// for `*.md` and `*.mdx` names (a symbolic link with such a name counts; the loader reports it
/// if it leads nowhere); folders whose names start with `.` and `node_modules` are skipped, and
/// symbolic links to folders are not followed, so a link cycle cannot trap the walk. A folder
/// that cannot be read is reported, never skipped silently. Each folder's guides come out
/// sorted by path, whatever order the file system lists them in.
///
/// Written on `opendir`/`readdir` rather than `FileManager.enumerator`: the enumerator cost
/// a tenth of linting a small guide per file (all of it before the work shared across cores
/// starts), skipped unreadable folders without a word, and listed a folder named `x.md` as a
/// guide. `fts(3)` would do, but Swift's Glibc module does not
/// export it.
enum GuideFinder {
  static func find(_ paths: [String], problems: inout [String]) -> [String] {
    var out: [String] = []
    for path in paths {
      var info = stat()
      guard stat(path, &info) == 0 else {
        problems.append(
          errno == EACCES
            ? "\(path): cannot be read (permission denied?)"
            : "\(path): no such file or folder; check the path")
        continue
      }
      guard info.st_mode & S_IFMT == S_IFDIR else {
        out.append(path)
        continue
      }
      var found: [String] = []
      walk(path, into: &found, problems: &problems)
      out += found.sorted()
    }
    return out
  }

  /// Collects the guides under `root`, depth first, with an explicit stack of folders.
  static func walk(_ root: String, into found: inout [String], problems: inout [String]) {
    var folders = [root]
    while let folder = folders.popLast() {
      guard let stream = opendir(folder) else {
        problems.append(
          errno == EACCES
            ? "\(folder): cannot be read (permission denied?); lint skipped the guides in it"
            : "\(folder): cannot be read (\(String(cString: strerror(errno)))); lint skipped the guides in it"
        )
        continue
      }
      defer { closedir(stream) }
      let prefix = folder.utf8.last == UInt8(ascii: "/") ? folder : folder + "/"
      while let entry = readdir(stream) {
        let raw = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
        if raw.first == UInt8(ascii: ".") { continue }  // also "." and ".."
        guard let name = String(validating: raw, as: UTF8.self) else {
          // Paths are Swift strings: such a name cannot be opened by it. Say so for what lint
          // would have read; other files are none of its business.
          let shown = String(decoding: raw, as: UTF8.self)
          if Int32(entry.pointee.d_type) == Int32(DT_DIR) || shown.hasSuffix(".md") || shown.hasSuffix(".mdx")
          {
            problems.append("\(prefix)\(shown): the name is not valid UTF-8; rename it to lint it")
          }
          continue
        }
        let path = prefix + name
        let isFolder: Bool
        switch Int32(entry.pointee.d_type) {
        case Int32(DT_DIR): isFolder = true
        case Int32(DT_UNKNOWN):  // some file systems do not say: ask
          var info = stat()
          isFolder = lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        default: isFolder = false  // files, and links (to folders too: not followed)
        }
        if isFolder {
          if name != "node_modules" { folders.append(path) }
        } else if name.hasSuffix(".md") || name.hasSuffix(".mdx") {
          found.append(path)
        }
      }
    }
  }
}
