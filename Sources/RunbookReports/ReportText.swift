import Foundation
import Mustache
import RunbookCore
import RunbookEngine

/// A string of the template context. It renders as its raw text, so `{{x}}` escapes it for the
/// template's content type (HTML by default) and `{{{x}}}` does not; it counts as false in a
/// section when empty; and it offers the transforms of docs/report.md (`codeblock(x)`, plus
/// swift-mustache's `lowercased(x)`, `uppercased(x)`, `capitalized(x)`, `empty(x)`).
struct ReportText: MustacheCustomRenderable, MustacheTransformable, CustomStringConvertible, Sendable {
  let value: String

  init(_ value: String) { self.value = value }

  var renderText: String { value }
  var isNull: Bool { value.isEmpty }
  var description: String { value }

  func transform(_ name: String) -> Any? {
    switch name {
    case "codeblock": return ReportText(Self.codeBlock(value))
    default: return value.transform(name)
    }
  }

  // MARK: - Markdown

  /// Text for an inline position in Markdown (a paragraph, heading, list item or table cell):
  /// line breaks become spaces and every character that could start markup is
  /// backslash-escaped, so the text renders as itself on GitHub and in Jira.
  static func markdown(_ text: String) -> String {
    let characters = Array(text)
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for (index, character) in characters.enumerated() {
      switch character {
      case "\n", "\r", "\r\n", "\t":
        out += " "
      case "\\", "`", "*", "[", "]", "<", ">", "|", "~", "#", "$":
        out += "\\" + String(character)
      case "_":
        // `_` inside a word (user_pool_id) cannot emphasise; elsewhere it could.
        let inWord =
          index > 0 && index + 1 < characters.count && isWordCharacter(characters[index - 1])
          && isWordCharacter(characters[index + 1])
        out += inWord ? "_" : "\\_"
      case "&":
        out += startsEntity(characters, at: index) ? "\\&" : "&"
      default:
        out.append(character)
      }
    }
    return out
  }

  private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

  /// `&amp;`, `&#60;`: an `&` that Markdown would read as a character reference.
  private static func startsEntity(_ characters: [Character], at index: Int) -> Bool {
    var i = index + 1
    while i < characters.count, characters[i].isASCII,
      characters[i].isLetter || characters[i].isNumber
        || characters[i] == "#"
    {
      i += 1
    }
    return i > index + 1 && i < characters.count && characters[i] == ";"
  }

  /// A fenced code block holding `text` verbatim: the fence is longer than any run of
  /// backticks in the text, so nothing in it can close the block early.
  static func codeBlock(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
      if character == "`" {
        run += 1
        longest = max(longest, run)
      } else {
        run = 0
      }
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    var body = text
    while body.hasSuffix("\n") { body.removeLast() }
    return fence + "\n" + body + "\n" + fence
  }

  // MARK: - Times and durations

  /// `2026-11-28 10:15:30 UTC`.
  static func time(_ date: Date?) -> String {
    guard let date else { return "" }
    return JournalDateFormat.seconds(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(
      of: "Z", with: " UTC")
  }

  /// `850 ms`, `2.5 s`, `42 s`, `3 min 5 s`, `2 h 7 min`.
  static func duration(_ ms: Int?) -> String {
    guard let ms, ms >= 0 else { return "" }
    switch ms {
    case ..<1000: return "\(ms) ms"
    case ..<10_000: return "\(ms / 1000).\(ms % 1000 / 100) s"
    case ..<60_000: return "\(ms / 1000) s"
    case ..<3_600_000: return "\(ms / 60_000) min \(ms / 1000 % 60) s"
    default: return "\(ms / 3_600_000) h \(ms / 60_000 % 60) min"
    }
  }

  // MARK: - Shell

  /// A path as one shell word: unchanged when it holds only safe characters, else quoted.
  static func shellWord(_ text: String) -> String { ShellQuote.word(text) }
}

/// HTML escaping Unicode scalar by scalar (``Sanitizer/escapeHTML(_:)``), for every template
/// that does not choose another content type: swift-mustache's own HTML escaping goes by
/// `Character` and lets a quote followed by a combining mark through raw.
struct ScalarHTMLContentType: MustacheContentType {
  func escapeText(_ text: String) -> String { Sanitizer.escapeHTML(text) }
}

/// Markdown escaping for `{{x}}` after `{{% CONTENT_TYPE: MARKDOWN}}`.
struct MarkdownContentType: MustacheContentType {
  func escapeText(_ text: String) -> String { ReportText.markdown(text) }
}
