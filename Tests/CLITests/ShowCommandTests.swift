import Foundation
import RunbookTestSupport
import Testing

/// `runbook show`, run as the built binary.
@Suite struct ShowCommandTests {
  let fixtures = Paths.packageRoot.appendingPathComponent("Tests/RunbookCoreTests/Fixtures/compiler")

  @Test func outlineShowsStepsMarkersAndDiagnostics() throws {
    let result = try RunbookProcess.run(["show", fixtures.appendingPathComponent("numbering.md").path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Numbering"))
    #expect(result.stdout.contains("      6.2.1. Deepest.  {nested/6.2.1}"))
    #expect(result.stdout.contains("· table: a | b (1 row)"))
    #expect(result.stdout.contains("· image: “shot” /img/two shot.png"))
    #expect(result.stdout.contains("warning: the list starts at 1 after step 2"))
    #expect(result.stderr.isEmpty)
  }

  @Test func outlineListsPreconditionsAndInputs() throws {
    let dir = Paths.temporaryDirectory()
    let guide = dir.appendingPathComponent("guide.md")
    try """
    ---
    title: Demo
    inputs:
      region: {label: AWS region, example: us-east-1}
    ---
    ## Prerequisites

    - An AWS account.

    :::info
    Have an AWS account.
    :::

    ## Go

    1. Use `<region>` and `<bucket name>`.
    """.write(to: guide, atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(["show", guide.path])
    #expect(result.status == 0)
    #expect(
      result.stdout.contains(
        "Preconditions\n  [prerequisite] An AWS account.  (line 8)\n  [info] Have an AWS account.  (line 10)"
      ))
    #expect(result.stdout.contains("## Prerequisites  (reading page, preconditions)  line 6"))
    #expect(result.stdout.contains("region       AWS region · first used in go/1"))
    #expect(result.stdout.contains("bucket_name  bucket name · first used in go/1"))
  }

  /// Yams, the YAML library runbook used before reading libyaml's events itself, printed a notice
  /// on standard output whenever it read YAMS_DEFAULT_ENCODING; `--json` must stay JSON in any
  /// environment.
  @Test func jsonStaysJSONWhateverYamsEnvironment() throws {
    let dir = Paths.temporaryDirectory()
    let guide = dir.appendingPathComponent("guide.md")
    try "---\ntitle: Demo\ninputs:\n  region: {label: AWS region}\n---\n1. Use `<region>`.\n"
      .write(to: guide, atomically: true, encoding: .utf8)
    let result = try RunbookProcess.run(
      ["show", "--json", guide.path], environment: ["YAMS_DEFAULT_ENCODING": "UTF16"])
    #expect(result.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["title"] as? String == "Demo")
  }

  @Test func jsonHasTheDocumentedKeys() throws {
    let result = try RunbookProcess.run(["show", "--json", fixtures.appendingPathComponent("tables.md").path])
    #expect(result.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    for key in ["title", "preconditions", "inputs", "sections", "diagnostics"] {
      #expect(json[key] != nil, "\(key)")
    }
    let section = try #require((json["sections"] as? [[String: Any]])?.first)
    #expect(section["title"] as? String == "Fill in")
    #expect(section["level"] as? Int == 2)
    let step = try #require((section["steps"] as? [[String: Any]])?.first)
    for key in ["number", "id", "title", "steps", "tables", "codeBlocks", "notes", "images", "inputs"] {
      #expect(step[key] != nil, "\(key)")
    }
    let table = try #require((step["tables"] as? [[String: Any]])?.first)
    #expect(table["header"] as? [String] == ["Field", "Value"])
    #expect((table["rows"] as? [[String]])?.last == ["Scopes", "openid\nemail"])
    #expect(step["inputs"] as? [String] == ["client_id"])
    let input = try #require((json["inputs"] as? [[String: Any]])?.first)
    #expect(input["id"] as? String == "client_id" && input["firstUsedIn"] as? String == "fill-in/1")
    let diagnostic = try #require((json["diagnostics"] as? [[String: Any]])?.first)
    for key in ["file", "line", "column", "severity", "code", "message"] {
      #expect(diagnostic[key] != nil, "\(key)")
    }
  }

  @Test(arguments: [
    ("missing", "no such file; check the path"),
    ("directory", "is a directory; name a Markdown file inside it"),
    ("binary", "is not a text file (NUL byte at offset 4); give a Markdown guide"),
    ("latin1", "is not valid UTF-8 (first bad byte at offset 4); save it as UTF-8"),
  ])
  func unreadableGuidesGetOneLineAndStatus2(kind: String, message: String) throws {
    let dir = Paths.temporaryDirectory()
    let path = dir.appendingPathComponent("guide-\(kind).md").path
    switch kind {
    case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    case "binary": try Data([0x23, 0x20, 0x41, 0x42, 0x00, 0x01, 0xFF]).write(to: URL(fileURLWithPath: path))
    case "latin1": try Data([0x23, 0x20, 0x63, 0x61, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
    default: break
    }
    let result = try RunbookProcess.run(["show", path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "runbook: \(path): \(message)\n")
  }

  @Test func usageErrorsExitWith2() throws {
    let result = try RunbookProcess.run(["show"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("Missing expected argument '<file>'"))
  }

  @Test func escapeSequencesInTheGuideArePrintedInert() throws {
    let dir = Paths.temporaryDirectory()
    let guide = dir.appendingPathComponent("hostile.md")
    try "# Evil \u{1B}]0;pwned\u{07} title\n\n## S\n\n1. Clear \u{1B}[2J screen `<x\u{1B}y>`\n".write(
      to: guide, atomically: true, encoding: .utf8)
    for args in [["show", guide.path], ["show", "--json", guide.path]] {
      let result = try RunbookProcess.run(args)
      #expect(result.status == 0)
      #expect(!result.stdout.contains("\u{1B}"), "\(args)")
      #expect(!result.stdout.contains("\u{07}"), "\(args)")
    }
  }
}
