import Foundation
import RunbookMarkdown

/// A step, page or section that applies only when an input has (or has not) one of some values:
/// the chosen alternative of a `<Tabs>` block or of sections offered as alternatives, or an
/// author's `<!-- if: input = value -->`.
public struct Condition: Hashable, Sendable {
  /// The id of the input the condition reads.
  public var input: String
  /// The values that make it hold (or, when `negated`, fail).
  public var values: [String]
  /// True for `!=`: it holds when the value is none of `values`.
  public var negated: Bool
  /// Where it is written.
  public var location: SourceLocation

  public init(input: String, values: [String], negated: Bool = false, location: SourceLocation) {
    self.input = input
    self.values = values
    self.negated = negated
    self.location = location
  }

  /// Whether the condition holds for a value; values compare without case.
  public func holds(for value: String) -> Bool {
    let folded = value.lowercased()
    let matches = values.contains { $0.lowercased() == folded }
    return matches != negated
  }

  /// `platform = docker | kubernetes`, as authors write it.
  public var description: String {
    "\(input) \(negated ? "!=" : "=") \(values.joined(separator: " | "))"
  }
}

extension Condition {
  /// Reads what follows `if:` in a comment: `input = value`, `input == value`, `input != value`,
  /// with several values separated by `|`; the input is a placeholder name, normalised. Nil when
  /// it cannot be read.
  public init?(parsing text: String, at location: SourceLocation) {
    let negated: Bool
    let parts: [Substring]
    if let range = text.range(of: "!=") {
      negated = true
      parts = [text[..<range.lowerBound], text[range.upperBound...]]
    } else if let range = text.range(of: "==") ?? text.range(of: "=") {
      negated = false
      parts = [text[..<range.lowerBound], text[range.upperBound...]]
    } else {
      return nil
    }
    let input = Placeholder.normalize(String(parts[0]))
    let values = parts[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      .map {
        $0.count >= 2 && ($0.hasPrefix("\"") && $0.hasSuffix("\"")) ? String($0.dropFirst().dropLast()) : $0
      }
    guard !input.isEmpty, !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.init(input: input, values: values, negated: negated, location: location)
  }
}
