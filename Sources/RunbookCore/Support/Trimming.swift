/// Whitespace trimming without Foundation: `trimmingCharacters(in:)` bridges every call through
/// NSString and UTF-16 on Linux (about 20,000 instructions for a short line), and the compiler
/// trims every line of every paragraph. Same sets as Foundation's `.whitespaces` (Unicode Zs and
/// tab) and `.whitespacesAndNewlines` (Unicode Z*, tab, U+000A–U+000D and U+0085); like
/// Foundation on Linux, both also hold U+200B ZERO WIDTH SPACE (checked for every scalar).
extension Unicode.Scalar {
  var isSpaceOrTab: Bool {
    value == 0x20 || value == 0x09 || value == 0x200B
      || (value >= 0x80 && properties.generalCategory == .spaceSeparator)
  }

  var isSpaceOrNewline: Bool {
    switch value {
    case 0x09...0x0D, 0x20, 0x85, 0x200B: return true
    case 0..<0x80: return false
    default:
      switch properties.generalCategory {
      case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
      default: return false
      }
    }
  }
}

extension Substring {
  /// `trimmingCharacters(in: .whitespaces)`.
  func trimmingSpaces() -> String { trimming(\.isSpaceOrTab) }

  /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
  func trimmingSpacesAndNewlines() -> String { trimming(\.isSpaceOrNewline) }

  func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !drop($0) })!
    return String(scalars[first...last])
  }
}

extension String {
  /// `trimmingCharacters(in: .whitespaces)`.
  func trimmingSpaces() -> String { self[...].trimming(\.isSpaceOrTab) }

  /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
  func trimmingSpacesAndNewlines() -> String { self[...].trimming(\.isSpaceOrNewline) }
}

extension String {
  /// `split(whereSeparator: \.isWhitespace).joined(separator: " ")`: runs of whitespace become
  /// one space, none at the ends. ASCII text (nearly every title) takes a byte loop; anything
  /// else keeps the Character-based original, so the result is always the same.
  func collapsingWhitespace() -> String {
    var text = self
    // On the contiguous bytes: iterating `utf8` cost about five instructions a byte per pass.
    return text.withUTF8 { utf8 in
      guard utf8.allSatisfy({ $0 < 0x80 }) else {
        return split(whereSeparator: \.isWhitespace).joined(separator: " ")
      }
      return Self.collapsingASCIIWhitespace(utf8)
    }
  }

  /// ``collapsingWhitespace()`` of ASCII bytes, written straight into the new string's storage.
  private static func collapsingASCIIWhitespace(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: utf8.count) { out in
      var count = 0
      var pendingSpace = false
      for b in utf8 {
        // Character.isWhitespace for ASCII: tab, LF, VT, FF, CR, space (and "\r\n", a CR first).
        if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
          pendingSpace = count > 0
        } else {
          if pendingSpace {
            out[count] = 0x20
            count += 1
          }
          pendingSpace = false
          out[count] = b
          count += 1
        }
      }
      return count
    }
  }
}
