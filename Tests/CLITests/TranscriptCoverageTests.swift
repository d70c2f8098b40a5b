import Foundation
import RunbookCore
import RunbookMarkdown
import RunbookTestSupport
import Testing

/// Nothing of a guide is lost: every heading, paragraph (line by line), list item, table cell
/// and code line of every guide in `../shared/corpus` appears in what an unattended run prints,
/// with the values given filled in. The only parts not looked for are front matter, MDX
/// `import`/`export` lines, HTML (comments, wrappers, JSX components) and admonition fences.
@Suite(.enabled(if: Paths.corpus != nil, "../shared/corpus is not beside this checkout"))
struct TranscriptCoverageTests {
  static var guides: [String] { Paths.corpusGuides }

  @Test("every block of the guide is in the unattended transcript", arguments: guides)
  func everyBlockIsShown(_ path: String) throws {
    let guide = try #require(Paths.corpus).appendingPathComponent(path)
    let directory = Paths.temporaryDirectory("transcript")
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["COLUMNS": "400", "TERM": "dumb"]
    let values = try Self.values(for: guide.path, environment: environment)
    let run = try RunbookProcess.run(
      [
        "run", guide.path, "--non-interactive", "--yes", "--state",
        directory.appendingPathComponent("s.jsonl").path,
      ]
        + values.sorted { $0.key < $1.key }.flatMap { ["--set", "\($0.key)=\($0.value)"] },
      environment: environment, directory: directory)
    #expect(run.status == 0, "\(run.stderr)")
    let transcript = Self.normalized(Self.withoutBars(run.stdout))
    let expected = ExpectedText(values: values, mdx: path.hasSuffix(".mdx")).blocks(
      of: try String(contentsOf: guide, encoding: .utf8))
    // A unit the values rule out (an alternative not chosen) never asks for its inputs, so it
    // shows its placeholders as written; a command's expected output, never scanned, shows the
    // values asked before it and the others as written.
    let missing = expected.filter { block in
      !([block.text, block.written] + Self.partlyFilled(block.written, values)).contains {
        transcript.contains(Self.normalized(Self.withoutBars($0)))
      }
    }
    #expect(!expected.isEmpty)
    let report = missing.map { "  line \($0.line): \($0.text)" }.joined(separator: "\n")
    #expect(missing.isEmpty, "\(missing.count) of \(expected.count) blocks not shown:\n\(report)")
  }

  /// A value for every input that has no default: its first choice, its example, or a made-up
  /// word (the values the run is given with `--set`).
  static func values(for guide: String, environment: [String: String]) throws -> [String: String] {
    let shown = try RunbookProcess.run(["show", "--json", guide], environment: environment)
    let document = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
    var values: [String: String] = [:]
    for case let input as [String: Any] in document?["inputs"] as? [Any] ?? [] {
      guard input["value"] == nil, input["default"] == nil, let id = input["id"] as? String else { continue }
      values[id] =
        (input["choices"] as? [String])?.first ?? (input["type"] as? String == "yes-no" ? "yes" : nil)
        ?? input["example"] as? String ?? "x-value-1"
    }
    return values
  }

  /// The text with each of its placeholders filled or as written, in every combination.
  static func partlyFilled(_ written: String, _ values: [String: String]) -> [String] {
    let count = Placeholder.scan(written).count
    guard count > 1, count <= 6 else { return [] }
    return (0..<(1 << count)).map { mask in
      var index = -1
      return Placeholder.substitute(written) { occurrence in
        index += 1
        return mask & (1 << index) != 0 ? values[occurrence.id] : nil
      }
    }
  }

  /// Text without the bars that mark notes (`| `) and quotes (`> `) at the start of each line,
  /// so that a wrapped paragraph in a note reads on (a code line that starts with one loses it
  /// on both sides of the comparison).
  static func withoutBars(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      var rest = line.drop { $0 == " " }
      while rest.hasPrefix("| ") || rest.hasPrefix("> ") || rest == "|" || rest == ">" {
        rest = rest.dropFirst(2).drop { $0 == " " }
      }
      return String(rest)
    }.joined(separator: "\n")
  }

  /// Lowercase, without backticks, white space collapsed.
  static func normalized(_ text: String) -> String {
    text.lowercased().replacingOccurrences(of: "`", with: "")
      .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}

/// The text of a guide's blocks as a reader of the page sees it, as cmark-gfm parses it: what a
/// transcript must show.
struct ExpectedText {
  var values: [String: String]
  var mdx: Bool

  func blocks(of source: String) -> [(line: Int, text: String, written: String)] {
    var unfilled = self
    unfilled.values = [:]
    return zip(texts(of: source), unfilled.texts(of: source)).map { ($0.line, $0.text, $1.text) }
  }

  func texts(of source: String) -> [(line: Int, text: String)] {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    var skipped = 0
    if lines.first == "---", let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
      skipped = end + 1
      lines.removeFirst(skipped)
    }
    let body = lines.joined(separator: "\n")
    return blocks(MarkdownParser.parse(Substring(body), blankLinesBefore: skipped).blocks, topLevel: true)
  }

  func blocks(_ blocks: [MarkdownBlock], topLevel: Bool = false) -> [(line: Int, text: String)] {
    var out: [(Int, String)] = []
    for block in blocks {
      switch block {
      case .heading(_, let inlines, let range):
        out.append((range.start.line, text(inlines)))
      case .paragraph(let inlines, let range):
        let raw = inlines.plainText.trimmingCharacters(in: .whitespaces)
        if topLevel, raw.hasPrefix("import ") || raw.hasPrefix("export ") { continue }
        if raw.hasPrefix("<"), raw.dropFirst().first?.isUppercase == true { continue }  // a JSX component
        for line in lineTexts(inlines) where !line.hasPrefix(":::") && !line.hasPrefix("[!") && !line.isEmpty
        {
          out.append((range.start.line, line))
        }
      case .list(let list):
        for item in list.items { out += self.blocks(item.blocks) }
      case .blockQuote(let inner, _):
        out += self.blocks(inner)
      case .codeBlock(let code):
        if mdx, code.fence == nil {
          let reparsed = MarkdownParser.parse(
            Substring(code.text), blankLinesBefore: code.range.start.line - 1)
          out += self.blocks(reparsed.blocks)
          continue
        }
        let filled = Placeholder.substitute(CodeBlock.highlightFree(code.text)) { values[$0.id] }
        for (offset, line) in filled.split(separator: "\n").enumerated() {
          // An indented `<dt>`/`<dd>` line of a definition list is shown as a table row.
          let isHTML = line.trimmingCharacters(in: .whitespaces).hasPrefix("<d")
          let shown = isHTML ? HTMLTag.removingMarkup(String(line)) : String(line)
          if !shown.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append((code.range.start.line + offset, shown))
          }
        }
      case .table(let table):
        for row in [table.header] + table.rows {
          for cell in row.cells {
            let shown = text(cell, cell: true).trimmingCharacters(in: .whitespaces)
            if !shown.isEmpty { out.append((row.range.start.line, shown)) }
          }
        }
      case .html, .thematicBreak:
        continue
      }
    }
    return out
  }

  /// The paragraph's text line by line (at its line breaks).
  func lineTexts(_ inlines: [Inline]) -> [String] {
    var lines: [[Inline]] = [[]]
    for inline in inlines {
      switch inline {
      case .softBreak, .lineBreak: lines.append([])
      default: lines[lines.count - 1].append(inline)
      }
    }
    return lines.map { text($0).trimmingCharacters(in: .whitespaces) }
  }

  /// Inline content as it reads: markup removed, placeholders in code filled, images as
  /// `[image: alt] url`, HTML tags of elements and components dropped (in a table cell, also
  /// those cmark read as text).
  func text(_ inlines: [Inline], cell: Bool = false) -> String {
    var out = ""
    for inline in inlines {
      switch inline {
      case .text(let s, _): out += cell ? HTMLTag.removingMarkup(s) : s
      case .code(let s, _): out += Placeholder.substitute(s) { values[$0.id] }
      case .softBreak, .lineBreak: out += " "
      case .html(let s, _):
        if s.lowercased().hasPrefix("<br") {
          out += " "
        } else if !HTMLTag.isMarkup(s), !s.lowercased().hasPrefix("<img") {
          out += s
        }
      case .emphasis(let c, _), .strong(let c, _), .strikethrough(let c, _), .link(_, _, let c, _):
        out += text(c, cell: cell)
      case .image(let source, _, let c, _):
        let alt = c.plainText
        out += (alt.isEmpty ? "[image]" : "[image: \(alt)]") + " " + source
      }
    }
    return out
  }
}
