/// Hides secret values in text shown or stored: command text, output, notes, reasons, reports.
///
/// It matches bytes, not characters, so a secret followed by a combining mark, a variation
/// selector or an emoji modifier (which Swift's `String` would join to its last character) is
/// still found; and it matches every form a secret takes when a shell or a tool prints it: as
/// given, inside single quotes (`'it'\''s'`, as `bash -x` writes it), backslash-escaped (as
/// `printf %q` writes it), escaped in a JSON string, and percent-encoded in a URL.
public struct SecretMasker: Sendable {
  public static let mask = "••••••"
  private static let maskBytes = Array(mask.utf8)
  /// Every form of every secret, longest first.
  private let forms: [[UInt8]]

  /// Secrets shorter than three characters are not masked: they would hide ordinary text.
  public init(secrets: some Sequence<String>) {
    var all: Set<[UInt8]> = []
    for secret in secrets where secret.count >= 3 {
      for form in Self.forms(of: secret) { all.insert(Array(form.utf8)) }
    }
    forms = all.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
  }

  /// True when there is nothing to hide.
  public var isEmpty: Bool { forms.isEmpty }

  /// True when `text` holds a secret in any of its forms.
  public func reveals(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.indices.contains { match(bytes[...], at: $0) != nil }
  }

  public func mask(_ text: String) -> String {
    guard !forms.isEmpty else { return text }
    let bytes = Array(text.utf8)
    return String(decoding: mask(bytes[...], holdingBack: false).masked, as: UTF8.self)
  }

  /// Masks `bytes`; with `holdingBack`, stops before a tail that could be the start of a secret
  /// (the rest of it may come with the next piece of output) and returns where it stopped.
  func mask(_ bytes: ArraySlice<UInt8>, holdingBack: Bool) -> (masked: [UInt8], consumed: Int) {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = bytes.startIndex
    while i < bytes.endIndex {
      if let length = match(bytes, at: i) {
        out += Self.maskBytes
        i += length
      } else if holdingBack, couldStartSecret(bytes[i...]) {
        break
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return (out, i - bytes.startIndex)
  }

  /// The length of the longest form of a secret found at `i`.
  private func match(_ bytes: ArraySlice<UInt8>, at i: Int) -> Int? {
    let first = bytes[i]
    for form in forms where form[0] == first && bytes.endIndex - i >= form.count {
      if bytes[i..<(i + form.count)].elementsEqual(form) { return form.count }
    }
    return nil
  }

  /// True when `tail` (which runs to the end of what has arrived) is a proper start of a form.
  private func couldStartSecret(_ tail: ArraySlice<UInt8>) -> Bool {
    forms.contains { form in tail.count < form.count && form.starts(with: tail) }
  }

  // MARK: - The forms of a secret

  static func forms(of secret: String) -> [String] {
    [secret, singleQuoted(secret), backslashQuoted(secret), jsonEscaped(secret), percentEncoded(secret)]
  }

  /// Inside single quotes, as `bash -x` and `ShellQuote` write it: `'` becomes `'\''`.
  static func singleQuoted(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "'\\''") }

  /// As `printf %q` writes it: shell-special characters preceded by a backslash (`#` and `~`
  /// only at the start).
  static func backslashQuoted(_ s: String) -> String {
    var out = ""
    for (offset, c) in s.enumerated() {
      if " !\"$&'()*,;<>?[\\]^`{|}".contains(c) || (offset == 0 && (c == "#" || c == "~")) {
        out.append("\\")
      }
      out.append(c)
    }
    return out
  }

  /// Inside a JSON string: `"` and `\` escaped.
  static func jsonEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }

  /// Percent-encoded as in a URL: everything but unreserved characters (RFC 3986).
  static func percentEncoded(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      let c = Character(Unicode.Scalar(byte))
      if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
        out.append(c)
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return out
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
