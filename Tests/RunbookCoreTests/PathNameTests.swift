import Testing

@testable import RunbookCore

/// Paths are split into folder and name without Foundation's `NSString` path methods, which
/// crash on some of them (see ``PathName``).
@Suite struct PathNameTests {
  @Test(arguments: [
    ("", "", ""), ("/", "/", "/"), ("a", "a", ""), ("a/", "a", ""), ("/a", "a", "/"),
    ("a/b.md", "b.md", "a"), ("a//b.md", "b.md", "a"), ("/a/b/", "b", "/a"), ("./a.md", "a.md", "."),
    ("../a", "a", ".."), ("docs//é", "é", "docs"), ("//é", "é", "/"), ("a/b//ü", "ü", "a/b"),
    ("é//é", "é", "é"), ("dir/clé.md", "clé.md", "dir"),
    (".runbook/g.state.jsonl", "g.state.jsonl", ".runbook"),
  ])
  func splitsIntoFolderAndName(_ path: String, _ name: String, _ folder: String) {
    #expect(PathName.lastComponent(path) == name)
    #expect(PathName.deletingLastComponent(path) == folder)
  }

  @Test(arguments: [
    ("b.md", "b"), ("a.b.c", "a.b"), ("a.", "a"), (".hidden", ".hidden"), ("..", ".."), ("...", ".."),
    ("guide-004.mdx", "guide-004"), ("é", "é"), ("clé.md", "clé"), ("no extension", "no extension"),
  ])
  func dropsTheExtension(_ name: String, _ base: String) {
    #expect(PathName.deletingExtension(name) == base)
  }

  @Test func joinsNames() {
    #expect(PathName.appending("r.md", to: "") == "r.md")
    #expect(PathName.appending("r.md", to: "out") == "out/r.md")
    #expect(PathName.appending("r.md", to: "out/") == "out/r.md")
    #expect(PathName.appending("r.md", to: "/") == "/r.md")
  }

  /// Whatever the path, the folder and the name put back together give the path with its
  /// slashes normalised.
  @Test func folderAndNameRebuildThePath() {
    let pieces = ["/", "//", ".", "..", "a", "é", "b.md", " ", "~"]
    var seed: UInt64 = 11
    for _ in 0..<5_000 {
      var path = ""
      for _ in 0..<Int(seed % 6) {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        path += pieces[Int(seed >> 33) % pieces.count]
      }
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let normal = PathName.normalized(path)
      let name = PathName.lastComponent(path)
      let folder = PathName.deletingLastComponent(path)
      #expect(!name.contains("/") || name == "/", "\(path.debugDescription)")
      if normal != "/", !normal.isEmpty {
        #expect(PathName.appending(name, to: folder) == normal, "\(path.debugDescription)")
      }
    }
  }
}
