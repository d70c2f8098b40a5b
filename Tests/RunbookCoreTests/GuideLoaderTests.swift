import Foundation
import Testing

@testable import RunbookCore

/// Reading a guide's bytes: the whole file, whatever its stat says.
@Suite struct GuideLoaderTests {
  /// Files under /proc report a size of 0 and are read until the end anyway: the buffer grows
  /// past the size the stat gave, as it must for a file that grows while it is read.
  @Test func readsPastTheSizeTheStatGave() throws {
    var info = stat()
    #expect(stat("/proc/self/mountinfo", &info) == 0 && info.st_size == 0)
    let text = try GuideLoader.read("/proc/self/mountinfo")
    #expect(text.utf8.count > 64)
    #expect(text.hasPrefix(try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8).prefix(40)))
    #expect(text.hasSuffix("\n"))
  }

  @Test func readsAGuideExactly() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).md").path
    let text = String(repeating: "## Étape\n\n1. Run `x`.\n", count: 5_000)
    #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try GuideLoader.read(path) == text)
  }
}
