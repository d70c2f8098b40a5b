import Foundation

/// One shell for a whole run, as in the admin's own terminal: what a shell block sets (exported
/// and plain variables, arrays, functions, the working directory) is there for the next block.
///
/// Each block still runs in a process of its own (its own process group, timeout and Ctrl-C), in
/// `bash`. Before the block, the state left by the blocks before it is replayed; when the block
/// ends (however it ends: an `EXIT` trap), the shell writes its state to file descriptor 3, which
/// the runner reads into memory. The state never touches the disk or the journal: it may hold
/// secrets. It is passed to the next block in an environment variable, so it lasts as long as
/// this process (a resumed run starts with a fresh shell; ``setBy`` says which earlier commands
/// set what, so they can be run again).
public final class ShellSession: @unchecked Sendable {
  /// The state to replay: bash source, as `declare -p`, `declare -f` and `cd` write it.
  public private(set) var state = ""
  /// Variable names carried now.
  public private(set) var carried: Set<String> = []
  /// The largest state carried (an environment variable holds at most 128 KiB on Linux).
  public static let maximumState = 100 * 1024

  private let lock = NSLock()

  public init() {}

  /// The bash arguments and environment that run `script` in this session; `errexit` adds
  /// `set -e -o pipefail` (a failing line fails the block).
  func invocation(_ script: String, errexit: Bool) -> (arguments: [String], environment: [String: String]) {
    let state = lock.withLock { self.state }
    // The preamble shares the script's first line, so the shell's line numbers in error messages
    // are the block's own.
    let preamble = Self.preamble + (errexit ? "set -e -o pipefail; " : "")
    return (["/bin/bash", "-c", preamble + script], ["__RUNBOOK_SHELL_STATE": state])
  }

  /// Takes the state a block wrote to file descriptor 3; returns the names of the variables the
  /// block set (new or changed).
  @discardableResult
  func absorb(_ written: String?) -> [String] {
    guard let written, written.hasPrefix("# runbook shell state\n") else { return [] }
    var lines = written.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
    guard lines.count == 3 else { return [] }
    let set = lines[1].hasPrefix("# set ") ? lines[1].dropFirst(6).split(separator: " ").map(String.init) : []
    let body = String(lines.removeLast())
    lock.withLock {
      if body.utf8.count <= Self.maximumState { state = body }
      carried = Set(Self.names(in: body))
    }
    return set
  }

  /// The variable names a state declares (`declare -x NAME=…`).
  static func names(in state: String) -> [String] {
    state.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("declare -") else { return nil }
      let parts = line.split(separator: " ", maxSplits: 2)
      guard parts.count == 3 else { return nil }
      return parts[2].split(separator: "=", maxSplits: 1).first.map(String.init)
    }
  }

  /// Captures the variables as they come from the environment, replays the session's state,
  /// notes the values after replaying, and on exit writes what differs from the environment
  /// (all the session's state) and the names this block changed.
  static let preamble = [
    "declare -A __rb_env __rb_before",
    "for __rb_n in $(compgen -v); do __rb_env[$__rb_n]=\"${!__rb_n-}\"; done",
    "eval \"${__RUNBOOK_SHELL_STATE-}\" 2>/dev/null",
    "unset __RUNBOOK_SHELL_STATE",
    "for __rb_n in $(compgen -v); do __rb_before[$__rb_n]=\"${!__rb_n-}\"; done",
    "__rb_save() { local __rb_status=$? __rb_n __rb_keep=() __rb_set=() __rb_f=(); "
      + "for __rb_n in $(compgen -v); do case $__rb_n in __rb_*|BASH*|FUNCNAME|PIPESTATUS|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH*|_|PWD|OLDPWD|SHLVL|PPID|UID|EUID|GROUPS|HISTCMD|DIRSTACK|COMP_WORDBREAKS|OPT*|SHELLOPTS|MACHTYPE|HOSTTYPE|OSTYPE|IFS|PS4|COLUMNS|LINES|RUNBOOK_INPUT_*) continue;; esac; "
      + "local -n __rb_ref=$__rb_n; "
      + "if [[ ${__rb_ref@a} == *[aA]* || ! -v __rb_env[$__rb_n] || \"${__rb_env[$__rb_n]}\" != \"${!__rb_n-}\" ]]; then __rb_keep+=(\"$__rb_n\"); fi; "
      + "if [[ ! -v __rb_before[$__rb_n] || \"${__rb_before[$__rb_n]}\" != \"${!__rb_n-}\" ]]; then __rb_set+=(\"$__rb_n\"); fi; "
      + "unset -n __rb_ref; done; "
      + "for __rb_n in $(compgen -A function); do [[ $__rb_n == __rb_* ]] || __rb_f+=(\"$__rb_n\"); done; "
      + "{ printf '# runbook shell state\\n# set %s\\n' \"${__rb_set[*]}\"; "
      + "((${#__rb_keep[@]})) && declare -p \"${__rb_keep[@]}\"; ((${#__rb_f[@]})) && declare -f \"${__rb_f[@]}\"; "
      + "printf 'cd -- %q\\n' \"$PWD\"; } 2>/dev/null >&3; return $__rb_status; }",
    "trap __rb_save EXIT",
    "",
  ].joined(separator: "; ")
}
