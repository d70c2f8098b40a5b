import Foundation
import RunbookTestSupport
import Testing

/// `runbook lint`, run as the built binary.
@Suite struct LintCommandTests {
  let lintFixtures = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/lint")

  func tree() throws -> URL {
    let dir = Paths.temporaryDirectory("lint")
    let fm = FileManager.default
    try fm.createDirectory(at: dir.appendingPathComponent("docs/sub"), withIntermediateDirectories: true)
    try fm.createDirectory(
      at: dir.appendingPathComponent("docs/node_modules"), withIntermediateDirectories: true)
    try fm.createDirectory(at: dir.appendingPathComponent("docs/.hidden"), withIntermediateDirectories: true)
    try "## A\n\n1. Fine.\n".write(
      to: dir.appendingPathComponent("docs/a.md"), atomically: true, encoding: .utf8)
    try "## B\n\n:::warning\nunclosed\n\n1. x\n".write(
      to: dir.appendingPathComponent("docs/sub/b.mdx"), atomically: true, encoding: .utf8)
    try "## C\n\n1. One.\n\n3. Three.\n".write(
      to: dir.appendingPathComponent("docs/sub/c.md"), atomically: true, encoding: .utf8)
    for ignored in ["docs/node_modules/x.md", "docs/.hidden/y.md"] {
      try ":::note\n".write(to: dir.appendingPathComponent(ignored), atomically: true, encoding: .utf8)
    }
    try "not markdown".write(
      to: dir.appendingPathComponent("docs/notes.txt"), atomically: true, encoding: .utf8)
    return dir
  }

  @Test func bundledRunbooksAreCleanUnderStrict() throws {
    let result = try RunbookProcess.run([
      "lint", "--strict", Paths.packageRoot.appendingPathComponent("Runbooks").path,
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func recursesIntoFoldersAndReportsErrorsWithStatus1() throws {
    let dir = try tree()
    let result = try RunbookProcess.run(["lint", "docs"], directory: dir)
    #expect(result.status == 1)
    #expect(
      result.stdout == """
        docs/sub/b.mdx:3:1: error: `:::warning` is never closed; add a line with `:::` where the note ends [unclosed-admonition]
        docs/sub/c.md:5:1: warning: this item is written as 3 but readers see 2: Markdown numbers a list from its first item; renumber it 2 [step-number-skipped]

        """)
    #expect(result.stderr == "3 files checked: 1 error, 1 warning\n")
  }

  /// Guides are linted in parallel; the findings and unreadable paths still come out in the
  /// order of the files, whatever order the work finished in.
  @Test func manyGuidesReportInFileOrder() throws {
    let dir = Paths.temporaryDirectory("lint-many")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var expected = ""
    for n in 0..<120 {
      let name = String(format: "g%03d.md", n)
      // Guides of very different sizes, so later ones can finish first.
      let filler = String(repeating: "Some text.\n\n", count: n % 7 == 0 ? 3_000 : 1)
      let skipped = n + 3
      try "## G\n\n\(filler)1. One.\n\n\(skipped). Skipped.\n".write(
        to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
      let line = 5 + (n % 7 == 0 ? 6_000 : 2)
      expected +=
        "\(name):\(line):1: warning: this item is written as \(skipped) but readers see 2: "
        + "Markdown numbers a list from its first item; renumber it 2 [step-number-skipped]\n"
    }
    var names = (0..<120).map { String(format: "g%03d.md", $0) }
    for bad in ["bad1.md", "bad2.md"] {
      try Data([0x23, 0x00]).write(to: dir.appendingPathComponent(bad))
    }
    names.insert("bad2.md", at: 90)
    names.insert("bad1.md", at: 30)
    let result = try RunbookProcess.run(["lint"] + names, directory: dir)
    #expect(result.stdout == expected)
    #expect(result.status == 2)
    #expect(
      result.stderr == """
        runbook: bad1.md: is not a text file (NUL byte at offset 1); give a Markdown guide
        runbook: bad2.md: is not a text file (NUL byte at offset 1); give a Markdown guide
        120 files checked: 0 errors, 120 warnings; 2 paths could not be read

        """)
  }

  @Test func warningsOnlyPassUnlessStrict() throws {
    let dir = try tree()
    let path = "docs/sub/c.md"
    #expect(try RunbookProcess.run(["lint", path], directory: dir).status == 0)
    let strict = try RunbookProcess.run(["lint", "--strict", path], directory: dir)
    #expect(strict.status == 1)
    #expect(strict.stdout.contains(": error: this item is written as 3 but readers see 2"))
  }

  @Test func githubFormatWritesAnnotations() throws {
    let dir = try tree()
    let result = try RunbookProcess.run(["lint", "--format", "github", "docs/sub"], directory: dir)
    #expect(result.status == 1)
    #expect(
      result.stdout.split(separator: "\n").first
        == "::error file=docs/sub/b.mdx,line=3,col=1,title=unclosed-admonition::`%3A%3A%3Awarning` is never closed; add a line with `%3A%3A%3A` where the note ends"
        || result.stdout.contains(
          "::error file=docs/sub/b.mdx,line=3,col=1,title=unclosed-admonition::`:::warning` is never closed")
    )
    #expect(result.stdout.contains("::warning file=docs/sub/c.md,line=5,col=1,title=step-number-skipped::"))
  }

  @Test func jsonFormatCountsAndLists() throws {
    let dir = try tree()
    let result = try RunbookProcess.run(["lint", "--format", "json", "docs"], directory: dir)
    #expect(result.status == 1)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["files"] as? Int == 3)
    #expect(json["errors"] as? Int == 1)
    #expect(json["warnings"] as? Int == 1)
    let first = try #require((json["diagnostics"] as? [[String: Any]])?.first)
    #expect(first["code"] as? String == "unclosed-admonition")
    #expect(first["line"] as? Int == 3)
  }

  @Test func missingPathIsAnIOErrorWithStatus2() throws {
    let result = try RunbookProcess.run([
      "lint", lintFixtures.appendingPathComponent("clean.md").path, "/no/such/dir",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("runbook: /no/such/dir: no such file or folder; check the path"))
  }

  /// A folder is searched whatever its name (`guide.md/` too); a link with a guide's name is
  /// a guide; links to folders are not followed, so a cycle cannot trap the walk.
  @Test func foldersAreSearchedAndLinksToFoldersAreNot() throws {
    let dir = try tree()
    let fm = FileManager.default
    try fm.createDirectory(
      at: dir.appendingPathComponent("docs/guide.md/part"), withIntermediateDirectories: true)
    try "## D\n\n1. One.\n\n3. Three.\n".write(
      to: dir.appendingPathComponent("docs/guide.md/part/d.md"), atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("docs/sub/loop").path, withDestinationPath: "..")
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("docs/linked.md").path, withDestinationPath: "sub/c.md")
    let result = try RunbookProcess.run(["lint", "docs/"], directory: dir)
    let skipped =
      "warning: this item is written as 3 but readers see 2: "
      + "Markdown numbers a list from its first item; renumber it 2 [step-number-skipped]"
    #expect(
      result.stdout == """
        docs/guide.md/part/d.md:5:1: \(skipped)
        docs/linked.md:5:1: \(skipped)
        docs/sub/b.mdx:3:1: error: `:::warning` is never closed; add a line with `:::` where the note ends [unclosed-admonition]
        docs/sub/c.md:5:1: \(skipped)

        """)
    #expect(result.stderr == "5 files checked: 1 error, 3 warnings\n")
    #expect(result.status == 1)
  }

  /// A guide whose file name is not UTF-8 cannot be opened by its name as a Swift string: it
  /// is reported as such (not as a missing file), and the other guides are linted.
  @Test func aGuideNamedInBrokenUTF8IsReported() throws {
    let dir = try tree()
    // "café.md" in Latin-1: the byte E9 alone is not UTF-8.
    let name =
      Array((dir.path + "/docs/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xE9)]
      + Array(".md".utf8CString)
    let descriptor = open(name, O_CREAT | O_WRONLY, 0o644)
    #expect(descriptor >= 0)
    close(descriptor)
    let result = try RunbookProcess.run(["lint", "docs"], directory: dir)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "runbook: docs/caf\u{FFFD}.md: the name is not valid UTF-8; rename it to lint it\n"))
    #expect(result.stderr.hasSuffix("3 files checked: 1 error, 1 warning; 1 path could not be read\n"))
  }

  /// A folder that cannot be opened is reported (and the run fails with status 2), never
  /// skipped without a word. Tests run as root, who can open any folder, so the folder here is
  /// one whose path is longer than the system allows (`ENAMETOOLONG`).
  @Test func aFolderThatCannotBeOpenedIsReported() throws {
    let dir = try tree()
    let name = String(repeating: "n", count: 250)
    /// Runs a shell script in `directory`; its exit status.
    func sh(_ script: String, in directory: URL) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.currentDirectoryURL = directory
      process.arguments = ["-c", script]
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    let docs = dir.appendingPathComponent("docs")
    #expect(
      try sh("for i in $(seq 16); do mkdir \(name) && cd \(name) || exit 1; done; mkdir \(name)", in: docs)
        == 0)
    // FileManager cannot remove a tree this deep; rm can.
    defer { _ = try? sh("rm -rf '\(dir.path)'", in: FileManager.default.temporaryDirectory) }
    let result = try RunbookProcess.run(["lint", "docs"], directory: dir)
    #expect(result.status == 2)
    let deepest = "docs/" + Array(repeating: name, count: 16).joined(separator: "/")
    #expect(
      result.stderr.contains(
        "runbook: \(deepest)/\(name): cannot be read (File name too long); lint skipped the guides in it\n"))
    #expect(result.stderr.hasSuffix("3 files checked: 1 error, 1 warning; 1 path could not be read\n"))
  }

  /// All paths but the first are set aside before argument parsing (argument-parser takes
  /// quadratic time on long path lists); wherever they are among the options, they are all
  /// linted, in the order given, and the options still apply.
  @Test func pathsAmongOptionsAreAllLintedInOrder() throws {
    let dir = try tree()
    try "## D\n\n1. One.\n\n5. Five.\n".write(
      to: dir.appendingPathComponent("-dash.md"), atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(
      [
        "lint", "docs/sub/c.md", "--strict", "docs/a.md", "--format", "github", "docs/sub/b.mdx", "--",
        "-dash.md",
      ],
      directory: dir)
    #expect(result.status == 1)
    let files = result.stdout.split(separator: "\n").map { $0.split(separator: ",").first ?? "" }
    #expect(files == ["::error file=docs/sub/c.md", "::error file=docs/sub/b.mdx", "::error file=-dash.md"])
    let many = (0..<3_000).map { "missing-\($0).md" }
    let missing = try RunbookProcess.run(
      ["lint", "docs/a.md"] + many + ["--format", "json"], directory: dir)
    #expect(missing.status == 2)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
    #expect(json["files"] as? Int == 1)
    let problems = try #require(json["problems"] as? [String])
    #expect(problems.count == 3_000)
    #expect(problems.first == "missing-0.md: no such file or folder; check the path")
    #expect(problems.last == "missing-2999.md: no such file or folder; check the path")
  }

  /// `runbook` must know which `lint` options take a value, so that the value is not taken
  /// for a path (LintCommand.optionsWithValues): a new one must be added there too.
  @Test func lintOptionsWithValuesAreKnown() throws {
    let help = try RunbookProcess.run(["lint", "--help"]).stdout
    let withValues = help.split(separator: "\n").compactMap { line -> String? in
      let words = line.split(separator: " ")
      guard let option = words.first(where: { $0.hasPrefix("--") }), let index = words.firstIndex(of: option),
        index + 1 < words.count, words[index + 1].hasPrefix("<")
      else { return nil }
      return String(option)
    }
    #expect(Set(withValues) == ["--format"])
  }

  @Test func noPathsIsAUsageError() throws {
    let result = try RunbookProcess.run(["lint"])
    #expect(result.status == 2)
  }
}
