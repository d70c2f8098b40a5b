extension CodeBlock {
  /// A `console` / `shell-session` block is a terminal transcript: commands after a `$ ` or `# `
  /// prompt (continued by a trailing `\`), and the output lines that follow each.
  public var isTranscript: Bool {
    guard let language = language?.lowercased() else { return false }
    return ["console", "shell-session", "shellsession", "terminal"].contains(language)
  }

  /// The text that runs: the whole block (without Docusaurus's highlight comments, see
  /// ``displayText``), or a transcript's commands without their prompts.
  public var runnableText: String {
    guard isTranscript else { return displayText }
    return Self.transcript(displayText).commands.joined(separator: "\n")
  }

  /// The output lines a transcript shows after its commands: what the commands are expected to
  /// print.
  public var expectedOutput: String? {
    guard isTranscript else { return nil }
    let output = Self.transcript(displayText).output
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
    var kept: [Substring] = []
    var continuing = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if continuing {
        kept.append(line)
        continuing = line.hasSuffix("\\")
      } else if line.hasPrefix("$ ") || line.hasPrefix("# ") {
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
  /// newline kept) and output lines.
  static func transcript(_ text: String) -> (commands: [String], output: [String]) {
    var commands: [String] = []
    var output: [String] = []
    var continuing = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if continuing {
        commands[commands.count - 1] += "\n" + line
        continuing = line.hasSuffix("\\")
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
