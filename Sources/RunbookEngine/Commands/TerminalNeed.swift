import Foundation

/// Commands that need a terminal of their own: runbook runs commands with standard input from
/// /dev/null and output to a pipe (so their output can be shown, masked and kept), so such a
/// command would hang or fail. It is refused with the reason, and the admin runs it in a
/// terminal of their own (the guided run prints it plain for copying).
enum TerminalNeed {
  /// Programs that always take over the terminal.
  static let interactivePrograms: Set<String> = [
    "vi", "vim", "nvim", "nano", "emacs", "less", "more", "top", "htop", "watch", "man", "tmux", "screen",
  ]
  /// Programs whose `exec`, `run`, `attach` or `debug` with `-t`/`-ti`/`-it`/`--tty` open a terminal.
  static let containerPrograms: Set<String> = ["kubectl", "oc", "docker", "podman", "nerdctl", "crictl"]

  /// Why `script` needs a terminal, naming the command, or nil.
  static func reason(_ script: String) -> String? {
    for rawLine in script.split(separator: "\n") {
      // Commands of a line: split at `;`, `&&`, `||` and `|` (roughly; quotes are not parsed).
      let line = rawLine.replacingOccurrences(of: "&&", with: ";").replacingOccurrences(of: "||", with: ";")
        .replacingOccurrences(of: "|", with: ";")
      for command in line.split(separator: ";") {
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let first = words.first,
          first == "sudo" || first.contains("=") || first == "{" || first == "then"
            || first == "do"
        {
          words.removeFirst()
        }
        guard let program = words.first.map({ ($0 as NSString).lastPathComponent }) else { continue }
        if program.hasPrefix("#") { break }
        if interactivePrograms.contains(program) { return "`\(program)`" }
        if containerPrograms.contains(program),
          words.contains(where: { ["exec", "run", "attach", "debug"].contains($0) }),
          words.contains(where: { ["-t", "-ti", "-it", "--tty"].contains($0) || $0 == "--stdin=true" })
        {
          let flag = words.first { ["-t", "-ti", "-it", "--tty"].contains($0) } ?? "-t"
          return "`\(program) … \(flag)`"
        }
        if program == "ssh-keygen", !words.contains("-N"),
          !words.contains(where: { $0.hasPrefix("-l") || $0 == "-y" || $0 == "-F" || $0 == "-R" })
        {
          return "`ssh-keygen` asks for a passphrase; give one with -N"
        }
      }
    }
    return nil
  }
}
