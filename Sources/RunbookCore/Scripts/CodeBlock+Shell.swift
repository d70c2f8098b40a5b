import Foundation

extension CodeBlock {
  /// The author marked it never to be offered to run (`{norun}`).
  public var isNoRun: Bool { attribute("norun").map { $0 != "false" } ?? false }

  /// Languages whose blocks are shown and never offered to run: output, data and query
  /// languages. Any language not in ``ScriptSubstitution/shellLanguages`` is not offered either;
  /// this list only documents the common ones.
  public static let neverOffered: Set<String> = [
    "text", "txt", "log", "output", "plaintext", "yaml", "yml", "json", "promql", "sql", "toml", "ini",
    "xml", "html",
  ]

  /// A shell block a guided run offers to run (``runs(offeringShellBlocks:)``): a block in a shell
  /// language (`sh`, `bash`, `shell`, `zsh`, `console`, `shell-session`), or an unlabelled block
  /// that reads as shell (``readsAsShell``), with something to run, not marked `{norun}`, and not
  /// already a `{run}` command or a `{check}`.
  public var isOfferedShellBlock: Bool {
    guard !isCommand, !isCheck, !isNoRun else { return false }
    if let language = language?.lowercased() {
      guard ScriptSubstitution.shellLanguages.contains(language) else { return false }
    } else if !readsAsShell {
      return false
    }
    return !runnableText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
  }

  /// True when the block runs as a command: a `{run}` block always, a shell block
  /// (``isOfferedShellBlock``) when shell blocks are offered (a guided run, or an unattended run
  /// with `--run-shell-blocks`).
  public func runs(offeringShellBlocks: Bool) -> Bool {
    isCommand || (offeringShellBlocks && isOfferedShellBlock)
  }

  /// Programs an unlabelled block may start with and still read as shell.
  static let knownCommands: Set<String> = [
    "apt", "apt-get", "aws", "az", "bash", "cat", "cd", "chmod", "chown", "cp", "curl", "dnf", "docker",
    "echo", "env", "export", "gcloud", "git", "go", "grep", "helm", "journalctl", "kubectl", "ln", "ls",
    "make", "mkdir", "mv", "npm", "npx", "oc", "openssl", "pip", "pip3", "printf", "psql", "python3",
    "rm", "scp", "sed", "set", "sh", "source", "ssh", "sudo", "systemctl", "tar", "terraform", "touch",
    "unset", "wget", "yum", "yarn", "brew", "swift", "cargo", "podman", "minikube", "kind", "jq",
    "envsubst", "base64", "head", "tail", "tee", "test", "read", "for", "if", "while", "until",
  ]

  /// An unlabelled block reads as shell when every line that is not a comment or a continuation
  /// starts like a command (a word, a path or `NAME=value`, never `{`, `[`, `-`, `<` or a word
  /// ending in `:`), and its first command is a program runbook knows (``knownCommands``), a
  /// path (`./install.sh`, `/usr/bin/x`) or an assignment. YAML, JSON, PromQL, log lines and
  /// prose do not.
  public var readsAsShell: Bool {
    var first: String?
    var continuing = false
    for raw in displayText.split(separator: "\n") {
      let line = raw.trimmingCharacters(in: .whitespaces)
      defer { continuing = line.hasSuffix("\\") }
      if continuing || line.isEmpty || line.hasPrefix("#") { continue }
      guard let word = line.split(separator: " ").first.map(String.init) else { continue }
      if word.hasSuffix(":") || "{[-<(\"'|>".contains(word.first!) { return false }
      if first == nil { first = word }
    }
    guard let first else { return false }
    if first.hasPrefix("./") || first.hasPrefix("/") || first.hasPrefix("~/") { return true }
    if let equals = first.firstIndex(of: "="), equals != first.startIndex,
      first[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
    {
      return true
    }
    return Self.knownCommands.contains(first)
  }
}
