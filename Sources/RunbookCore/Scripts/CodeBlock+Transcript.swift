extension CodeBlock {
  /// A terminal transcript: commands after a prompt (continued by a trailing `\`), and the
  /// output lines that follow each. A `console` / `shell-session` block is one, with `$ ` and
  /// `# ` (root) prompts; so is a block of shell (`sh`, `bash`, `shell`, `zsh`) in which a line
  /// starts with `$ `, as real guides write them: no script line starts that way, so the `$ `
  /// lines are the commands, and its `#` lines stay comments.
  public var isTranscript: Bool { isConsole || isPromptedShell }

  private var isConsole: Bool {
    guard let language = language?.lowercased() else { return false }
    return ["console", "shell-session", "shellsession", "terminal"].contains(language)
  }

  private var isPromptedShell: Bool {
    guard let language = language?.lowercased(), ScriptSubstitution.shellLanguages.contains(language),
      !isConsole
    else { return false }
    return text.hasPrefix("$ ") || text.contains("\n$ ")
  }

  /// The text that runs: the whole block (without Docusaurus's highlight comments, see
  /// ``displayText``), or a transcript's commands without their prompts.
  public var runnableText: String {
    guard isTranscript else { return displayText }
    return Self.transcript(displayText, rootPrompt: isConsole).commands.joined(separator: "\n")
  }

  /// The output lines a transcript shows after its commands: what the commands are expected to
  /// print.
  public var expectedOutput: String? {
    guard isTranscript else { return nil }
    let output = Self.transcript(displayText, rootPrompt: isConsole).output
    return output.isEmpty ? nil : output.joined(separator: "\n")
  }

  /// Blocks of output (`text`, `txt`, `log`, `output`, `plaintext`): what a program printed,
  /// never scanned for placeholders or variables.
  public var isOutput: Bool {
    guard let language = language?.lowercased() else { return false }
    return ["text", "txt", "log", "logs", "output", "plaintext"].contains(language)
  }

  /// The text scanned for placeholders and `$VARIABLES`, line for line as written (so that
  /// positions stay right): empty for an output block, and a transcript's output lines left
  /// blank and prompts turned into spaces. Output is never scanned: `<none>` or `<pod name>` in what a command printed is not
  /// something to ask for.
  public var scannedText: String {
    if isOutput { return "" }
    guard isTranscript else { return text }
    let rootPrompt = isConsole
    var kept: [Substring] = []
    var continuing = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if continuing {
        kept.append(line)
        continuing = line.hasSuffix("\\")
      } else if line.hasPrefix("$ ") || (rootPrompt && line.hasPrefix("# ")) {
        // The prompt becomes spaces: the command starts where it did, at a command's start.
        kept.append("  " + line.dropFirst(2))
        continuing = line.hasSuffix("\\")
      } else {
        kept.append("")
      }
    }
    return kept.joined(separator: "\n")
  }

  /// A transcript split into commands (prompt removed, continuation lines joined with their
  /// newline kept) and output lines. Without `rootPrompt` (a prompted shell block) a `#` line is
  /// a comment: neither a command nor output.
  static func transcript(_ text: String, rootPrompt: Bool = true) -> (commands: [String], output: [String]) {
    var commands: [String] = []
    var output: [String] = []
    var continuing = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if continuing {
        commands[commands.count - 1] += "\n" + line
        continuing = line.hasSuffix("\\")
      } else if !rootPrompt && line.hasPrefix("#") {
        continue
      } else if line.hasPrefix("$ ") || line.hasPrefix("# ") || line == "$" || line == "#" {
        let command = String(line.dropFirst(min(2, line.count)))
        commands.append(command)
        continuing = command.hasSuffix("\\")
      } else if !(line.isEmpty && output.isEmpty) {
        output.append(String(line))
      }
    }
    while output.last?.isEmpty == true { output.removeLast() }
    return (commands, output)
  }
}
