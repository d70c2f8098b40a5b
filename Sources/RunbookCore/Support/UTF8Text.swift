#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A read-only view of valid UTF-8 bytes for small hand-written scanners: byte searches with
/// `memchr`, and the two character classes of regular expressions, `\s` (Unicode White_Space)
/// and `\w` (letters, marks, decimal digits, connector punctuation, ZWNJ, ZWJ), decided on the
/// scalar that starts at an index.
struct UTF8Text {
  let bytes: UnsafeBufferPointer<UInt8>

  var count: Int { bytes.count }

  subscript(_ i: Int) -> UInt8 { bytes[i] }

  /// The text's bytes for the duration of `body`.
  static func with<R>(_ string: String, _ body: (UTF8Text) -> R) -> R {
    var string = string
    return string.withUTF8 { body(UTF8Text(bytes: $0)) }
  }

  /// The first index at or after `from`, before `end`, that holds `byte`.
  func index(of byte: UInt8, from: Int, end: Int? = nil) -> Int? {
    let end = end ?? count
    guard from < end, let base = bytes.baseAddress,
      let found = memchr(base + from, Int32(byte), end - from)
    else { return nil }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }

  /// Whether the bytes at `i` are `prefix`'s ASCII bytes, compared exactly.
  func hasPrefix(_ prefix: StaticString, at i: Int) -> Bool {
    let n = prefix.utf8CodeUnitCount
    guard i + n <= count else { return false }
    let p = prefix.utf8Start
    for k in 0..<n where bytes[i + k] != p[k] { return false }
    return true
  }

  /// Whether the bytes at `i` are `prefix` (lowercase ASCII) in any ASCII case.
  func hasPrefixIgnoringASCIICase(_ prefix: StaticString, at i: Int) -> Bool {
    let n = prefix.utf8CodeUnitCount
    guard i + n <= count else { return false }
    let p = prefix.utf8Start
    for k in 0..<n {
      let b = bytes[i + k]
      let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
      if lower != p[k] { return false }
    }
    return true
  }

  /// The scalar that starts at `i` and its length in bytes.
  func scalar(at i: Int) -> (Unicode.Scalar, Int) {
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
    func next(_ k: Int) -> UInt32 { i + k < count ? UInt32(bytes[i + k]) & 0x3F : 0 }
    let value: UInt32
    let length: Int
    if b0 < 0xE0 {
      (value, length) = ((b0 & 0x1F) << 6 | next(1), 2)
    } else if b0 < 0xF0 {
      (value, length) = ((b0 & 0x0F) << 12 | next(1) << 6 | next(2), 3)
    } else {
      (value, length) = ((b0 & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }

  /// The length of the white-space scalar (`\s`) at `i`, or 0.
  func whitespaceLength(at i: Int) -> Int {
    let b = bytes[i]
    if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0 }
    let (scalar, length) = self.scalar(at: i)
    return scalar.properties.isWhitespace ? length : 0
  }

  /// The index after the white space (`\s*`) that starts at `i`.
  func skippingWhitespace(from i: Int, end: Int? = nil) -> Int {
    let end = end ?? count
    var i = i
    while i < end {
      let n = whitespaceLength(at: i)
      if n == 0 { break }
      i += n
    }
    return i
  }

  /// Whether a word character (`\w`) starts at `i`; false at the end, so that "not a word
  /// character at `i`" is a regular expression's `\b` after a word.
  func isWordCharacter(at i: Int) -> Bool {
    guard i < count else { return false }
    let b = bytes[i]
    if b < 0x80 { return b.isASCIIAlphanumeric || b == UInt8(ascii: "_") }
    let (scalar, _) = self.scalar(at: i)
    let properties = scalar.properties
    switch properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
      return true
    default:
      return properties.isAlphabetic || scalar.value == 0x200C || scalar.value == 0x200D
    }
  }

  /// The text of `range` as a string.
  func string(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// How many line feeds `range` holds.
  func lineFeeds(in range: Range<Int>) -> Int {
    var lines = 0
    var from = range.lowerBound
    while let lf = index(of: 0x0A, from: from, end: range.upperBound) {
      lines += 1
      from = lf + 1
    }
    return lines
  }
}

extension UInt8 {
  /// `A`–`Z` or `a`–`z`.
  var isASCIILetter: Bool { self | 0x20 >= 0x61 && self | 0x20 <= 0x7A }
  /// `0`–`9`.
  var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
  /// A letter or digit of ASCII.
  var isASCIIAlphanumeric: Bool { isASCIILetter || isASCIIDigit }
}
