import Foundation
import RunbookCore

/// Escaping for the web UI: every value from a guide, an answer or a command reaches a page
/// only through these functions (or a template's `{{ }}`, which calls ``escape(_:)``).
///
/// Escaping works on Unicode scalars, not on Swift `Character`s: a quote followed by a combining
/// mark is one `Character` (`"\u{301}`), which a `Character`-wise escaper (swift-mustache's
/// default) lets through raw, ending an attribute value early (``Sanitizer/escapeHTML(_:)``).
public enum HTMLText {
  /// Text for element content or a double-quoted attribute value: `& < > " '` escaped, control
  /// characters and bidirectional overrides made visible as the terminal shows them.
  public static func escape(_ text: String) -> String {
    Sanitizer.html(text)
  }

  /// The address to put in `href` or `src`, or nil when it must not become a live link: only
  /// `http:`, `https:` and `mailto:` addresses and in-page anchors (`#…`) are kept. Relative
  /// addresses are refused too: they would resolve against this server, not the guide's site.
  /// The result is escaped for a double-quoted attribute.
  public static func safeURL(_ address: String) -> String? {
    let trimmed = address.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
    else { return nil }
    if trimmed.hasPrefix("#") { return escape(trimmed) }
    let lower = trimmed.lowercased()
    for scheme in ["https://", "http://", "mailto:"]
    where lower.hasPrefix(scheme) && trimmed.count > scheme.count {
      return escape(trimmed)
    }
    return nil
  }
}
