import Foundation

/// An `application/x-www-form-urlencoded` body or query: every value of every name, in order.
struct FormData: Sendable {
  private(set) var pairs: [(String, String)] = []

  init(_ text: String) {
    for part in text.split(separator: "&", omittingEmptySubsequences: true) {
      let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = Self.decode(pieces[0])
      let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
      pairs.append((name, value))
    }
  }

  subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

  func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

  /// Values of the names that start with `prefix`, by the rest of the name.
  func prefixed(_ prefix: String) -> [String: String] {
    var out: [String: String] = [:]
    for (name, value) in pairs where name.hasPrefix(prefix) {
      out[String(name.dropFirst(prefix.count))] = value
    }
    return out
  }

  private static func decode(_ text: Substring) -> String {
    let spaced = text.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }
}
