import RunbookMarkdown

/// Lettered sub-steps as guides write them (`a. Add a name`): CommonMark has no lettered lists,
/// so they arrive as paragraphs, or as lines of one paragraph.
enum LetteredText {
  /// The letter of a paragraph written as `a. …` or `a) …`: a lowercase ASCII letter, `.` or
  /// `)`, then a space or tab, or nothing more when other inlines follow the text.
  static func letter(of inlines: [Inline]) -> Character? {
    guard case .text(let text, _)? = inlines.first else { return nil }
    let chars = Array(text.prefix(3))
    guard chars.count >= 2, let first = chars.first, first.isASCII, first.isLowercase,
      chars[1] == "." || chars[1] == ")"
    else { return nil }
    if chars.count == 3 {
      guard chars[2] == " " || chars[2] == "\t" else { return nil }
    } else if inlines.count == 1 {
      return nil
    }
    return first
  }

  /// The letter after `letter`.
  static func next(after letter: Character) -> Character {
    Character(Unicode.Scalar(letter.unicodeScalars.first!.value + 1)!)
  }

  /// The inlines without their leading `a. `.
  static func stripLetter(_ inlines: [Inline]) -> [Inline] {
    guard case .text(let text, let at)? = inlines.first else { return inlines }
    var rest = inlines
    let stripped = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    if stripped.isEmpty {
      rest.removeFirst()
    } else {
      rest[0] = .text(String(stripped), at)
    }
    return rest
  }

  /// Splits a paragraph before each line that is a lettered sub-step (`a. …`, then `b. …`…,
  /// with no blank line between them). The first part may be ordinary text (a step's title).
  static func splitAtLetteredLines(_ inlines: [Inline], _ range: SourceRange) -> [([Inline], SourceRange)] {
    guard inlines.contains(where: { if case .softBreak = $0 { true } else { false } }) else {
      return [(inlines, range)]
    }
    var lines: [[Inline]] = [[]]
    for inline in inlines {
      if case .softBreak = inline { lines.append([]) } else { lines[lines.count - 1].append(inline) }
    }
    var parts: [[Inline]] = []
    var expected: Character = "a"
    for line in lines {
      if let l = letter(of: line), l == expected {
        parts.append(line)
        expected = next(after: l)
      } else if parts.isEmpty {
        parts.append(line)
      } else {
        parts[parts.count - 1].append(.softBreak(line.first?.location ?? range.start))
        parts[parts.count - 1].append(contentsOf: line)
      }
    }
    guard parts.count > 1 || expected != "a" else { return [(inlines, range)] }
    return parts.map { ($0, SourceRange(start: $0.first?.location ?? range.start, end: range.end)) }
  }

  /// Splits every paragraph of a sequence at its lettered lines.
  static func splitParagraphs(_ nodes: [Node]) -> [Node] {
    // Most sequences have nothing to split: keep them as they are instead of rebuilding them.
    let anyToSplit = nodes.contains { node in
      guard case .block(.paragraph(let inlines, let range)) = node else { return false }
      let parts = splitAtLetteredLines(inlines, range)
      return parts.count != 1 || parts[0].0 != inlines || parts[0].1 != range
    }
    guard anyToSplit else { return nodes }
    return nodes.flatMap { node -> [Node] in
      guard case .block(.paragraph(let inlines, let range)) = node else { return [node] }
      return splitAtLetteredLines(inlines, range).map { .block(.paragraph($0.0, $0.1)) }
    }
  }
}
