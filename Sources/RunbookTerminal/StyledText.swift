/// Text with attributes per character: what the renderer builds from sanitised document text
/// before it wraps lines and writes escape sequences. Holds no escape sequence itself.
struct StyledText: Sendable {
  private(set) var characters: [Character] = []
  private(set) var attributes: [TextAttributes] = []

  init() {}

  /// Text that is already sanitised, with one set of attributes.
  init(_ text: String, _ attributes: TextAttributes = .none) {
    append(text, attributes)
  }

  var isEmpty: Bool { characters.isEmpty }
  var count: Int { characters.count }

  /// The columns the text takes.
  var width: Int { characters.reduce(0) { $0 + DisplayWidth.of($1) } }

  /// The text without attributes.
  var plain: String { String(characters) }

  mutating func append(_ text: String, _ attributes: TextAttributes = .none) {
    for character in text {
      characters.append(character)
      self.attributes.append(attributes)
    }
  }

  mutating func append(_ character: Character, _ attributes: TextAttributes) {
    characters.append(character)
    self.attributes.append(attributes)
  }

  mutating func append(_ other: StyledText) {
    characters += other.characters
    attributes += other.attributes
  }

  subscript(range: Range<Int>) -> StyledText {
    var out = StyledText()
    out.characters = Array(characters[range])
    out.attributes = Array(attributes[range])
    return out
  }

  /// The text split at newlines; empty lines kept.
  var lines: [StyledText] {
    var out: [StyledText] = []
    var start = 0
    for (index, character) in characters.enumerated() where character == "\n" {
      out.append(self[start..<index])
      start = index + 1
    }
    out.append(self[start..<characters.count])
    return out
  }

  /// The text without trailing spaces.
  var trimmingTrailingSpaces: StyledText {
    var end = characters.count
    while end > 0, characters[end - 1] == " " { end -= 1 }
    return self[0..<end]
  }

  /// Tabs replaced by spaces up to the next multiple of `tabWidth` columns.
  func expandingTabs(_ tabWidth: Int = 4) -> StyledText {
    guard characters.contains("\t") else { return self }
    var out = StyledText()
    var column = 0
    for (character, attributes) in zip(characters, attributes) {
      if character == "\t" {
        let spaces = tabWidth - column % tabWidth
        out.append(String(repeating: " ", count: spaces), attributes)
        column += spaces
      } else {
        out.append(character, attributes)
        column = character == "\n" ? 0 : column + DisplayWidth.of(character)
      }
    }
    return out
  }

  /// The text with its own SGR and OSC 8 sequences. Every styled run is closed before the end,
  /// so a line can be prefixed, padded or printed on its own.
  func encoded(color: Bool, hyperlinks: Bool) -> String {
    var out = ""
    var openLink: String? = nil
    var start = 0
    while start < characters.count {
      let current = attributes[start]
      var end = start + 1
      while end < characters.count, attributes[end] == current { end += 1 }
      let link = hyperlinks ? current.link : nil
      if link != openLink {
        if openLink != nil { out += Self.linkClose }
        if let link { out += "\u{1B}]8;;\(link)\u{1B}\\" }
        openLink = link
      }
      let text = String(characters[start..<end])
      if color, !current.sgr.isEmpty {
        out += "\u{1B}[" + current.sgr.map(String.init).joined(separator: ";") + "m" + text + "\u{1B}[0m"
      } else {
        out += text
      }
      start = end
    }
    if openLink != nil { out += Self.linkClose }
    return out
  }

  private static let linkClose = "\u{1B}]8;;\u{1B}\\"
}
