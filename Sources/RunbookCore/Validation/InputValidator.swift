import Foundation

/// Checks a value against an input's rules. The one place where input validation lives: the
/// session asks it for every answer, `--set`, `--answers` and environment value, and lint asks
/// it whether an input's own example and default pass.
public struct InputValidator: Sendable {
  /// The longest value accepted, so that huge pastes fail clearly rather than slowly.
  public static let maximumLength = 16 * 1024

  public enum Result: Equatable, Sendable {
    /// The value to store (yes/no and choices normalised; otherwise exactly as given).
    case valid(String)
    /// Why the value was refused, in one sentence for the admin.
    case invalid(String)
  }

  public init() {}

  /// Validates a value given for an input. A value is never changed silently: a secret is kept
  /// exactly as given, and any other value that starts or ends with spaces (a stray space from
  /// a paste) is refused with a word saying so.
  public func validate(_ value: String, for input: Input) -> Result {
    if value.isEmpty {
      return input.required ? .invalid("\(input.label) is required") : .valid("")
    }
    if !input.secret, value.first?.isWhitespace == true || value.last?.isWhitespace == true {
      if value.allSatisfy(\.isWhitespace) {
        return input.required
          ? .invalid("\(input.label) is required")
          : .invalid("\(input.label) is only spaces; leave it empty or type a value")
      }
      return .invalid("\(input.label) starts or ends with a space; type it without")
    }
    if value.utf8.count > Self.maximumLength {
      return .invalid("\(input.label) is longer than \(Self.maximumLength / 1024) KB")
    }
    if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      return .invalid(
        "\(input.label) contains control characters (a line break or tab?); paste it on one line")
    }
    var normalised = value
    switch input.kind {
    case .text: break
    case .url:
      guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
        ["http", "https"].contains(scheme),
        let host = url.host, !host.isEmpty
      else {
        return .invalid(input.message ?? "\(input.label) must be a URL such as https://example.com")
      }
    case .email:
      let parts = value.split(separator: "@", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
        !parts[1].hasSuffix("."), !value.contains(" ")
      else {
        return .invalid(input.message ?? "\(input.label) must be an e-mail address such as admin@example.com")
      }
    case .number:
      guard Double(value) != nil else {
        return .invalid(input.message ?? "\(input.label) must be a number")
      }
    case .choice:
      guard let choice = input.choices.first(where: { $0.caseInsensitiveCompare(value) == .orderedSame })
      else {
        return .invalid("\(input.label) must be one of: \(input.choices.joined(separator: ", "))")
      }
      normalised = choice
    case .yesNo:
      switch value.lowercased() {
      case "y", "yes", "true": normalised = "yes"
      case "n", "no", "false": normalised = "no"
      default: return .invalid("\(input.label) must be yes or no")
      }
    }
    if let pattern = input.pattern {
      let regex: BoundedRegex
      do {
        regex = try BoundedRegex(fullMatch: pattern)
      } catch {
        return .invalid(
          "\(input.label) cannot be checked: the runbook's pattern is not a valid regular expression")
      }
      switch regex.matches(normalised) {
      case .match: break
      case .noMatch: return .invalid(input.message ?? "\(input.label) must match \(pattern)")
      case .timedOut:
        return .invalid(
          "\(input.label) could not be checked in time against the runbook's pattern; shorten the value or ask the author to simplify the pattern"
        )
      }
    }
    return .valid(normalised)
  }
}
