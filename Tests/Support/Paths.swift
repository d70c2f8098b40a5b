import Foundation

/// Where things are when tests run from a checkout.
public enum Paths {
  /// The package root, found from this file's location.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared/corpus` beside the checkout, if present (absent in a user's clone).
  public static var corpus: URL? {
    let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }

  /// The guides of ``corpus`` (`*.md` and `*.mdx`, not the `SOURCES.md` notes), as paths
  /// relative to it, sorted; empty when the corpus is absent.
  public static var corpusGuides: [String] {
    guard let root = corpus else { return [] }
    let walker = FileManager.default.enumerator(atPath: root.path)
    var out: [String] = []
    while let path = walker?.nextObject() as? String {
      if (path.hasSuffix(".md") || path.hasSuffix(".mdx")) && !path.hasSuffix("SOURCES.md") {
        out.append(path)
      }
    }
    return out.sorted()
  }

  /// A new empty temporary directory.
  public static func temporaryDirectory(_ prefix: String = "runbook-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(prefix)-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
