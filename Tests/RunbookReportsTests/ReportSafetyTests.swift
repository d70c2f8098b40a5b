import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports
import RunbookTestSupport
import Testing

/// Secrets never appear; hostile text in the runbook, inputs and output is inert.
@Suite struct ReportSafetyTests {
  /// Every value of the context, unescaped, so nothing is hidden by escaping.
  static let everything = """
    {{% CONTENT_TYPE: TEXT}}{{{title}}} {{{statePath}}} {{{runbook.path}}}
    {{#inputs}}{{{id}}}={{{value}}} {{/inputs}}
    {{#tables}}{{#header}}{{{.}}}|{{/header}}{{#rows}}{{#cells}}{{{.}}}|{{/cells}}{{/rows}}{{/tables}}
    {{#ran}}{{{command}}} {{{output}}} {{{reason}}}{{/ran}}
    {{#notes}}{{{text}}}{{/notes}}{{#steps}}{{{title}}} {{{reason}}} {{#notes}}{{{.}}}{{/notes}}{{/steps}}
    """

  func renderings(_ report: Report) throws -> [String: String] {
    var out: [String: String] = [:]
    for format in ReportFormat.allCases { out[format.rawValue] = report.render(format) }
    out["template"] = try report.render(template: Self.everything)
    return out
  }

  @Test(arguments: [false, true])
  func aSecretAppearsInNoFormat(journalHoldsIt: Bool) throws {
    let built = try ReportFixture.tokenRun(leak: journalHoldsIt)
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    for (name, text) in try renderings(report) {
      let bytes = Array(text.utf8)
      #expect(!bytes.contains(Array(ReportFixture.secret.utf8)), "the secret is in the \(name) report")
      #expect(text.contains("provided (secret)"), "\(name)")
    }
    let values = Dictionary(uniqueKeysWithValues: report.inputs.map { ($0.id, $0.value) })
    #expect(values["api_token"] == "provided (secret)")
    #expect(values["auth_header"] == nil as String?)
    #expect(
      report.tables.first?.rows.map { $0[1] } == ["https://api.example.com", "<auth_header>", "<api_token>"])
  }

  /// A real session with a runner that prints the token: the session masks it in the journal,
  /// and the report adds nothing.
  @Test func aSecretGivenInARealSessionAppearsInNoFormat() throws {
    let built = try ReportFixture.build(ReportFixture.token) { _ in [] }
    defer { ReportFixture.remove(built) }
    let journal = try Journal.open(
      at: built.statePath,
      lock: LockInfo(operator: "alice", pid: 100, host: "ops-1", since: ReportFixture.start))
    let session = Session(
      runbook: built.runbook, log: journal, operator: "alice", clock: FixedClock(), runner: EchoRunner())
    session.provided = ["api_token": ReportFixture.secret, "endpoint": "https://api.example.com"]
    try session.begin(host: "ops-1", pid: 100, sha256: built.sha256)
    var answered = 0
    loop: while answered < 50 {
      answered += 1
      try session.applyProvided()
      switch session.next() {
      case .finished: break loop
      case .precondition, .readPage: try session.answer(.acknowledge)
      case .input(let input, _, _):
        try session.answer(.value(input.id == "api_token" ? ReportFixture.secret : "x"))
      case .confirmRow: try session.answer(.confirmAll)
      case .command, .check: try session.answer(.run)
      case .checkFailed: try session.answer(.skip(reason: "failed"))
      case .finishStep: try session.answer(.done)
      }
      if session.ended { break }
    }
    journal.close()
    let journalBytes = try Data(contentsOf: URL(fileURLWithPath: built.statePath))
    #expect(!journalBytes.contains(Data(ReportFixture.secret.utf8)))
    let report = try built.report()
    #expect(report.ran.first?.output.contains(SecretMasker.mask) == true)
    for (name, text) in try renderings(report) {
      #expect(
        !Data(text.utf8).contains(Data(ReportFixture.secret.utf8)), "the secret is in the \(name) report")
    }
  }

  /// A quote followed by a combining mark is one Swift `Character`: escaped all the same, in the
  /// built-in HTML report and in a team's own template that puts a value in an attribute (the
  /// value would otherwise end the attribute and add one of its own).
  @Test func aQuoteWithACombiningMarkCannotLeaveAnAttribute() throws {
    let built = try ReportFixture.build(
      """
      ---
      title: "Sign-in \\"\\u0301 onmouseover=alert(1) x=\\"\\u0301"
      ---

      ## S

      1. Do it.
      """
    ) { _ in [] }
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    let joined = "\"" + "\u{301}"  // one Character: a quote and a combining acute accent
    let escaped = "&quot;" + "\u{301}"
    #expect(report.title.contains(joined), "the fixture's title holds the quote")
    let custom = try report.render(template: "<a title=\"{{title}}\">x</a>")
    #expect(!custom.contains(joined + " onmouseover"), "\(custom)")
    #expect(custom.contains(escaped + " onmouseover=alert(1) x=" + escaped), "\(custom)")
    #expect(!report.html().contains(joined))
    let markdownPragma = try report.render(template: "{{% CONTENT_TYPE: MARKDOWN}}\n{{title}}")
    #expect(!markdownPragma.hasPrefix("\n"), "the default content type leaves no line behind")
  }

  @Test func hostileTextIsInertInEveryFormat() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    for (name, text) in try renderings(report) {
      let bytes = Array(text.utf8)
      #expect(!bytes.contains(0x1B), "raw ESC in the \(name) report")
      #expect(!bytes.contains(0x07), "raw BEL in the \(name) report")
      #expect(
        !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character in \(name)")
    }
    let html = report.html()
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.lowercased().contains("<img"))
    #expect(!html.contains("<b>"))
    #expect(html.contains("&lt;/table&gt;"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&quot;quotes&quot; &#39;single&#39;"))
    #expect(html.contains("^[[31mred"))
    #expect(html.components(separatedBy: "</table>").count == html.components(separatedBy: "<table").count)

    let markdown = report.markdown()
    #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>"))
    // Raw HTML-like text sits only in fenced code blocks, where Markdown shows it as text.
    var inFence = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        inFence.toggle()
        continue
      }
      if !inFence {
        #expect(!line.contains("<") || line.contains("\\<"), "unescaped < outside code: \(line)")
      }
    }

    let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
    let title = try #require(object?["title"] as? String)
    #expect(title.contains("<script>alert(1)</script>"))
    #expect(title.contains("^[[31mred"))
  }

  @Test func htmlLoadsNothingFromAnywhere() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    for html in [try built.report().html(), try ReportFixture.completedReport().html()] {
      let lowered = html.lowercased()
      for needle in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "<base", "<form"] {
        #expect(!lowered.contains(needle), "\(needle)")
      }
      // Document text is escaped, so every `<` starts a tag of the template.
      let tags = lowered.matches(of: /<[^>]*>/).map { String($0.output) }
      #expect(!tags.contains { $0.contains("src=") || $0.contains("href=") || $0.contains("url(") })
      let style = try #require(lowered.firstMatch(of: /<style>([\s\S]*?)<\/style>/)?.output.1)
      #expect(!style.contains("@import") && !style.contains("url(") && !style.contains("@font-face"))
      #expect(
        html.contains(
          #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#
        ))
      // Addresses may appear as text, never inside a tag.
      #expect(!tags.contains { $0.contains("http://") || $0.contains("https://") })
      #expect(html.contains("@media print"))
    }
  }
}

extension ReportFixture {
  static func completedReport() throws -> Report {
    let built = try completed()
    defer { remove(built) }
    return try built.report()
  }
}

/// A clock that moves one second each time it is read.
final class FixedClock: WallClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current = ReportFixture.start
  func now() -> Date {
    lock.withLock {
      current += 1
      return current
    }
  }
  func sleep(seconds: TimeInterval) {}
}

/// Prints the token it is given, as a careless command would.
struct EchoRunner: ProcessRunner {
  func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
    let token = request.environment["RUNBOOK_INPUT_API_TOKEN"] ?? "none"
    let text = "token \(token) accepted\n\(request.arguments.joined(separator: " "))\n"
    output(text)
    return ProcessResult(status: 0, outputTail: text, outputBytes: text.utf8.count, duration: 0.05)
  }
}
