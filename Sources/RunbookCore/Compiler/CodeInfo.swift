import RunbookMarkdown

/// Reads a fence's info string: the language, then Runme-style attributes in braces
/// (`sh {check timeout=30s}`, `sh { name=x }`, `{run}`).
struct CodeInfo {
  var language: String?
  var attributes: [CodeBlock.Attribute] = []
  /// Problems with the attribute syntax, each with the column offset in the info string.
  var problems: [(message: String, offset: Int)] = []

  init(_ info: String, at location: SourceLocation) {
    let trimmed = info.trimmingSpaces()
    // ASCII without CR (a CR LF pair is one `Character`): one byte is one character, and
    // reading bytes costs a fraction of building an array of `Character`s.
    if trimmed.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
      self.init(units: Array(trimmed.utf8), at: location)
    } else {
      self.init(units: Array(trimmed), at: location)
    }
  }

  /// Reads the info string from its characters, or from the bytes of an ASCII one: the same
  /// steps, so offsets (in characters) and results are the same either way.
  init<Unit: InfoStringUnit>(units characters: [Unit], at location: SourceLocation) {
    let openBrace = Unit(ascii: UInt8(ascii: "{"))
    var index = 0
    if let first = characters.first, first != openBrace {
      while index < characters.count, !characters[index].isSpace, characters[index] != openBrace {
        index += 1
      }
      language = index == 0 ? nil : Unit.text(characters[..<index])
    }
    guard let open = characters[index...].firstIndex(of: openBrace) else { return }
    guard let close = characters.lastIndex(of: Unit(ascii: UInt8(ascii: "}"))), close > open else {
      problems.append(("the attribute list opened with `{` is not closed with `}`", open))
      return
    }
    parseAttributes(characters, from: open + 1, to: close, at: location)
  }

  private mutating func parseAttributes<Unit: InfoStringUnit>(
    _ c: [Unit], from start: Int, to end: Int, at location: SourceLocation
  ) {
    let comma = Unit(ascii: UInt8(ascii: ","))
    let equals = Unit(ascii: UInt8(ascii: "="))
    let backslash = Unit(ascii: UInt8(ascii: "\\"))
    let quotes = [Unit(ascii: UInt8(ascii: "\"")), Unit(ascii: UInt8(ascii: "'"))]
    var i = start
    // The info string starts after the fence, so columns are approximate but on the line.
    func here(_ offset: Int) -> SourceLocation {
      SourceLocation(line: location.line, column: location.column + 3 + offset)
    }
    while i < end {
      if c[i].isSpace || c[i] == comma {
        i += 1
        continue
      }
      let nameStart = i
      while i < end, c[i].isNamePart { i += 1 }
      if i == nameStart {
        problems.append(("unexpected `\(Unit.text(c[i...i]))` in the attribute list", i))
        i += 1
        continue
      }
      let name = Unit.text(c[nameStart..<i])
      if i < end, c[i] == equals {
        i += 1
        var value: [Unit] = []
        if i < end, quotes.contains(c[i]) {
          let quote = c[i]
          i += 1
          var closed = false
          while i < end {
            if c[i] == backslash, i + 1 < end {
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
            problems.append(("the value of `\(name)` has no closing \(Unit.text([quote]))", nameStart))
          }
        } else {
          while i < end, !c[i].isSpace, c[i] != comma {
            value.append(c[i])
            i += 1
          }
          if value.isEmpty { problems.append(("`\(name)=` has no value", nameStart)) }
        }
        attributes.append(.init(name: name, value: Unit.text(value), location: here(nameStart)))
      } else {
        attributes.append(.init(name: name, value: "true", location: here(nameStart)))
      }
    }
  }
}

/// An element of an info string as ``CodeInfo`` reads it: a `Character`, or a byte of an ASCII
/// string (where the two agree).
protocol InfoStringUnit: Equatable {
  init(ascii: UInt8)
  /// White space, which ends the language and separates attributes.
  var isSpace: Bool { get }
  /// A letter, a digit, `_` or `-`: part of an attribute's name.
  var isNamePart: Bool { get }
  static func text(_ units: some Collection<Self>) -> String
}

extension Character: InfoStringUnit {
  init(ascii: UInt8) { self.init(Unicode.Scalar(ascii)) }
  var isSpace: Bool { isWhitespace }
  var isNamePart: Bool { isLetter || isNumber || self == "_" || self == "-" }
  static func text(_ units: some Collection<Character>) -> String { String(units) }
}

extension UInt8: InfoStringUnit {
  init(ascii: UInt8) { self = ascii }
  /// Tab, line feed, vertical tab, form feed, carriage return and space: the ASCII characters
  /// that are `Character.isWhitespace`.
  var isSpace: Bool { (0x09...0x0D).contains(self) || self == 0x20 }
  var isNamePart: Bool {
    (0x61...0x7A).contains(self) || (0x41...0x5A).contains(self) || (0x30...0x39).contains(self)
      || self == 0x5F || self == 0x2D
  }
  static func text(_ units: some Collection<UInt8>) -> String { String(decoding: units, as: UTF8.self) }
}
