/// How many terminal columns text takes: East Asian wide and fullwidth characters and emoji
/// take 2, combining marks and other zero-width characters 0, escape sequences (CSI such as
/// SGR, and OSC such as OSC 8 hyperlinks) 0, everything else 1.
public enum DisplayWidth {
  /// The columns a string takes, escape sequences skipped.
  public static func of(_ text: String) -> Int {
    var total = 0
    var state = EscapeState.text
    for character in text {
      switch state {
      case .text:
        if character == "\u{1B}" {
          state = .escape
        } else {
          total += of(character)
        }
      case .escape:
        state = character == "[" ? .csi : character == "]" ? .osc : .text
      case .csi:
        // Parameters and intermediates run until a final byte in @...~.
        if let value = character.asciiValue, (0x40...0x7E).contains(value) { state = .text }
      case .osc:
        if character == "\u{07}" { state = .text } else if character == "\u{1B}" { state = .oscEscape }
      case .oscEscape:
        state = character == "\\" ? .text : .osc
      }
    }
    return total
  }

  /// The columns one character (a grapheme cluster) takes.
  public static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
    if scalars.contains(where: isWide) { return 2 }
    // A text-default emoji followed by the emoji variation selector, such as ❤️.
    if first.properties.isEmoji, scalars.contains("\u{FE0F}") { return 2 }
    if scalars.allSatisfy(isZeroWidth) { return 0 }
    return 1
  }

  private enum EscapeState {
    case text, escape, csi, osc, oscEscape
  }

  static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return true
    default: return (0x1160...0x11FF).contains(scalar.value)  // Hangul medial vowels and finals
    }
  }

  /// East Asian Wide and Fullwidth characters (the main blocks) and emoji shown as emoji.
  static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    guard v >= 0x1100 else { return false }
    for range in wideRanges where range.contains(v) { return true }
    return scalar.properties.isEmojiPresentation
  }

  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
    0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F251, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]
}
