import Foundation

/// Every Markdown guide the tests can read: the test fixtures, the bundled runbooks and, when
/// it is there, `../shared/corpus`.
enum TestGuides {
  static func all() throws -> [(name: String, text: String)] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var folders = [
      root.appendingPathComponent("Tests/RunbookCoreTests/Fixtures"), root.appendingPathComponent("Runbooks"),
    ]
    let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    if FileManager.default.fileExists(atPath: corpus.path) { folders.append(corpus) }
    var guides: [(name: String, text: String)] = []
    for folder in folders {
      guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
      while let relative = walker.nextObject() as? String {
        guard relative.hasSuffix(".md") || relative.hasSuffix(".mdx") else { continue }
        let data = try Data(contentsOf: folder.appendingPathComponent(relative))
        guides.append((relative, String(decoding: data, as: UTF8.self)))
      }
    }
    return guides
  }
}
