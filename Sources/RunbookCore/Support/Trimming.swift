/// Whitespace trimming without Foundation: `trimmingCharacters(in:)` bridges every call through
/// NSString and UTF-16 on Linux, and the compiler trims every line of every paragraph. Same sets as Foundation's `.whitespaces` (Unicode Zs and
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
  /// Runs of whitespace made one space, none at the ends.
  func collapsingWhitespace() -> String {
    split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
