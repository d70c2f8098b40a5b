import Foundation
import RunbookMarkdown
import Testing

@testable import RunbookCore

/// The byte-level fast paths the compiler takes for ASCII text must give exactly what the
/// general, character-level code gives: ids, heading anchors and lettered sub-steps would
/// otherwise change with the text's encoding.
@Suite struct ASCIIFastPathTests {
  /// Random strings over every ASCII byte (control characters, CR LF pairs and punctuation
  /// included), plus a few pieces that decide the outcome.
  static func samples(count: Int, pieces extra: [String]) -> [String] {
    var generator = SplitMix(seed: 0x5eed)
    let pieces =
      (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["\r\n", "a. ", "b)", "--", "__"] + extra
    return (0..<count).map { _ in
      var text = ""
      for _ in 0..<Int(generator.next() % 12) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
      return text
    }
  }

  @Test func normalizeAgrees() {
    for text in Self.samples(count: 20_000, pieces: ["User-Pool-ID", "x509"]) {
      #expect(
        Placeholder.normalizeASCII(text) == Placeholder.normalizeCharacters(text), "\(text.debugDescription)")
    }
    #expect(Placeholder.normalizeASCII("Clé") == nil)
    #expect(Placeholder.normalize("Clé d'accès") == "clé_d_accès")
  }

  @Test func slugAgrees() {
    for text in Self.samples(count: 20_000, pieces: ["Set up TLS", "Step 2: Configure"]) {
      #expect(Slugger.slugASCII(text) == Slugger.slugCharacters(text), "\(text.debugDescription)")
    }
    #expect(Slugger.slugASCII("Café") == nil)
    #expect(Slugger.slug("Configure the App Client (optional)") == "configure-the-app-client-optional")
  }

  @Test func humanizeAgrees() {
    for text in Self.samples(count: 20_000, pieces: ["user_pool_id", "_x", "a_"]) {
      #expect(
        FrontMatter.humanizeASCII(text) == FrontMatter.humanizeCharacters(text), "\(text.debugDescription)")
    }
    #expect(FrontMatter.humanizeASCII("clé") == nil)
    #expect(FrontMatter.humanize("user_pool_id") == "User pool id")
    #expect(FrontMatter.humanize("étape_un") == "Étape un")
  }

  /// Code fence info strings: language, attributes, problems and their offsets.
  @Test func codeInfoAgrees() {
    func summary(_ info: CodeInfo) -> String {
      "\(info.language ?? "-") \(info.attributes.map { "\($0.name)=\($0.value)@\($0.location.column)" }) "
        + "\(info.problems.map { "\($0.message)@\($0.offset)" })"
    }
    let at = SourceLocation(line: 3, column: 1)
    var checked = 0
    for text in Self.samples(
      count: 20_000, pieces: ["sh ", "{", "}", "run", " check", "timeout=30s", "name=\"a b\"", "='x", "\\"])
    where !text.utf8.contains(0x0D) {
      let bytes = CodeInfo(units: Array(text.utf8), at: at)
      let characters = CodeInfo(units: Array(text), at: at)
      #expect(summary(bytes) == summary(characters), "\(text.debugDescription)")
      checked += 1
    }
    #expect(checked > 10_000)
    let info = CodeInfo("sh {check name=\"db up\", timeout=30s}", at: at)
    #expect(info.language == "sh")
    #expect(info.attributes.map { "\($0.name)=\($0.value)" } == ["check=true", "name=db up", "timeout=30s"])
    #expect(CodeInfo("bash {run name=\"é\"}", at: at).attributes.last?.value == "é")
  }

  @Test func collapsingWhitespaceAgrees() {
    for text in Self.samples(count: 20_000, pieces: ["  ", "\t\n", "Step one"]) {
      #expect(
        text.collapsingWhitespace() == text.split(whereSeparator: \.isWhitespace).joined(separator: " "),
        "\(text.debugDescription)")
    }
  }

  @Test func letteredStepAgrees() {
    var letters = 0
    for text in Self.samples(count: 20_000, pieces: ["a.", "z)", "c.\t"]) where StepBuilder.hasASCIIHead(text)
    {
      for alone in [true, false] {
        let fast = StepBuilder.letterFromBytes(text, alone: alone)
        #expect(fast == StepBuilder.letterFromCharacters(text, alone: alone), "\(text.debugDescription)")
        if fast != nil { letters += 1 }
      }
    }
    #expect(letters > 100)  // the samples do hold lettered lines
    #expect(!StepBuilder.hasASCIIHead("a. \u{301}x"))
    #expect(!StepBuilder.hasASCIIHead("a\r\n"))
  }
}

/// A paragraph the grouper calls plain must be one the line-by-line split leaves as it is:
/// random paragraphs made of the inlines and texts that decide fences (`:::`), MDX module
/// lines and components.
@Suite struct PlainParagraphTests {
  @Test func plainParagraphsAreThoseTheFullSplitKeeps() {
    var generator = SplitMix(seed: 0xface)
    let texts = [
      ":::", ":::note", " :::tip Title", "::", ":", "import x from 'y'", "export const a = 1", "import",
      "e", "i", "<", "<Tabs>", "<Foo />", " ", "\t", "", "\u{A0}:::", "\u{200B}:::", "text", "Étape", "a. b",
      "1. step", "`", "\n", "im", "port x from 'y'", "impo", "rt a;", "If needed", "Enter the value",
      "important", "exports", " import a from 'b'", "export", "\timport x;", "e ", "In the console",
    ]
    let at = SourceLocation(line: 1, column: 1)
    func inline() -> Inline {
      let text = texts[Int(generator.next() % UInt64(texts.count))]
      switch generator.next() % 8 {
      case 0: return .softBreak(at)
      case 1: return .lineBreak(at)
      case 2: return .code(text, at)
      case 3: return .html(text, at)
      case 4: return .emphasis([.text(text, at)], at)
      default: return .text(text, at)
      }
    }
    var plain = 0
    for _ in 0..<20_000 {
      let inlines = (0..<Int(1 + generator.next() % 6)).map { _ in inline() }
      guard BlockGrouper.isPlainParagraph(inlines) else { continue }
      plain += 1
      var tokens: [BlockGrouper.Token] = []
      BlockGrouper.splitParagraphLines(inlines, SourceRange(line: 1, column: 1), into: &tokens)
      guard tokens.count == 1, case .node(.block(.paragraph(let kept, _))) = tokens[0], kept == inlines else {
        Issue.record("called plain but split differently: \(inlines)")
        continue
      }
    }
    #expect(plain > 1_000)  // the shortcut is taken often
  }
}

@Suite struct SubstringSearchTests {
  /// The byte search finds what Foundation's `contains` finds in ASCII text: at the start, the
  /// end, overlapping partial matches, needles longer than the text, the empty needle.
  @Test func agreesWithFoundation() {
    var generator = SplitMix(seed: 42)
    let alphabet = ["R", "U", "N", "_", "A", "RUN", "RUNR", "\n", "$", " "]
    func text(_ count: Int) -> String {
      (0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
    }
    for _ in 0..<5_000 {
      let haystack = text(Int(generator.next() % 16))
      let needle = text(Int(generator.next() % 4))
      #expect(
        haystack.containsBytes(of: needle) == (needle.isEmpty || haystack.contains(needle)),
        "\(haystack.debugDescription) \(needle.debugDescription)")
    }
  }
}

@Suite struct FrontMatterDelimiterTests {
  /// A front matter delimiter judged by its bytes is the one the scalar trimming finds.
  @Test func byteCheckAgreesWithTrimming() {
    var generator = SplitMix(seed: 3)
    let pieces = ["-", ".", " ", "\t", "\r", "\u{FEFF}", "\u{A0}", "\u{200B}", "x", "---", "...", "é"]
    var delimiters = 0
    for _ in 0..<20_000 {
      let line = (0..<Int(generator.next() % 7)).map { _ in
        pieces[Int(generator.next() % UInt64(pieces.count))]
      }
      .joined()
      for delimiter in ["---", "..."] {
        let expected =
          Substring(line).trimming { $0.isSpaceOrTab || $0 == "\r" || $0 == "\u{FEFF}" } == delimiter
        #expect(FrontMatter.isDelimiter(Substring(line), delimiter) == expected, "\(line.debugDescription)")
        if expected { delimiters += 1 }
      }
    }
    #expect(delimiters > 100)
  }

  @Test func closedByDotsWithTrailingBlanks() {
    let runbook = RunbookCompiler().compile("--- \t\ntitle: Dots\n... \n\n## S\n\n1. Go.\n", file: "d.md")
    #expect(runbook.title == "Dots")
    #expect(runbook.allSteps.first?.range.start.line == 7)
  }
}
