import Dispatch
import Foundation
import Synchronization
import Testing

@testable import RunbookCore

/// The YAML that front matter and answers files are read with: libyaml's events composed into
/// nodes, with YAML's meaning of quotes, tags, anchors and duplicate keys.
@Suite struct YAMLComposerTests {
  func compose(_ yaml: String) throws -> YAMLNode? { try YAMLComposer.compose(yaml) }

  func failure(_ yaml: String) -> YAMLComposer.Failure? {
    do {
      _ = try YAMLComposer.compose(yaml)
      return nil
    } catch {
      return error
    }
  }

  func value(_ yaml: String, _ key: String) throws -> YAMLNode? {
    try compose(yaml)?.mapping?.first { $0.key.string == key }?.value
  }

  @Test func mappingsKeepTheirOrderAndPositions() throws {
    let root = try #require(try compose("b: 1\na:\n  - x\n  - {y: z}\n"))
    let pairs = try #require(root.mapping)
    #expect(pairs.map { $0.key.string } == ["b", "a"])
    #expect((pairs[0].key.line, pairs[0].key.column) == (1, 1))
    #expect((pairs[0].value.line, pairs[0].value.column) == (1, 4))
    let list = try #require(pairs[1].value.sequence)
    #expect(list.count == 2)
    #expect(list[0].string == "x")
    #expect((list[1].line, list[1].column) == (4, 5))
    #expect(list[1].mapping?.first?.value.string == "z")
  }

  @Test func noDocumentIsNil() throws {
    #expect(try compose("") == nil)
    #expect(try compose("# only a comment\n\n") == nil)
  }

  @Test(arguments: [
    ("true", true), ("yes", true), ("On", true), ("TRUE", true), ("tRuE", true),
    ("false", false), ("No", false), ("OFF", false), ("!!bool yes", true), ("! true", true),
  ])
  func plainBooleans(_ text: String, _ expected: Bool) throws {
    #expect(try value("v: \(text)", "v")?.bool == expected)
  }

  /// Quotes, a block scalar or a `!!str` tag make text of a word that would be a boolean.
  @Test(arguments: ["'true'", "\"no\"", "!!str yes", "|\n  true", "1", "truthy", "[true]"])
  func notBooleans(_ text: String) throws {
    #expect(try value("v: \(text)", "v")?.bool == nil)
  }

  @Test func nullIsAPlainEmptyTildeOrNull() throws {
    let yaml = "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nULL\ng: ''\nh: 'null'\ni: \"\"\n"
    let nulls = try #require(try compose(yaml)?.mapping).filter { $0.value.isNull }.compactMap {
      $0.key.string
    }
    #expect(nulls == ["a", "b", "c", "d", "e"])
    #expect(try value(yaml, "g")?.string == "")
  }

  @Test func scalarsKeepTheirText() throws {
    let yaml = """
      a: 'it''s'
      b: "tab\\there \\u00e9"
      c: >
        folded
        text
      d: |
        kept
        lines
      """
    #expect(try value(yaml, "a")?.string == "it's")
    #expect(try value(yaml, "b")?.string == "tab\there é")
    #expect(try value(yaml, "c")?.string == "folded text\n")
    #expect(try value(yaml, "d")?.string == "kept\nlines")  // the text ends without a line break
  }

  @Test func aliasesAreCopiesOfTheirAnchors() throws {
    let yaml = "base: &b {label: Base}\none: *b\nlist: &l [x, y]\ntwo: *l\n"
    #expect(try value(yaml, "one")?.mapping?.first?.value.string == "Base")
    #expect(try value(yaml, "two")?.sequence?.compactMap(\.string) == ["x", "y"])
    #expect(failure("a: *nowhere\n") == .init(line: 1, column: 4, problem: "found undefined alias"))
    // An anchor is defined once its node is complete, so a node cannot contain itself.
    #expect(failure("a: &x [1, *x]\n")?.problem == "found undefined alias")
  }

  @Test func duplicateKeysAreRefusedAtTheirFirstOccurrence() {
    #expect(
      failure("title: A\nother: 1\ntitle: B\n") == .init(line: 1, column: 1, problem: "duplicated key title"))
    // Quotes do not make a different key; the first duplicated key in sorted order is named first.
    #expect(
      failure("x: 0\nb: 1\n'a': 2\na: 3\nb: 4\n") == .init(line: 3, column: 1, problem: "duplicated key a, b")
    )
    #expect(failure("outer:\n  k: 1\n  k: 2\n") == .init(line: 2, column: 3, problem: "duplicated key k"))
    #expect(
      failure("? [a, b]\n: 1\n? [a, b]\n: 2\n")
        == .init(line: 1, column: 3, problem: "duplicated key (a list or mapping)"))
  }

  /// Large mappings are checked by hashing instead of pairwise: the same answers.
  @Test(arguments: [5, 40]) func duplicatesInMappingsOfAnySize(_ size: Int) {
    let keys = (0..<size).map { "key\($0): \($0)\n" }.joined()
    #expect(failure(keys) == nil)
    #expect(failure(keys + "'key3': again\n") == .init(line: 4, column: 1, problem: "duplicated key key3"))
    #expect(failure(keys + "!!int key3: tagged\n? [a]\n: 1\n") == nil)
    #expect(
      failure(keys + "? [a]\n: 1\nkey1: x\n? [a]\n: 2\n")
        == .init(line: 2, column: 1, problem: "duplicated key key1, (a list or mapping)"))
  }

  @Test func keysWithDifferentTagsOrKindsAreDifferent() {
    #expect(failure("1: x\n!!int 1: y\n") == nil)
    #expect(failure("? [a]\n: 1\n? {a: b}\n: 2\na: 3\n") == nil)
  }

  @Test func syntaxErrorsSayWhatAndWhere() {
    #expect(
      failure("title: [a, b\nnext: 1\n")
        == .init(
          line: 2, column: 5, problem: "while parsing a flow sequence did not find expected ',' or ']'"))
    #expect(
      failure("a: b: c\n")
        == .init(line: 1, column: 5, problem: "mapping values are not allowed in this context"))
    #expect(failure("a:\n\tb: 1\n")?.line == 2)
    #expect(
      failure("a: 1\n---\nb: 2\n")
        == .init(
          line: 2, column: 1, problem: "expected a single document in the stream but found another document"))
  }

  /// A control character is found by byte offset; the column counts characters, not bytes.
  @Test func controlCharactersArePlaced() {
    #expect(
      failure("title: ok\ndescription: é\u{7}\n")
        == .init(line: 2, column: 15, problem: "control characters are not allowed"))
  }

  /// Nesting is limited, and even far deeper nesting ends in a failure, not a stack overflow,
  /// on a thread with a small stack (lint composes guides on worker threads).
  @Test func deepNestingIsRefusedNotFatal() {
    let limit = YAMLComposer.maximumDepth
    #expect(
      failure("a: " + String(repeating: "[", count: limit - 1) + String(repeating: "]", count: limit - 1))
        == nil)
    #expect(
      failure("a: " + String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        == .init(
          line: 1, column: 3 + limit, problem: "lists and mappings nested more than \(limit) levels deep"))
    let deep = "a: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
    let outcome = Mutex<YAMLComposer.Failure?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      outcome.withLock { $0 = failure(deep) }
      done.signal()
    }
    thread.stackSize = 256 * 1024
    thread.start()
    done.wait()
    #expect(outcome.withLock { $0?.problem } == "lists and mappings nested more than \(limit) levels deep")
  }

  @Test func frontMatterReportsPositionsInTheGuide() {
    var diagnostics = DiagnosticCollector(file: "g.md")
    _ = FrontMatter.parse("title: ok\ndescription: a\u{7}b\n", &diagnostics)
    let found = diagnostics.diagnostics.map { "\($0.line):\($0.column) \($0.code): \($0.message)" }
    #expect(
      found == [
        "3:15 front-matter-invalid: front matter is not valid YAML (control characters are not allowed); fix it or the title and inputs are ignored"
      ])
  }

  @Test func answersFilesNameTheLineOfABadValue() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "answers-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func load(_ text: String) -> Result<[String: String], AnswersFile.Failure> {
      let path = dir.appendingPathComponent("a.yaml").path
      #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
      return Result { () throws(AnswersFile.Failure) in try AnswersFile.load(path) }
    }
    let path = dir.appendingPathComponent("a.yaml").path
    #expect(
      try load("region: us-east-1\n'Pool ID': \"eu_1\"\nempty:\n").get() == [
        "region": "us-east-1", "pool_id": "eu_1", "empty": "",
      ])
    #expect(
      load("region: a\nregion: b\n").failure
        == "\(path):1: not valid YAML (duplicated key region); write one `id: value` per line")
    #expect(
      load("region: [a\n").failure?.hasPrefix("\(path):2: not valid YAML (while parsing a flow sequence")
        == true)
    #expect(
      load("region: [a]\n").failure
        == "\(path): the value of `region` must be a single value, not a list or map")
  }
}

extension Result where Failure == AnswersFile.Failure {
  var failure: String? {
    if case .failure(let error) = self { return error.description }
    return nil
  }
}
