/// GitHub-style heading anchors, made unique within one document.
struct Slugger {
  private var seen: [String: Int] = [:]

  /// The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces as hyphens.
  static func slug(_ text: String) -> String {
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
