/// GitHub-style heading anchors, made unique within one document.
struct Slugger {
  private var seen: [String: Int] = [:]

  /// The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces as hyphens.
  static func slug(_ text: String) -> String {
    slugASCII(text) ?? slugCharacters(text)
  }

  /// ``slug(_:)`` character by character, for any text.
  static func slugCharacters(_ text: String) -> String {
    var out = ""
    for character in text.lowercased() {
      if character.isLetter || character.isNumber || character == "-" || character == "_" {
        out.append(character)
      } else if character == " " {
        out.append("-")
      }
    }
    return out
  }

  /// ``slug(_:)`` of ASCII text, byte by byte (the same result without a Unicode property
  /// lookup per character); nil for any other text.
  static func slugASCII(_ text: String) -> String? {
    let utf8 = text.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    return String(unsafeUninitializedCapacity: utf8.count) { out in
      var count = 0
      for byte in utf8 {
        let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) || lower == 0x2D
          || lower == 0x5F
        {
          out[count] = lower
          count += 1
        } else if lower == 0x20 {
          out[count] = 0x2D
          count += 1
        }
      }
      return count
    }
  }

  /// The slug of a heading, with `-1`, `-2`… appended when an earlier heading had the same one.
  mutating func unique(_ text: String) -> String {
    let base = Self.slug(text)
    if let count = seen[base] {
      seen[base] = count + 1
      let candidate = "\(base)-\(count)"
      seen[candidate, default: 0] += 1
      return candidate
    }
    seen[base] = 1
    return base
  }
}
