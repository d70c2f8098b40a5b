import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

/// The bad-input catalogue (issue 7): every way a guide, an input value, a state file or a
/// command can be wrong, each with the exact behaviour expected — a one-line error on standard
/// error that names the file and says what to do, or graceful output — and never a crash, a
/// hang or lost data. Guides and state files go through the built binary; values, journals and
/// commands through the library.
@Suite struct BadInputCatalogueTests {
  @Test(arguments: BadInputCatalogue.guides) func guide(_ row: BadInput) throws { try row.run() }
  @Test(arguments: BadInputCatalogue.values) func value(_ row: BadInput) throws { try row.run() }
  @Test(arguments: BadInputCatalogue.stateFiles) func stateFile(_ row: BadInput) throws { try row.run() }
  @Test(arguments: BadInputCatalogue.commands) func command(_ row: BadInput) throws { try row.run() }
  @Test(arguments: BadInputCatalogue.files) func file(_ row: BadInput) throws { try row.run() }
  @Test(arguments: BadInputCatalogue.behaviour) func behaviour(_ row: BadInput) throws { try row.run() }

  @Test func theCatalogueHasAtLeastFortyCases() {
    let all =
      BadInputCatalogue.guides + BadInputCatalogue.values + BadInputCatalogue.stateFiles
      + BadInputCatalogue.commands + BadInputCatalogue.files + BadInputCatalogue.behaviour
    #expect(all.count >= 40)
    #expect(Set(all.map(\.name)).count == all.count, "case names are unique")
  }
}

enum BadInputCatalogue {
  static let noProblems = "No compiler diagnostics (`runbook lint` also checks the authoring rules)."
  static let oneClean = "1 file checked: 0 errors, 0 warnings"
  static let oneError = "1 file checked: 1 error, 0 warnings"

  static func nesting(_ path: String, _ line: Int, _ column: Int) -> String {
    "\(path):\(line):\(column): warning: lists or quotes are nested more than 64 deep here; "
      + "the deeper content is kept as plain text [nesting-too-deep]"
  }

  // MARK: - Guides

  static let guides: [BadInput] = [
    BadInput("empty file: an empty outline; lint warns that a run would show nothing, and run refuses it") {
      w in
      let path = w.write("empty.md", "")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: ["empty\n  file: \(path)  id: empty\n  0 steps in 0 sections", noProblems])
      try CLI.expect(
        ["lint", path], status: 0, stderr: .line("1 file checked: 0 errors, 1 warning"),
        stdout: ["\(path):1:1: warning: this guide has no steps and no text to read"])
      try CLI.expect(
        ["run", path, "--non-interactive", "--state", w.path + "/empty.state.jsonl"], status: 2,
        stderr: .line(
          "runbook: \(path) has nothing to show: no steps and no text, so there is nothing to run; run `runbook lint \(path)`"
        ))
    },
    BadInput("path with // before a name ending in a non-ASCII letter: read like any other") { w in
      // Foundation's NSString path methods crash on such a path (an illegal instruction).
      w.write("é", "# Guide\n\n## S\n\n1. Go\n")
      let path = w.path + "//é"
      try CLI.expect(["show", path], status: 0, stderr: .none, stdout: ["file: \(path)  id: é"])
      try CLI.expect(["lint", path], status: 0, stderr: .line(oneClean))
    },
    BadInput("front matter only: its title, no steps") { w in
      let path = w.write(
        "fm.md", "---\ntitle: Only front matter\ninputs:\n  region: {example: us-east-1}\n---\n")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none, stdout: ["Only front matter\n", "0 steps in 0 sections"])
    },
    BadInput("binary data: refused as not text, with the offset") { w in
      let path = w.write(
        "logo.md", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
      let line = "runbook: \(path): is not a text file (NUL byte at offset 8); give a Markdown guide"
      try CLI.expect(["show", path], status: 2, stderr: .line(line))
      try CLI.expect(["show", "--json", path], status: 2, stderr: .line(line))
    },
    BadInput("binary data: lint reports it and exits 2") { w in
      let path = w.write("logo.md", bytes: Array(0...255))
      try CLI.expect(
        ["lint", path], status: 2,
        stderr: .exact([
          "runbook: \(path): is not a text file (NUL byte at offset 0); give a Markdown guide",
          "0 files checked: 0 errors, 0 warnings; 1 path could not be read",
        ]))
    },
    BadInput("invalid UTF-8: refused with the offset of the first bad byte") { w in
      let path = w.write("latin1.md", bytes: Array("# Caf".utf8) + [0xE9] + Array("\n\n1. Go\n".utf8))
      try CLI.expect(
        ["show", path], status: 2,
        stderr: .line("runbook: \(path): is not valid UTF-8 (first bad byte at offset 5); save it as UTF-8"))
    },
    BadInput("invalid UTF-8: a truncated multi-byte sequence at the very end") { w in
      let path = w.write("cut.md", bytes: Array("# Café\n\n1. Go ".utf8) + [0xE2, 0x82])
      try CLI.expect(
        ["show", path], status: 2,
        stderr: .line("runbook: \(path): is not valid UTF-8 (first bad byte at offset 15); save it as UTF-8"))
    },
    BadInput("NUL byte inside text: refused with its offset") { w in
      let path = w.write("nul.md", "# T\n\n1. a\u{0}b\n")
      try CLI.expect(
        ["show", path], status: 2,
        stderr: .line("runbook: \(path): is not a text file (NUL byte at offset 9); give a Markdown guide"))
    },
    BadInput("CRLF line endings: steps numbered and placed as with LF") { w in
      let path = w.write("crlf.md", "# T\r\n\r\n## S\r\n\r\n1. One\r\n2. Two\r\n   - detail\r\n3. Three\r\n")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "3 steps in 1 section", "## S  line 3\n  1. One  {s/1}\n  2. Two  {s/2}\n", "  3. Three  {s/3}\n",
          noProblems,
        ])
    },
    BadInput("lone CR line endings: steps numbered and placed as with LF") { w in
      let path = w.write("cr.md", "# T\r\r## S\r\r1. One\r2. Two\r3. Three\r")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "3 steps in 1 section", "## S  line 3\n  1. One  {s/1}\n  2. Two  {s/2}\n  3. Three  {s/3}\n",
        ])
    },
    // Was a bug (docs/security.md): FrontMatter.split split on Character "\n", and in Swift
    // "\r\n" is one Character, so CRLF front matter was never found. Lines now end at LF, CR LF
    // or a lone CR.
    BadInput("CRLF front matter: title and inputs are read") { w in
      let path = w.write(
        "crlf-fm.md",
        "---\r\ntitle: Windows\r\ninputs:\r\n  region: {label: AWS region}\r\n---\r\n\r\n## S\r\n\r\n1. Use `<region>`.\r\n"
      )
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "Windows\n", "region  AWS region · first used in s/1", "## S  line 7\n  1. Use <region>.  {s/1}",
        ])
    },
    BadInput("lone CR front matter: title and inputs are read") { w in
      let path = w.write("cr-fm.md", "---\rtitle: Old Mac\r---\r\r## S\r\r1. Go.\r")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none, stdout: ["Old Mac\n", "## S  line 5\n  1. Go.  {s/1}"])
    },
    BadInput("UTF-8 byte-order mark before the front matter") { w in
      let path = w.write("bom.md", "\u{FEFF}---\ntitle: With BOM\n---\n\n1. Go.\n")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none, stdout: ["With BOM\n", "1 step in 1 section"])
    },
    BadInput("tabs: after step numbers, as indentation, and inside code") { w in
      let path = w.write(
        "tabs.md",
        "# T\n\n## S\n\n1.\tOne\n2.\tTwo\n\n\ta. Sub\n\tb. Sub\n\n\t```sh {run}\n\techo\t'tab'\n\t```\n3.\tThree\n"
      )
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "## S  line 3\n  1. One  {s/1}\n  2. Two  {s/2}\n     2.a. Sub  {s/2.a}\n     2.b. Sub  {s/2.b}\n",
          "  3. Three  {s/3}\n", noProblems,
        ])
      let json = try CLI.expect(["show", "--json", path], status: 0, stderr: .none)
      #expect(json.stdout.contains(#""text" : "echo\t'tab'\n""#))
    },
    BadInput("a 20 MB guide completes") { w in
      var text = "# Big\n\n"
      var sections = 0
      while text.utf8.count < 20 * 1024 * 1024 {
        text += """
          ## Section \(sections)

          Intro with `<region>` and a [link](https://example.com/\(sections)).

          1. Run:

             ```sh {run}
             aws cognito-idp describe-user-pool --user-pool-id <user_pool_id> --region <region>
             ```

          2. Check:

             | key | value |
             |-----|-------|
             | a   | <region> |

          :::note
          Remember this.
          :::


          """
        sections += 1
      }
      let path = w.write("big.md", text)
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: ["\(2 * sections) steps in \(sections) sections", "## Section \(sections - 1)  line "])
    },
    BadInput("a guide over 64 MB is refused before it is read whole") { w in
      let path = w.url.appendingPathComponent("huge.md").path
      #expect(FileManager.default.createFile(atPath: path, contents: nil))
      let handle = try #require(FileHandle(forWritingAtPath: path))
      let line = Data(String(repeating: "x", count: 1023).utf8 + [0x0A])
      let block = Data((0..<1024).flatMap { _ in line })
      for _ in 0..<65 { handle.write(block) }
      handle.write(line)
      try handle.close()
      try CLI.expect(
        ["show", path], status: 2, stderr: .line("runbook: \(path): is larger than 64 MB; split the guide"))
    },
    BadInput("bullet lists nested 10,000 deep") { w in
      let path = w.write("deep-bullets.md", String(repeating: "- ", count: 10_000) + "x\n")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none, stdout: ["0 steps in 0 sections", nesting(path, 1, 63)])
    },
    BadInput("numbered lists nested 10,000 deep: 64 levels of steps") { w in
      let path = w.write("deep-steps.md", String(repeating: "1. ", count: 10_000) + "x\n")
      let deepest = Array(repeating: "1", count: 31).joined(separator: ".")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none, stdout: ["{\(deepest)}\n", nesting(path, 1, 94)])
    },
    BadInput("numbered lists nested 2,000 deep by indentation") { w in
      // Each level indented three more spaces: 10,000 levels would be 150 MB, so 2,000 (6 MB).
      var text = ""
      for depth in 0..<2_000 { text += String(repeating: " ", count: 3 * depth) + "1. level \(depth)\n" }
      let path = w.write("deep-indent.md", text)
      // Two containers (list and item) a level: 31 levels of steps, then plain text.
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: ["31 steps in 1 section", "  1. level 0  {1}\n", nesting(path, 32, 94)])
    },
    BadInput("block quotes nested 10,000 deep") { w in
      let path = w.write("deep-quotes.md", String(repeating: ">", count: 10_000) + " deep\n")
      try CLI.expect(["show", path], status: 0, stderr: .none, stdout: [nesting(path, 1, 64)])
      try CLI.expect(["lint", path], status: 0, stderr: .line("1 file checked: 0 errors, 1 warning"))
    },
    BadInput("quotes and lists alternating 10,000 deep") { w in
      let path = w.write("deep-mixed.md", "# T\n\n" + String(repeating: "> 1. ", count: 5_000) + "x\n")
      try CLI.expect(["show", "--json", path], status: 0, stderr: .none, stdout: ["\"nesting-too-deep\""])
    },
    BadInput("100,000 steps") { w in
      var text = "# T\n\n## S\n\n"
      for n in 1...100_000 { text += "\(n). step \(n)\n" }
      let path = w.write("many.md", text)
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "100000 steps in 1 section", "  1. step 1  {s/1}\n", "  100000. step 100000  {s/100000}\n",
          noProblems,
        ])
    },
    BadInput("unclosed code fence: error naming the line and the fix") { w in
      let path = w.write("fence.md", "# T\n\n## S\n\n1. Run:\n\n   ```sh {run}\n   echo hi\n\n2. Next\n")
      let line =
        "\(path):7:4: error: this code fence (```) is never closed and swallows the rest of the guide; add a closing ``` line [unclosed-code-fence]"
      try CLI.expect(["show", path], status: 0, stderr: .none, stdout: ["Diagnostics\n  \(line)\n"])
      try CLI.expect(["lint", path], status: 1, stderr: .line(oneError), stdout: [line + "\n"])
    },
    BadInput("unclosed tilde fence") { w in
      let path = w.write("tilde.md", "# T\n\n1. a\n~~~\nno close\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):4:1: error: this code fence (~~~) is never closed and swallows the rest of the guide; add a closing ~~~ line [unclosed-code-fence]\n"
        ])
    },
    BadInput("unclosed admonition") { w in
      let path = w.write("admonition.md", "# T\n\n## S\n\n:::warning\nCareful\n\n1. One\n2. Two\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):5:1: error: `:::warning` is never closed; add a line with `:::` where the note ends [unclosed-admonition]\n"
        ])
    },
    BadInput("unclosed front matter") { w in
      let path = w.write("open-fm.md", "---\ntitle: a\n# X\n\n1. a\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):1:1: error: front matter opened with `---` is never closed; add a `---` line after the last key [front-matter-unclosed]\n"
        ])
    },
    BadInput("malformed YAML: unclosed flow sequence") { w in
      let path = w.write("yaml1.md", "---\ntitle: [unclosed\ninputs:\n  a: 1\n---\n# T\n\n1. x\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):3:7: error: front matter is not valid YAML (while parsing a flow sequence did not find expected ',' or ']'); fix it or the title and inputs are ignored [front-matter-invalid]\n"
        ])
    },
    BadInput("malformed YAML: mapping value in the wrong place") { w in
      let path = w.write("yaml2.md", "---\ntitle: T\nfoo: bar\n  baz: : :\n---\n# T\n\n1. x\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):4:6: error: front matter is not valid YAML (mapping values are not allowed in this context); fix it or the title and inputs are ignored [front-matter-invalid]\n"
        ])
    },
    BadInput("YAML front matter that is a list, not a mapping") { w in
      let path = w.write("yaml3.md", "---\n- a\n- b\n---\n# X\n\n1. Y.\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: ["\(path):2:1: error: front matter must be a YAML mapping of keys [front-matter-invalid]\n"])
    },
    BadInput("input pattern that is not a valid regex: lint error") { w in
      let path = w.write(
        "regex.md", "---\ninputs:\n  name: {pattern: \"([a-z\"}\n---\n# T\n\n## S\n\n1. Use `<name>`\n")
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):3:3: error: the pattern of input `name` is not a valid regular expression; check its brackets and escapes (YAML needs '\\d' in single quotes) [invalid-pattern]\n"
        ])
    },
    BadInput("catastrophic pattern on its own example: lint says it is too slow, in bounded time") { w in
      let path = w.write(
        "slow.md",
        "---\ninputs:\n  name: {pattern: \"(a+)+$\", example: \(String(repeating: "a", count: 45))!}\n---\n# T\n\n## S\n\n1. Use `<name>`\n"
      )
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line(oneError),
        stdout: [
          "\(path):3:3: error: the pattern of input `name` takes too long on its example; avoid nested repetition such as `(a+)+` [pattern-too-slow]\n"
        ],
        timeout: 30)
    },
    BadInput("placeholders with non-ASCII names") { w in
      let path = w.write("unicode.md", "# T\n\n## S\n\n1. Use `<région>` and `<用户名>` and `<naïve name>`\n")
      try CLI.expect(
        ["show", path], status: 0, stderr: .none,
        stdout: [
          "région      région · first used in s/1", "用户名         用户名 · first used in s/1",
          "naïve_name  naïve name · first used in s/1",
        ])
      try CLI.expect(
        ["lint", path], status: 0, stderr: .line(oneClean),
        stdout: [
          "\(path):5:9: info: `<région>` is not declared;", "\(path):5:25: info: `<用户名>` is not declared;",
          "\(path):5:43: info: `<naïve_name>` is not declared;",
        ])
    },
    BadInput("derived-input cycles: lint names each cycle") { w in
      let path = w.write(
        "cycle.md",
        "---\ninputs:\n  alpha: {value: \"x-<beta>\"}\n  beta: {value: \"y-<alpha>\"}\n  gamma: {value: \"<gamma>\"}\n---\n# T\n\n## S\n\n1. Use `<alpha>` and `<beta>`\n"
      )
      try CLI.expect(
        ["lint", path], status: 1, stderr: .line("1 file checked: 2 errors, 0 warnings"),
        stdout: [
          "\(path):3:3: error: derived input `alpha` depends on itself (alpha → beta → alpha); break the cycle [derived-cycle]\n"
            + "\(path):5:3: error: derived input `gamma` depends on itself (gamma → gamma); break the cycle [derived-cycle]\n"
        ])
    },
    BadInput("a missing guide") { w in
      let path = w.path + "/missing.md"
      try CLI.expect(
        ["show", path], status: 2, stderr: .line("runbook: \(path): no such file; check the path"))
    },
    BadInput("a directory given as the guide") { w in
      try CLI.expect(
        ["show", w.path], status: 2,
        stderr: .line("runbook: \(w.path): is a directory; name a Markdown file inside it"))
    },
    // Was a bug (docs/security.md): a blocking open(2) of a FIFO waits for ever for a writer.
    BadInput("a named pipe given as the guide: refused, not a hang") { w in
      let path = w.path + "/pipe.md"
      #expect(mkfifo(path, 0o600) == 0)
      try CLI.expect(["show", path], status: 2, stderr: .prefix("runbook: \(path): "), timeout: 10)
    },
  ]

  // MARK: - Input values

  static func input(_ id: String = "name", pattern: String? = nil, kind: Input.Kind = .text) -> Input {
    var input = Input(id: id, label: "Name", declared: true, location: .init(line: 1, column: 1))
    input.pattern = pattern
    input.kind = kind
    return input
  }

  static let values: [BadInput] = [
    BadInput("value against an invalid pattern: refused, naming the runbook's pattern") { _ in
      #expect(
        InputValidator().validate("abc", for: input(pattern: "([a-z"))
          == .invalid(
            "Name cannot be checked: the runbook's pattern is not a valid regular expression"))
      #expect(
        InputValidator().validate("abc", for: input(pattern: "a)|(b"))
          == .invalid(
            "Name cannot be checked: the runbook's pattern is not a valid regular expression"))
    },
    BadInput("catastrophic pattern (a+)+$ against a long value: bounded in time") { _ in
      let (result, seconds) = elapsed {
        InputValidator().validate(String(repeating: "a", count: 64) + "!", for: input(pattern: "(a+)+$"))
      }
      #expect(
        result
          == .invalid(
            "Name could not be checked in time against the runbook's pattern; shorten the value or ask the author to simplify the pattern"
          ))
      #expect(seconds < 1.5, "validation took \(seconds) s")
    },
    BadInput("catastrophic pattern against the longest value accepted: bounded in time") { _ in
      let (result, seconds) = elapsed {
        InputValidator().validate(
          String(repeating: "a", count: 16 * 1024 - 1) + "!", for: input(pattern: "(a*)*b"))
      }
      #expect(result != .valid(String(repeating: "a", count: 16 * 1024 - 1) + "!"))
      #expect(seconds < 1.5, "validation took \(seconds) s")
    },
    BadInput("huge value (over 16 KB): refused at once, before the pattern") { _ in
      let (result, seconds) = elapsed {
        InputValidator().validate(String(repeating: "a", count: 1024 * 1024), for: input(pattern: "(a+)+$"))
      }
      #expect(result == .invalid("Name is longer than 16 KB"))
      #expect(seconds < 1.5)
    },
    BadInput("value of exactly 16 KB: accepted") { _ in
      let value = String(repeating: "é", count: 8 * 1024)
      #expect(InputValidator().validate(value, for: input()) == .valid(value))
      #expect(InputValidator().validate(value + "x", for: input()) == .invalid("Name is longer than 16 KB"))
    },
    BadInput("value with a line break, tab or escape inside: refused") { _ in
      let why = "Name contains control characters (a line break or tab?); paste it on one line"
      for value in ["a\nb", "a\tb", "a\u{1B}[2Jb", "a\u{0}b", "a\rb"] {
        #expect(InputValidator().validate(value, for: input()) == .invalid(why), "\(value.debugDescription)")
      }
    },
    BadInput("huge value given with --set: exit 3, nothing run") { w in
      let guide = w.write("g.md", "---\ninputs:\n  name: {example: x}\n---\n# T\n\n## S\n\n1. Use `<name>`\n")
      let state = w.path + "/s.state.jsonl"
      let result = try CLI.run([
        "run", "--non-interactive", "--yes", "--state", state, "--set",
        "name=" + String(repeating: "a", count: 20_000),
        guide,
      ])
      #expect(result.status == 3)
      #expect(result.stderr.contains("Name is longer than 16 KB"))
      #expect(result.stderr.utf8.count < 1000, "the value is not echoed back")
    },
    BadInput("derived-input cycle: evaluation leaves the cycle out and ends") { _ in
      let runbook = RunbookCompiler().compile(
        "---\ninputs:\n  alpha: {value: \"<beta>\"}\n  beta: {value: \"<alpha>\"}\n  host: {}\n  url: {value: \"https://<host>/\"}\n---\n# T\n",
        file: "t.md")
      #expect(DerivedValues(runbook).evaluate(["host": "example.com"]) == ["url": "https://example.com/"])
      #expect(DerivedValues(runbook).cycle(from: "alpha") == ["alpha", "beta", "alpha"])
    },
    BadInput("a derived chain 1,500 long: evaluated without exhausting the stack") { _ in
      // Front matter is looked at for 2,000 lines at most, so the chain stays under that.
      var yaml = "---\ninputs:\n  v0: {}\n"
      for n in 1..<1_500 { yaml += "  v\(n): {value: \"<v\(n - 1)>x\"}\n" }
      let runbook = RunbookCompiler().compile(yaml + "---\n# T\n", file: "t.md")
      #expect(runbook.diagnostics.isEmpty)
      let values = DerivedValues(runbook).evaluate(["v0": "a"])
      #expect(values["v1499"] == "a" + String(repeating: "x", count: 1_499))
      #expect(Linter().lint(runbook).filter { $0.severity == .error }.isEmpty)
    },
  ]

  // MARK: - State files

  /// A finished run's state file for `guide`, made with the binary.
  static func finishedState(_ w: Workspace) throws -> (guide: String, state: String) {
    let guide = w.write(
      "g.md", "---\nid: deploy\ninputs:\n  name: {example: x}\n---\n# Deploy\n\n## S\n\n1. Use `<name>`\n")
    let state = w.path + "/deploy.state.jsonl"
    let result = try CLI.run([
      "run", "--non-interactive", "--yes", "--state", state, "--set", "name=ok", guide,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return (guide, state)
  }

  static let stateFiles: [BadInput] = [
    BadInput("state file: empty") { w in
      let path = w.write("empty.state.jsonl", "")
      try CLI.expect(
        ["status", path], status: 2, stderr: .line("runbook: \(path) is not a runbook state file"))
      #expect(throws: StoreError.self) { try Journal.read(at: path) }
    },
    BadInput("state file: truncated mid-line: read with a warning, nothing lost") { w in
      let (_, state) = try finishedState(w)
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: state)))
      let cut = bytes.count - 10
      let path = w.write("cut.state.jsonl", bytes: Array(bytes[..<cut]))
      let result = try CLI.expect(
        ["status", path], status: 0, stderr: .none,
        stdout: ["is incomplete (a crash mid-write?); it was ignored, and resuming the run sets it aside"])
      #expect(result.stdout.contains("state:     \(path)"))
      let contents = try Journal.read(at: path)
      #expect(contents.events.count == (try Journal.read(at: state)).events.count - 1)
    },
    BadInput("state file: garbage") { w in
      let path = w.write(
        "garbage.state.jsonl", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
      try CLI.expect(
        ["status", path], status: 2, stderr: .line("runbook: \(path) is not a runbook state file"))
    },
    BadInput("state file: a middle line altered") { w in
      let (_, state) = try finishedState(w)
      var lines = try String(contentsOfFile: state, encoding: .utf8).split(separator: "\n").map(String.init)
      lines[2] = lines[2].replacingOccurrences(of: "\"seq\":2", with: "\"seq\":2 ")
      let path = w.write("altered.state.jsonl", lines.joined(separator: "\n") + "\n")
      try CLI.expect(
        ["status", path], status: 2,
        stderr: .line(
          "runbook: \(path) is damaged at line 3; it was not changed. Restore it from a backup or start a new state with --state"
        ))
    },
    BadInput("state file: of another runbook") { w in
      let (_, state) = try finishedState(w)
      let other = w.write("other.md", "# Other\n\n1. Go\n")
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", state, other], status: 2,
        stderr: .prefix("runbook: \(state) belongs to runbook deploy ("))
    },
    BadInput("state file: of a newer version") { w in
      let (_, state) = try finishedState(w)
      let text = try String(contentsOfFile: state, encoding: .utf8).replacingOccurrences(
        of: "\"version\":1", with: "\"version\":7")
      let path = w.write("newer.state.jsonl", text)
      try CLI.expect(
        ["status", path], status: 2,
        stderr: .line("runbook: \(path) was written by a newer runbook (state version 7); upgrade runbook"))
    },
    BadInput("state file: unreadable") { w in
      // Tests run as root, for whom chmod 000 changes nothing; /proc/1/mem cannot be read
      // even by root without ptrace rights over pid 1. As another user, chmod 000 is used.
      let path: String
      if geteuid() == 0 {
        path = "/proc/1/mem"
      } else {
        path = w.write("locked.state.jsonl", "x")
        chmod(path, 0)
      }
      let result = try CLI.expect(
        ["status", path], status: 2, stderr: .prefix("runbook: cannot read \(path): "))
      #expect(result.stderr.hasSuffix("; check its permissions\n"))
    },
    BadInput("state file: a symlink") { w in
      let (_, state) = try finishedState(w)
      let link = w.path + "/link.state.jsonl"
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: state)
      let line = "runbook: \(link) is a symbolic link; give the real path of the state file"
      try CLI.expect(["status", link], status: 2, stderr: .line(line))
      try CLI.expect(["resume", "--non-interactive", "--yes", link], status: 2, stderr: .line(line))
    },
    BadInput("state file: a directory") { w in
      let path = w.path + "/dir.state.jsonl"
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
      try CLI.expect(
        ["status", path], status: 2,
        stderr: .line(
          "runbook: \(path) is a directory, not a runbook state file; give the path of the state file"))
    },
    BadInput("state file: a named pipe is refused, not waited on") { w in
      let path = w.path + "/pipe.state.jsonl"
      #expect(mkfifo(path, 0o600) == 0)
      try CLI.expect(
        ["status", path], status: 2, stderr: .line("runbook: \(path) is not a runbook state file"),
        timeout: 10)
    },
    BadInput("state file: in a directory that is not writable") { w in
      // /proc/self is not writable even by root.
      let path = "/proc/self/runbook-\(UUID().uuidString.prefix(8)).state.jsonl"
      let guide = w.write("g.md", "# T\n\n1. Go\n")
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", path, guide], status: 2,
        stderr: .line("runbook: cannot create \(path): directory not writable; choose another with --state"))
      let header = JournalHeader(
        runbook: .init(path: "g.md", id: "t", title: "T", sha256: ""), steps: [], created: Date(),
        operator: "a")
      #expect {
        try Journal.create(
          at: path, header: header, lock: LockInfo(operator: "a", pid: 1, host: "h", since: Date()))
      } throws: { error in
        (error as? StoreError)?.kind == .notWritable
      }
    },
    BadInput("state file: missing") { w in
      let path = w.path + "/none.state.jsonl"
      try CLI.expect(["status", path], status: 2, stderr: .prefix("runbook: \(path) does not exist; "))
    },
    BadInput("state file: the disk fills while appending: clear error, journal still valid") { w in
      let (_, state) = try finishedState(w)
      let before = try Data(contentsOf: URL(fileURLWithPath: state))
      let journal = try Journal.open(
        at: state, lock: LockInfo(operator: "t", pid: 1, host: "h", since: Date()))
      defer { journal.close() }
      journal.writer = { _, _ in
        errno = ENOSPC
        return -1
      }
      #expect {
        try journal.append(Event(type: .note, at: Date(), operator: "t", text: "x"))
      } throws: { error in
        (error as? StoreError)?.description
          == "cannot write \(state): No space left on device; disk full? The journal is unchanged; free space and resume"
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
      #expect(Journal.verify(at: state).ok)
    },
  ]

  // MARK: - Commands

  static func block(_ markdown: String) throws -> CodeBlock {
    let runbook = RunbookCompiler().compile("## S\n\n1. Do:\n\n" + markdown, file: "t.md")
    return try #require(runbook.allSteps.first?.codeBlocks.first)
  }

  static func run(_ code: CodeBlock) -> (CheckRunner.Outcome, TimeInterval) {
    elapsed {
      CheckRunner(runner: SystemProcessRunner(), clock: SystemClock(), secrets: [])
        .run(PreparedCommand(code, values: [:], inputs: []))
    }
  }

  static let commands: [BadInput] = [
    BadInput("command printing megabytes: only the tail is kept") { _ in
      let (outcome, _) = run(
        try block("   ```sh {check}\n   head -c 20000000 /dev/zero | tr '\\0' x; echo; echo END\n   ```\n"))
      #expect(outcome.passed, "\(outcome.reason ?? "")")
      #expect(outcome.result.outputBytes == 20_000_005)
      #expect(outcome.result.outputTail.utf8.count <= SystemProcessRunner.tailLimit)
      #expect(outcome.result.outputTail.hasSuffix("x\nEND\n"))
    },
    BadInput("command that never ends: stopped at its timeout") { _ in
      let (outcome, seconds) = run(try block("   ```sh {check timeout=1s}\n   while :; do :; done\n   ```\n"))
      #expect(!outcome.passed)
      #expect(outcome.reason == "it did not finish within 1s and was stopped")
      #expect(outcome.result.timedOut)
      #expect(seconds < 10)
    },
    BadInput("command that ignores SIGTERM: killed after the grace period") { _ in
      let (outcome, seconds) = run(
        try block("   ```sh {run timeout=500ms}\n   trap '' TERM; while :; do sleep 1; done\n   ```\n"))
      #expect(outcome.reason == "it did not finish within 500ms and was stopped")
      #expect(seconds >= SystemProcessRunner.killGrace && seconds < 10)
    },
    BadInput("command whose child holds the output open: the run does not wait for it") { _ in
      let (outcome, seconds) = run(try block("   ```sh {check}\n   (sleep 30 &) ; echo started\n   ```\n"))
      #expect(outcome.passed, "\(outcome.reason ?? "")")
      #expect(outcome.result.outputTail == "started\n")
      #expect(seconds < 10)
    },
    BadInput("command printing invalid UTF-8 and escapes: kept as text, no crash") { _ in
      let (outcome, _) = run(try block("   ```sh {check}\n   printf 'a\\377\\376b\\033[2J\\n'\n   ```\n"))
      #expect(outcome.passed)
      #expect(outcome.result.outputTail == "a\u{FFFD}\u{FFFD}b\u{1B}[2J\n")
      #expect(Sanitizer.terminal(outcome.result.outputTail) == "a\u{FFFD}\u{FFFD}b^[[2J\n")
    },
  ]
}
