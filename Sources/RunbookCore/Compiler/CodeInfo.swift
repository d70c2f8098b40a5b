import RunbookMarkdown

/// Reads a fence's info string: the language, then Runme-style attributes in braces
/// (`sh {check timeout=30s}`, `sh { name=x }`, `{run}`).
struct CodeInfo {
  var language: String?
  var attributes: [CodeBlock.Attribute] = []
  /// Problems with the attribute syntax, each with the column offset in the info string.
  var problems: [(message: String, offset: Int)] = []

  init(_ info: String, at location: SourceLocation) {
    let characters = Array(info.trimmingSpaces())
    var index = 0
    if let first = characters.first, first != "{" {
      while index < characters.count, !characters[index].isWhitespace, characters[index] != "{" {
        index += 1
      }
      language = index == 0 ? nil : String(characters[..<index])
    }
    guard let open = characters[index...].firstIndex(of: "{") else { return }
    guard let close = characters.lastIndex(of: "}"), close > open else {
      problems.append(("the attribute list opened with `{` is not closed with `}`", open))
      return
    }
    parseAttributes(characters, from: open + 1, to: close, at: location)
  }

  /// An attribute's name: letters, digits, `_` and `-`.
  private static func isNamePart(_ c: Character) -> Bool {
    c.isLetter || c.isNumber || c == "_" || c == "-"
  }

  private mutating func parseAttributes(
    _ c: [Character], from start: Int, to end: Int, at location: SourceLocation
  ) {
    var i = start
    // The info string starts after the fence, so columns are approximate but on the line.
    func here(_ offset: Int) -> SourceLocation {
      SourceLocation(line: location.line, column: location.column + 3 + offset)
    }
    while i < end {
      if c[i].isWhitespace || c[i] == "," {
        i += 1
        continue
      }
      let nameStart = i
      while i < end, Self.isNamePart(c[i]) { i += 1 }
      if i == nameStart {
        problems.append(("unexpected `\(c[i])` in the attribute list", i))
        i += 1
        continue
      }
      let name = String(c[nameStart..<i])
      if i < end, c[i] == "=" {
        i += 1
        var value: [Character] = []
        if i < end, c[i] == "\"" || c[i] == "'" {
          let quote = c[i]
          i += 1
          var closed = false
          while i < end {
            if c[i] == "\\", i + 1 < end {
              value.append(c[i + 1])
              i += 2
              continue
            }
            if c[i] == quote {
              closed = true
              i += 1
              break
            }
            value.append(c[i])
            i += 1
          }
          if !closed {
            problems.append(("the value of `\(name)` has no closing \(quote)", nameStart))
          }
        } else {
          while i < end, !c[i].isWhitespace, c[i] != "," {
            value.append(c[i])
            i += 1
          }
          if value.isEmpty { problems.append(("`\(name)=` has no value", nameStart)) }
        }
        attributes.append(.init(name: name, value: String(value), location: here(nameStart)))
      } else {
        attributes.append(.init(name: name, value: "true", location: here(nameStart)))
      }
    }
  }
}
