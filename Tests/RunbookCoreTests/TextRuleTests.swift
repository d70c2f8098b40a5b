import RunbookMarkdown
import Testing

@testable import RunbookCore

/// The small text rules of the compiler: heading anchors, input labels, info strings, titles,
/// lettered sub-steps and front matter delimiters.
@Suite struct TextRuleTests {
  @Test func slugsAreGitHubAnchors() {
    #expect(Slugger.slug("Configure the App Client (optional)") == "configure-the-app-client-optional")
    #expect(Slugger.slug("Step 2: Set up TLS_v1.3") == "step-2-set-up-tls_v13")
    #expect(Slugger.slug("Café  Crème") == "café--crème")
    var slugger = Slugger()
    #expect(["A", "A", "A-1", "A"].map { slugger.unique($0) } == ["a", "a-1", "a-1-1", "a-2"])
  }

  @Test func inputLabelsAreHumanizedIDs() {
    #expect(FrontMatter.humanize("user_pool_id") == "User pool id")
    #expect(FrontMatter.humanize("étape_un") == "Étape un")
    #expect(FrontMatter.humanize("_x") == " x")
  }

  @Test func infoStringsGiveLanguageAttributesAndProblems() {
    let at = SourceLocation(line: 3, column: 1)
    let info = CodeInfo("sh {check name=\"db up\", timeout=30s}", at: at)
    #expect(info.language == "sh")
    #expect(info.attributes.map { "\($0.name)=\($0.value)" } == ["check=true", "name=db up", "timeout=30s"])
    #expect(info.attributes.map(\.location.column) == [8, 14, 28])
    #expect(CodeInfo("bash {run name=\"é\"}", at: at).attributes.last?.value == "é")
    #expect(CodeInfo("{run}", at: at).language == nil)
    #expect(CodeInfo("sh {run", at: at).problems.map(\.offset) == [3])
    let bad = CodeInfo("sh {name='x =1 ?}", at: at)
    #expect(bad.problems.map(\.message) == ["the value of `name` has no closing '"])
    #expect(
      CodeInfo("sh {= x=}", at: at).problems.map(\.message) == [
        "unexpected `=` in the attribute list", "`x=` has no value",
      ])
  }

  @Test func titlesCollapseWhitespace() {
    #expect(" Step \t one\r\n two  ".collapsingWhitespace() == "Step one two")
    #expect("".collapsingWhitespace() == "")
  }

  @Test func letteredSubStepsNeedALowercaseLetterAndAMark() {
    let text =
      "## S\n\n1. Do these:\n\n   a. First.\n\n   b) Second.\n\n   c.Third is text.\n\n   D. Not one.\n"
    let step = RunbookCompiler().compile(text, file: "g.md").allSteps
    #expect(step.map(\.number) == ["1", "1.a", "1.b"])
    #expect(step.last?.title == "Second.")
  }

  @Test func frontMatterDelimitersIgnoreBlanksCarriageReturnsAndByteOrderMarks() {
    for line in ["---", "--- \t", "---\r", "\u{FEFF}---", " --- ", "---\u{A0}"] {
      #expect(FrontMatter.isDelimiter(Substring(line), "---"), "\(line.debugDescription)")
    }
    for line in ["----", "-- -", "x---", "...", "---x"] {
      #expect(!FrontMatter.isDelimiter(Substring(line), "---"), "\(line.debugDescription)")
    }
    #expect(FrontMatter.isDelimiter("... ", "..."))
  }

  @Test func frontMatterClosedByDotsWithTrailingBlanks() {
    let runbook = RunbookCompiler().compile("--- \t\ntitle: Dots\n... \n\n## S\n\n1. Go.\n", file: "d.md")
    #expect(runbook.title == "Dots")
    #expect(runbook.allSteps.first?.range.start.line == 7)
  }
}
