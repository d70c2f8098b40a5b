import Foundation

/// Durations written in code block attributes: `30s`, `500ms`, `2m`, `1h`, or plain seconds.
public enum DurationParser {
  public static func seconds(_ text: String) -> TimeInterval? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, scale) in units where t.hasSuffix(suffix) {
      guard let n = Double(t.dropLast(suffix.count)), n >= 0, n.isFinite else { return nil }
      return n * scale
    }
    guard let n = Double(t), n >= 0, n.isFinite else { return nil }
    return n
  }
}
