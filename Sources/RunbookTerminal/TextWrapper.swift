/// Word wrapping by display width: breaks at spaces and keeps the line breaks already in the
/// text. A word alone wider than the line (a long URL or path) gets a line of its own, whole, so
/// that it is never broken where a reader would copy it: the terminal folds it, and copies it
/// back as one line. Only table cells, which must fit their column, break such a word.
enum TextWrapper {
  /// Lines no wider than `width` columns (but for a word wider than that, kept whole unless
  /// `breakingLongWords`), without leading or trailing spaces.
  static func wrap(_ text: StyledText, width: Int, breakingLongWords: Bool = false) -> [StyledText] {
    text.lines.flatMap { wrapLine($0, width: max(1, width), breakLong: breakingLongWords) }
  }

  private static func wrapLine(_ text: StyledText, width: Int, breakLong: Bool) -> [StyledText] {
    let characters = text.characters
    var lines: [StyledText] = []
    var current = StyledText()
    var currentWidth = 0
    var index = 0
    while index < characters.count {
      let spaceStart = index
      while index < characters.count, characters[index] == " " { index += 1 }
      let wordStart = index
      while index < characters.count, characters[index] != " " { index += 1 }
      guard wordStart < index else { break }  // trailing spaces
      let word = text[wordStart..<index]
      let wordWidth = word.width
      if !current.isEmpty {
        let spaces = text[spaceStart..<wordStart]
        if currentWidth + spaces.width + wordWidth <= width {
          current.append(spaces)
          current.append(word)
          currentWidth += spaces.width + wordWidth
          continue
        }
        lines.append(current)
        current = StyledText()
        currentWidth = 0
      }
      if wordWidth <= width || !breakLong {
        current = word
        currentWidth = wordWidth
        continue
      }
      // A word wider than the line: break it wherever the line is full.
      for (character, attributes) in zip(word.characters, word.attributes) {
        let characterWidth = DisplayWidth.of(character)
        if currentWidth + characterWidth > width, !current.isEmpty {
          lines.append(current)
          current = StyledText()
          currentWidth = 0
        }
        current.append(character, attributes)
        currentWidth += characterWidth
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }
}
