/// Reads a shell script far enough to know the quoting context of every character: bare words,
/// single and double quotes, `$'…'`, comments, command substitutions (`$(…)`, backticks),
/// here-documents (quoted or not), arithmetic, and the arguments of commands that read their
/// arguments again as code (`eval`, `sh -c`, `ssh`, `watch`). Not a full shell parser: enough for
/// ``ScriptSubstitution`` to place values safely, erring on the side of refusing.
struct ShellContexts {
  private var contexts: [ScriptContext]

  func context(at offset: Int) -> ScriptContext {
    offset < contexts.count ? contexts[offset] : .bare
  }

  /// A place where commands are read: the script itself, `$(…)`, backticks.
  private struct CommandFrame {
    var words: [String] = []
    var word = ""
    /// Set once the command is one that reads its arguments again as code.
    var reparsedBy: String?
    var parentheses = 0
    var kind: Kind

    enum Kind { case script, substitution, backtick }
  }

  private enum Frame {
    case command(CommandFrame)
    case single, double, ansiC
    case arithmetic(depth: Int)
    case heredoc(delimiter: String, literal: Bool, stripTabs: Bool)
  }

  static func of(_ text: String) -> ShellContexts {
    var lexer = Lexer(Array(text))
    lexer.run()
    return ShellContexts(contexts: lexer.contexts)
  }

  private struct Lexer {
    let chars: [Character]
    var i = 0
    var contexts: [ScriptContext]
    var stack: [Frame] = [.command(CommandFrame(kind: .script))]
    /// Here-documents announced on the current line, read after its newline.
    var pending: [(delimiter: String, literal: Bool, stripTabs: Bool)] = []

    init(_ chars: [Character]) {
      self.chars = chars
      contexts = Array(repeating: .bare, count: chars.count)
    }

    /// The context a placeholder here is in, given the innermost frame.
    var current: ScriptContext {
      for frame in stack {
        if case .command(let command) = frame, let by = command.reparsedBy { return .reparsed(by: by) }
        if case .arithmetic = frame { return .reparsed(by: "arithmetic expansion") }
      }
      switch stack.last! {
      case .command: return .bare
      case .single: return .singleQuoted
      case .double: return .doubleQuoted
      case .ansiC: return .ansiC
      case .arithmetic: return .reparsed(by: "arithmetic expansion")
      case .heredoc(let delimiter, let literal, _):
        return literal ? .literalHeredoc(delimiter: delimiter, line: currentLine) : .expandingHeredoc
      }
    }

    var currentLine: String {
      var start = i
      while start > 0, chars[start - 1] != "\n" { start -= 1 }
      var end = i
      while end < chars.count, chars[end] != "\n" { end += 1 }
      return String(chars[start..<end])
    }

    func peek(_ offset: Int = 1) -> Character? { i + offset < chars.count ? chars[i + offset] : nil }

    mutating func mark(_ context: ScriptContext, count: Int = 1) {
      for k in i..<min(i + count, chars.count) { contexts[k] = context }
    }

    mutating func run() {
      while i < chars.count {
        switch stack.last! {
        case .command: command()
        case .single, .ansiC:
          run1()
        case .double: double()
        case .arithmetic(let depth): arithmetic(depth)
        case .heredoc(let delimiter, let literal, let strip): heredocLine(delimiter, literal, strip)
        }
      }
    }

    mutating func double() {
      let c = chars[i]
      mark(current)
      switch c {
      case "\\":
        mark(current, count: 2)
        i += 2
      case "\"":
        stack.removeLast()
        i += 1
      case "`":
        stack.append(.command(CommandFrame(kind: .backtick)))
        i += 1
      case "$" where peek() == "(":
        openDollarParen()
      default:
        i += 1
      }
    }

    mutating func arithmetic(_ depth: Int) {
      mark(.reparsed(by: "arithmetic expansion"))
      if chars[i] == "(" {
        stack[stack.count - 1] = .arithmetic(depth: depth + 1)
      } else if chars[i] == ")" {
        if depth == 0 {
          // `))` ends it.
          stack.removeLast()
          if peek() == ")" { i += 1 }
        } else {
          stack[stack.count - 1] = .arithmetic(depth: depth - 1)
        }
      }
      i += 1
    }

    mutating func heredocLine(_ delimiter: String, _ literal: Bool, _ strip: Bool) {
      // At the start of a body line: is it the end?
      var end = i
      while end < chars.count, chars[end] != "\n" { end += 1 }
      var line = String(chars[i..<end])
      if strip { line = String(line.drop { $0 == "\t" }) }
      if line == delimiter {
        for k in i..<end { contexts[k] = .bare }
        stack.removeLast()
        i = min(end + 1, chars.count)
        startPendingHeredoc()
        return
      }
      if literal {
        let context = ScriptContext.literalHeredoc(delimiter: delimiter, line: String(chars[i..<end]))
        for k in i..<end { contexts[k] = context }
        i = min(end + 1, chars.count)
        return
      }
      // An expanding body: `$(…)` and backticks in it are commands.
      while i < end {
        if chars[i] == "\\" {
          mark(.expandingHeredoc, count: 2)
          i += 2
        } else if chars[i] == "$", peek() == "(" {
          let depth = stack.count
          openDollarParen()
          while i < chars.count, stack.count > depth { step() }
        } else if chars[i] == "`" {
          let depth = stack.count
          mark(.expandingHeredoc)
          i += 1
          stack.append(.command(CommandFrame(kind: .backtick)))
          while i < chars.count, stack.count > depth { step() }
        } else {
          mark(.expandingHeredoc)
          i += 1
        }
      }
      i = min(end + 1, chars.count)
    }

    /// One step of whatever frame is on top (for nested frames inside a here-document line).
    mutating func step() {
      switch stack.last! {
      case .command: command()
      case .double: double()
      case .arithmetic(let depth): arithmetic(depth)
      case .single, .ansiC, .heredoc:
        let before = stack.count
        run1()
        if stack.count == before, i >= chars.count { return }
      }
    }

    /// One character of a single-quoted or `$'…'` string.
    mutating func run1() {
      switch stack.last! {
      case .single:
        mark(current)
        if chars[i] == "'" { stack.removeLast() }
        i += 1
      case .ansiC:
        mark(current, count: chars[i] == "\\" ? 2 : 1)
        if chars[i] == "\\" { i += 1 } else if chars[i] == "'" { stack.removeLast() }
        i += 1
      default: i += 1
      }
    }

    mutating func openDollarParen() {
      mark(current, count: 2)
      if peek(2) == "(" {
        mark(.reparsed(by: "arithmetic expansion"), count: 3)
        i += 3
        stack.append(.arithmetic(depth: 0))
      } else {
        i += 2
        stack.append(.command(CommandFrame(kind: .substitution)))
      }
    }

    mutating func startPendingHeredoc() {
      guard !pending.isEmpty else { return }
      let next = pending.removeFirst()
      stack.append(.heredoc(delimiter: next.delimiter, literal: next.literal, stripTabs: next.stripTabs))
    }

    mutating func command() {
      guard case .command(var frame) = stack.last! else { return }
      let c = chars[i]
      func save() { stack[stack.count - 1] = .command(frame) }
      func endWord() {
        if !frame.word.isEmpty {
          frame.words.append(frame.word)
          frame.word = ""
          frame.reparsedBy = frame.reparsedBy ?? Self.reparsing(frame.words) ?? arithmeticTest(frame.words)
        }
      }
      func endCommand() {
        endWord()
        frame.words = []
        frame.reparsedBy = nil
      }
      mark(current)
      switch c {
      case "\\":
        mark(current, count: 2)
        frame.word += "\\"
        i += 2
      case "'":
        save()
        stack.append(.single)
        mark(current)
        i += 1
        return
      case "\"":
        save()
        stack.append(.double)
        mark(current)
        i += 1
        return
      case "$" where peek() == "'":
        save()
        stack.append(.ansiC)
        mark(current, count: 2)
        i += 2
        return
      case "$" where peek() == "(":
        frame.word += "$("
        save()
        openDollarParen()
        return
      case "`":
        if frame.kind == .backtick {
          endWord()
          stack.removeLast()
          i += 1
          return
        }
        save()
        stack.append(.command(CommandFrame(kind: .backtick)))
        i += 1
        return
      case "#" where frame.word.isEmpty:
        while i < chars.count, chars[i] != "\n" {
          contexts[i] = .comment
          i += 1
        }
        save()
        return
      case "(" where frame.word.isEmpty && peek() == "(":
        // `(( … ))` arithmetic command.
        endWord()
        save()
        mark(.reparsed(by: "arithmetic evaluation"), count: 2)
        i += 2
        stack.append(.arithmetic(depth: 0))
        return
      case "(":
        endCommand()
        frame.parentheses += 1
        i += 1
      case ")":
        if frame.kind == .substitution, frame.parentheses == 0 {
          endWord()
          stack.removeLast()
          i += 1
          return
        }
        frame.parentheses = max(0, frame.parentheses - 1)
        endCommand()
        i += 1
      case "<" where peek() == "<" && peek(2) != "<":
        endWord()
        i += 2
        save()
        readHeredocOperator()
        return
      case "\n":
        endCommand()
        i += 1
        save()
        startPendingHeredoc()
        return
      case ";", "&", "|", "{", "}":
        endCommand()
        i += 1
      case " ", "\t":
        endWord()
        i += 1
      default:
        frame.word.append(c)
        i += 1
      }
      save()
    }

    /// `[[ … -eq … ]]` compares arithmetic expressions, which bash evaluates (array subscripts
    /// included): looked for ahead, from the `[[` to its `]]`.
    func arithmeticTest(_ words: [String]) -> String? {
      guard words == ["[["] else { return nil }
      var end = i
      while end + 1 < chars.count, !(chars[end] == "]" && chars[end + 1] == "]") { end += 1 }
      let rest = String(chars[i..<end]).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
      let arithmetic: Set<Substring> = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]
      return rest.contains(where: arithmetic.contains) ? "an arithmetic comparison in `[[`" : nil
    }

    /// After `<<`: `-`, blanks, then the delimiter word; quoted means a literal body.
    mutating func readHeredocOperator() {
      var strip = false
      if i < chars.count, chars[i] == "-" {
        strip = true
        i += 1
      }
      while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
      var delimiter = ""
      var quoted = false
      while i < chars.count, !" \t\n;&|<>()".contains(chars[i]) {
        let c = chars[i]
        if c == "'" || c == "\"" {
          quoted = true
          i += 1
          while i < chars.count, chars[i] != c {
            delimiter.append(chars[i])
            i += 1
          }
          i += 1
        } else if c == "\\" {
          quoted = true
          i += 1
          if i < chars.count {
            delimiter.append(chars[i])
            i += 1
          }
        } else {
          delimiter.append(c)
          i += 1
        }
      }
      if !delimiter.isEmpty { pending.append((delimiter, quoted, strip)) }
    }

    /// Commands that read (some of) their arguments again as shell code.
    static func reparsing(_ words: [String]) -> String? {
      let skipped: Set<String> = [
        "then", "do", "else", "elif", "if", "while", "until", "!", "time", "sudo", "env", "command", "exec",
        "nohup", "xargs", "builtin",
      ]
      var index = 0
      while index < words.count, skipped.contains(words[index]) || isAssignment(words[index]) { index += 1 }
      guard index < words.count else { return nil }
      let name = words[index].split(separator: "/").last.map(String.init) ?? words[index]
      switch name {
      case "eval": return "`eval`"
      case "watch": return "`watch` (which runs its arguments with sh -c)"
      case "ssh": return words.count > index + 1 ? "`ssh` (the remote shell reads it again)" : nil
      case "let": return "`let` (arithmetic evaluation)"
      default: break
      }
      let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "ash", "su"]
      for (k, word) in words.enumerated()
      where shells.contains(word.split(separator: "/").last.map(String.init) ?? word) {
        if words[(k + 1)...].contains(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") })
        {
          return "`\(word) -c`"
        }
      }
      return nil
    }

    static func isAssignment(_ word: String) -> Bool {
      guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
      return word[..<equals].allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
  }
}
