/// The shell variables a block reads (`$NAME`, `${NAME}`, `${NAME:-x}`…) and sets (an
/// assignment, `export`/`local`/`declare`/`readonly NAME=`, `read NAME`, `for NAME in`,
/// `select`, `mapfile`/`readarray`, `getopts`). A small scanner, not a shell parser: it skips
/// what is inside single quotes and quoted here-documents (never expanded), and says when a
/// block may set variables it cannot see (`source`, `.`, `eval`).
public struct ShellVariables: Sendable, Equatable {
  /// A variable read, with its line (0-based, in the scanned text) and UTF-8 column.
  public struct Read: Sendable, Equatable {
    public var name: String
    public var line: Int
    public var column: Int
  }

  public var reads: [Read] = []
  public var sets: Set<String> = []
  /// True when the block runs code the scanner cannot see into (`source file`, `. file`,
  /// `eval`): it may set any variable.
  public var opaque = false

  /// Variables every shell or login has, which a guide never has to supply. Reading one never
  /// makes an input.
  public static let standard: Set<String> = [
    "HOME", "PATH", "USER", "LOGNAME", "PWD", "OLDPWD", "SHELL", "TERM", "LANG", "LANGUAGE", "HOSTNAME",
    "HOSTTYPE", "OSTYPE", "MACHTYPE", "TMPDIR", "EDITOR", "VISUAL", "PAGER", "MAIL", "DISPLAY", "UID",
    "GIT_PAGER", "MANPAGER", "SYSTEMD_PAGER", "AWS_PAGER", "EUID", "GROUPS", "PPID", "RANDOM", "SRANDOM",
    "SECONDS", "LINENO", "IFS", "PS1", "PS2", "PS3", "PS4",
    "SHLVL", "REPLY", "OPTARG", "OPTIND", "COLUMNS", "LINES", "PIPESTATUS", "FUNCNAME", "HISTFILE",
    "EPOCHSECONDS", "EPOCHREALTIME", "KUBECONFIG", "SSH_AUTH_SOCK", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME",
    "XDG_DATA_HOME", "XDG_CACHE_HOME", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY",
    "HTTPS_PROXY", "NO_PROXY", "GOPATH", "GOROOT", "JAVA_HOME", "CI",
  ]

  /// True for a name the engine never asks for: standard (``standard``, `LC_*`, `BASH*`,
  /// `XDG_*`) or an input's own `RUNBOOK_INPUT_*`.
  public static func isStandard(_ name: String) -> Bool {
    standard.contains(name) || name.hasPrefix("LC_") || name.hasPrefix("BASH") || name.hasPrefix("XDG_")
      || name.hasPrefix("RUNBOOK_INPUT_") || name.hasPrefix("__RUNBOOK")
  }

  static func isNameStart(_ b: UInt8) -> Bool {
    (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
  }
  static func isNamePart(_ b: UInt8) -> Bool { isNameStart(b) || (b >= 48 && b <= 57) }

  /// Scans a shell script (a block's ``CodeBlock/scannedText``: a transcript's output lines
  /// already blank).
  public init(_ script: String) {
    let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
    var inSingle = false
    var hereEnd: String?  // the delimiter of a quoted here-document being skipped
    var pendingHere: String?
    for (number, line) in lines.enumerated() {
      if let end = hereEnd {
        if String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces) == end { hereEnd = nil }
        continue
      }
      var i = 0
      var commandStart = !inSingle
      var inDouble = false
      while i < line.count {
        let b = line[i]
        if inSingle {
          if b == UInt8(ascii: "'") { inSingle = false }
          i += 1
          continue
        }
        if b == UInt8(ascii: "\\") {
          i += 2
          continue
        }
        if b == UInt8(ascii: "'") && !inDouble {
          inSingle = true
          commandStart = false
          i += 1
          continue
        }
        if b == UInt8(ascii: "\"") {
          inDouble.toggle()
          commandStart = false
          i += 1
          continue
        }
        if b == UInt8(ascii: "#") && !inDouble
          && (i == 0 || line[i - 1] == UInt8(ascii: " ") || line[i - 1] == 9)
        {
          break  // a comment
        }
        if b == UInt8(ascii: "$") && i + 1 < line.count {
          var j = i + 1
          let braced = line[j] == UInt8(ascii: "{")
          if braced { j += 1 }
          if braced, j < line.count, line[j] == UInt8(ascii: "!") || line[j] == UInt8(ascii: "#") { j += 1 }
          let start = j
          if j < line.count, Self.isNameStart(line[j]) {
            while j < line.count, Self.isNamePart(line[j]) { j += 1 }
            reads.append(
              Read(name: String(decoding: line[start..<j], as: UTF8.self), line: number, column: i))
          }
          commandStart = false
          i = max(j, i + 1)
          continue
        }
        // `<<'EOF'` or `<<"EOF"` (or `<<\EOF`): the document is not expanded; skip it.
        if b == UInt8(ascii: "<") && i + 2 < line.count && line[i + 1] == UInt8(ascii: "<")
          && line[i + 2] != UInt8(ascii: "<")
        {
          var j = i + 2
          if j < line.count, line[j] == UInt8(ascii: "-") { j += 1 }
          while j < line.count, line[j] == UInt8(ascii: " ") { j += 1 }
          if j < line.count, [UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(line[j]) {
            let quote = line[j]
            j += 1
            let s = j
            while j < line.count, Self.isNamePart(line[j]) || line[j] == UInt8(ascii: "-") { j += 1 }
            pendingHere = String(decoding: line[s..<j], as: UTF8.self)
            if quote != UInt8(ascii: "\\"), j < line.count, line[j] == quote { j += 1 }
          }
          commandStart = false
          i = j
          continue
        }
        if [
          UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "("), UInt8(ascii: "{"),
          UInt8(ascii: "`"),
        ].contains(b) && !inDouble {
          commandStart = true
          i += 1
          continue
        }
        if b == UInt8(ascii: " ") || b == 9 {
          i += 1
          continue
        }
        // A word: at a command's start it may be an assignment or a command that sets names.
        var j = i
        while j < line.count,
          ![
            UInt8(ascii: " "), 9, UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"),
            UInt8(ascii: "$"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "<"),
            UInt8(ascii: ">"), UInt8(ascii: "`"),
          ].contains(line[j])
        {
          j += 1
        }
        let word = String(decoding: line[i..<j], as: UTF8.self)
        if commandStart && !inDouble {
          if let name = Self.assignedName(word) {
            sets.insert(name)
            // Still at a command's start: `A=1 B=2 cmd`.
          } else {
            commandStart = [
              "export", "local", "declare", "typeset", "readonly", "then", "do", "else", "!", "time",
              "sudo", "env",
            ].contains(word)
            switch word {
            case "for", "select":
              if let name = Self.nextWord(line, from: j), Self.isName(name) { sets.insert(name) }
            case "read", "mapfile", "readarray", "getopts":
              // Options that take a value, which is not a name the command sets.
              let valued: Set<String> =
                word == "read"
                ? ["-d", "-i", "-n", "-N", "-p", "-t", "-u"] : ["-d", "-n", "-O", "-s", "-u", "-C", "-c"]
              for name in Self.restWords(line, from: j, valued: valued) where Self.isName(name) {
                sets.insert(name)
              }
            case "source", ".", "eval":
              opaque = true
            default: break
            }
            if ["export", "local", "declare", "typeset", "readonly"].contains(word) {
              for name in Self.restWords(line, from: j) {
                if let assigned = Self.assignedName(name) {
                  sets.insert(assigned)
                } else if Self.isName(name) {
                  // `export NAME` marks it for export; `declare -a NAME` declares it.
                  if word != "export" { sets.insert(name) }
                }
              }
            }
          }
        }
        if word == "do" || word == "then" || word == "else" { commandStart = true }
        i = max(j, i + 1)
      }
      if let here = pendingHere {
        hereEnd = here
        pendingHere = nil
      }
    }
  }

  static func isName(_ word: String) -> Bool {
    let bytes = Array(word.utf8)
    guard let first = bytes.first, isNameStart(first) else { return false }
    return bytes.allSatisfy(isNamePart)
  }

  /// `NAME=…`, `NAME+=…` or `NAME[i]=…`: the name.
  static func assignedName(_ word: String) -> String? {
    guard let equals = word.firstIndex(of: "=") else { return nil }
    var name = String(word[..<equals])
    if name.hasSuffix("+") { name.removeLast() }
    if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
    return isName(name) ? name : nil
  }

  static func nextWord(_ line: [UInt8], from: Int) -> String? {
    restWords(line, from: from).first
  }

  /// The words after `from` up to the end of the command (`;`, `|`, `&`, `<`, `>`), options
  /// (`-r`, `-p prompt`) left out.
  static func restWords(_ line: [UInt8], from: Int, valued: Set<String> = []) -> [String] {
    var end = from
    while end < line.count,
      ![UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">")]
        .contains(
          line[end])
    {
      end += 1
    }
    let words = String(decoding: line[from..<end], as: UTF8.self).split(separator: " ").map(String.init)
    var out: [String] = []
    var skipNext = false
    for word in words {
      if skipNext {
        skipNext = false
        continue
      }
      if word.hasPrefix("-") {
        skipNext = valued.contains(word)
        continue
      }
      if word == "in" { break }
      out.append(word)
    }
    return out
  }
}
