/// How a run of text is shown: SGR parameters and an OSC 8 hyperlink target.
struct TextAttributes: Hashable, Sendable {
  /// SGR parameters, such as 1 for bold or 36 for cyan, in the order applied.
  var sgr: [Int] = []
  /// A hyperlink target, already stripped of controls and spaces.
  var link: String? = nil

  static let none = TextAttributes()

  /// These attributes with SGR parameters added.
  func adding(_ codes: Int...) -> TextAttributes {
    var copy = self
    for code in codes where !copy.sgr.contains(code) { copy.sgr.append(code) }
    return copy
  }

  func linking(_ target: String?) -> TextAttributes {
    var copy = self
    copy.link = target
    return copy
  }
}

/// SGR parameters the renderer uses.
enum SGR {
  static let bold = 1
  static let dim = 2
  static let italic = 3
  static let underline = 4
  static let strikethrough = 9
  static let red = 31
  static let green = 32
  static let yellow = 33
  static let blue = 34
  static let magenta = 35
  static let cyan = 36
}
