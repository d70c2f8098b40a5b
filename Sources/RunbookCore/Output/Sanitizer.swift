/// The one place that makes document and command text safe to print: terminal escape
/// sequences and other control characters are shown inert, never interpreted.
public enum Sanitizer {
  /// Text for a terminal or a log: C0 and C1 controls (except newline and tab) and DEL become
  /// visible caret or `<U+XXXX>` forms, so `ESC[2J` prints as `^[[2J`.
  public static func terminal(_ text: String, keepNewlines: Bool = true) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      if scalar == "\n" || scalar == "\t" {
        if keepNewlines || scalar == "\t" { out.unicodeScalars.append(scalar) } else { out += " " }
      } else if scalar.value < 0x20 {
        out += "^" + String(Unicode.Scalar(UInt8(scalar.value + 0x40)))
      } else if scalar.value == 0x7F {
        out += "^?"
      } else if isControl(scalar) {
        out += "<U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: return false
    case 0x00..<0x20, 0x7F, 0x80..<0xA0: return true
    // Bidirectional overrides and isolates can make text read differently from what it is.
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// Text for HTML element content or a quoted attribute.
  public static func html(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in terminal(text) {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}

extension String {
  func leftPadded(to width: Int, with pad: Character = "0") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
