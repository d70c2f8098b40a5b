import Foundation

/// Golden-file comparison: the expected text lives beside the tests; `RUNBOOK_RECORD=1`
/// rewrites it from the actual output (review the diff before committing).
public enum Golden {
  public static var recording: Bool { ProcessInfo.processInfo.environment["RUNBOOK_RECORD"] == "1" }

  /// Nil when `actual` matches the file (or was recorded); otherwise a readable diff.
  public static func mismatch(_ actual: String, file path: String) -> String? {
    let expected = try? String(contentsOfFile: path, encoding: .utf8)
    if recording {
      if expected != actual { try? actual.write(toFile: path, atomically: true, encoding: .utf8) }
      return nil
    }
    guard let expected else {
      return "no golden file at \(path); run the tests with RUNBOOK_RECORD=1 to create it"
    }
    if expected == actual { return nil }
    return "\(path) differs (- expected, + actual; RUNBOOK_RECORD=1 re-records):\n"
      + diff(expected, actual)
  }

  /// A line diff from the longest common subsequence, with two lines of context.
  public static func diff(_ a: String, _ b: String) -> String {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false)
    let y = b.split(separator: "\n", omittingEmptySubsequences: false)
    guard x.count * y.count < 4_000_000 else { return "(too large to diff)" }
    var lcs = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in stride(from: x.count - 1, through: 0, by: -1) {
      for j in stride(from: y.count - 1, through: 0, by: -1) {
        lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var lines: [(Character, Substring)] = []
    var i = 0
    var j = 0
    while i < x.count || j < y.count {
      if i < x.count, j < y.count, x[i] == y[j] {
        lines.append((" ", x[i]))
        i += 1
        j += 1
      } else if j < y.count, i == x.count || lcs[i][j + 1] >= lcs[i + 1][j] {
        lines.append(("+", y[j]))
        j += 1
      } else {
        lines.append(("-", x[i]))
        i += 1
      }
    }
    var keep = Array(repeating: false, count: lines.count)
    for (k, line) in lines.enumerated() where line.0 != " " {
      for c in max(0, k - 2)...min(lines.count - 1, k + 2) { keep[c] = true }
    }
    var out = ""
    var skipped = false
    for (k, line) in lines.enumerated() {
      if keep[k] {
        out += "\(line.0) \(line.1)\n"
        skipped = false
      } else if !skipped {
        out += "  …\n"
        skipped = true
      }
    }
    return out
  }
}
