/// Reads a Python script far enough to know, for every character, whether it is in code, in a
/// comment, or inside a string (and which quote opened it), for ``ScriptSubstitution``.
struct PythonContexts {
  private var contexts: [ScriptContext]

  func context(at offset: Int) -> ScriptContext {
    offset < contexts.count ? contexts[offset] : .python(quote: nil)
  }

  static func of(_ text: String) -> PythonContexts {
    let chars = Array(text)
    var contexts = [ScriptContext](repeating: .python(quote: nil), count: chars.count)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "#" {
        while i < chars.count, chars[i] != "\n" {
          contexts[i] = .comment
          i += 1
        }
        continue
      }
      guard c == "'" || c == "\"" else {
        i += 1
        continue
      }
      // A string: its prefix (r, b, f, u and pairs) decides whether backslashes escape.
      var prefixStart = i
      while prefixStart > 0, "rRbBuUfF".contains(chars[prefixStart - 1]) { prefixStart -= 1 }
      let raw = chars[prefixStart..<i].contains { $0 == "r" || $0 == "R" }
      let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
      let quote = triple ? String(repeating: c, count: 3) : String(c)
      let context = ScriptContext.python(quote: quote)
      for k in i..<min(i + quote.count, chars.count) { contexts[k] = context }
      i += quote.count
      while i < chars.count {
        contexts[i] = context
        if chars[i] == "\\", !raw || i + 1 < chars.count {
          if i + 1 < chars.count { contexts[i + 1] = context }
          i += 2
          continue
        }
        if chars[i] == c, !triple || (i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c) {
          for k in i..<min(i + quote.count, chars.count) { contexts[k] = context }
          i += quote.count
          break
        }
        if chars[i] == "\n", !triple { break }
        i += 1
      }
    }
    return PythonContexts(contexts: contexts)
  }
}
