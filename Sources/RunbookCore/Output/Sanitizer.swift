/// The one place that makes document and command text safe to print: terminal escape
/// sequences and other control characters are shown inert, never interpreted.
public enum Sanitizer {
  /// Text for a terminal or a log: C0 and C1 controls (except newline and tab) and DEL become
  /// visible caret or `<U+XXXX>` forms, so `ESC[2J` prints as `^[[2J`.
  public static func terminal(_ text: String, keepNewlines: Bool = true) -> String {
    guard needsCleaning(text, keepNewlines: keepNewlines) else { return text }
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

  /// True when `text` holds a scalar ``terminal(_:keepNewlines:)`` changes, found by one pass
  /// over the UTF-8 bytes (most text has none, and decoding scalars costs several times more).
  private static func needsCleaning(_ text: String, keepNewlines: Bool) -> Bool {
    var previous: UInt8 = 0
    var beforePrevious: UInt8 = 0
    for byte in text.utf8 {
      switch byte {
      case 0x09: break
      case 0x0A: if !keepNewlines { return true }
      case 0x00..<0x20, 0x7F: return true
      // U+0080–U+009F are C2 80–C2 9F.
      case 0x80...0x9F where previous == 0xC2: return true
      // U+202A–U+202E are E2 80 AA–AE; U+2066–U+2069 are E2 81 A6–A9.
      case 0xAA...0xAE where previous == 0x80 && beforePrevious == 0xE2: return true
      case 0xA6...0xA9 where previous == 0x81 && beforePrevious == 0xE2: return true
      default: break
      }
      beforePrevious = previous
      previous = byte
    }
    return false
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

  /// Text for HTML element content or a quoted attribute: control characters made visible as
  /// ``terminal(_:)`` shows them, then ``escapeHTML(_:)``.
  public static func html(_ text: String) -> String {
    escapeHTML(terminal(text))
  }

  /// `& < > " '` escaped, Unicode scalar by scalar: a quote followed by a combining mark is one
  /// Swift `Character` (`"\u{301}`), which a `Character`-wise escaper (swift-mustache's default)
  /// lets through raw, ending an attribute value early.
  public static func escapeHTML(_ text: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(scalar)
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
