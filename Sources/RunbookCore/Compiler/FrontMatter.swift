import Foundation
import RunbookMarkdown

/// The YAML front matter at the top of a guide, between `---` lines.
struct FrontMatter {
  var title: String?
  var id: String?
  var description: String?
  var inputs: [Input] = []

  /// Splits the front matter off a guide. The body is the text after the closing `---`; it is
  /// parsed as if preceded by `blankLines` empty lines (the front matter's), so every position
  /// the Markdown parser reports is the guide's own. The body shares the guide's storage: no
  /// copy of a large guide is made.
  static func split(_ source: String, _ diagnostics: inout DiagnosticCollector) -> (
    FrontMatter?, body: Substring, blankLines: Int
  ) {
    guard source.hasPrefix("---") || source.hasPrefix("\u{FEFF}---") else { return (nil, source[...], 0) }
    var lines: [Substring] = []
    var closingLine: Int?
    var offset = source.startIndex
    // Lines are found one at a time: splitting the whole guide first cost more than the rest of
    // a small guide's compile.
    // Every kind of line ending ends a line: LF, CR LF and a lone CR. Found in the UTF-8 bytes:
    // both are ASCII, so never part of a longer character, and going by `Character` cost more
    // than the rest of a small guide's compile.
    let utf8 = source.utf8
    var number = 0
    var lineStart = utf8.startIndex
    while true {
      let lineEnd = utf8[lineStart...].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? utf8.endIndex
      let line = source[lineStart..<lineEnd]
      if number == 0 {
        guard isDelimiter(line, "---") else { return (nil, source[...], 0) }
      } else if isDelimiter(line, "---") || isDelimiter(line, "...") {
        closingLine = number
        offset = line.endIndex
        break
      } else {
        lines.append(line)
      }
      if lineEnd == utf8.endIndex { break }
      lineStart = utf8.index(after: lineEnd)
      if utf8[lineEnd] == 0x0D, lineStart != utf8.endIndex, utf8[lineStart] == 0x0A {
        lineStart = utf8.index(after: lineStart)
      }
      number += 1
    }
    guard let closingLine else {
      // A lone `---` at the top is a thematic break unless it looks like YAML.
      if let first = lines.first, first.contains(":") {
        diagnostics.report(
          .error, "front-matter-unclosed", at: SourceLocation(line: 1, column: 1),
          "front matter opened with `---` is never closed; add a `---` line after the last key")
      }
      return (nil, source[...], 0)
    }
    let yaml = lines.joined(separator: "\n")
    return (parse(yaml, &diagnostics), source[offset...], closingLine)
  }

  /// Whether a line is `delimiter` once spaces, tabs, carriage returns and byte order marks
  /// (and the other Unicode spaces) are trimmed from both ends.
  static func isDelimiter(_ line: Substring, _ delimiter: String) -> Bool {
    line.trimming { $0.isSpaceOrTab || $0 == "\r" || $0 == "\u{FEFF}" } == delimiter
  }

  static func parse(_ yaml: String, _ diagnostics: inout DiagnosticCollector) -> FrontMatter {
    var result = FrontMatter()
    let root: YAMLNode?
    do {
      root = try YAMLComposer.compose(yaml)
    } catch {
      diagnostics.report(
        .error, "front-matter-invalid", at: SourceLocation(line: error.line + 1, column: error.column),
        "front matter is not valid YAML (\(error.problem)); fix it or the title and inputs are ignored")
      return result
    }
    guard let root else { return result }
    guard let mapping = root.mapping else {
      diagnostics.report(
        .error, "front-matter-invalid", at: location(root), "front matter must be a YAML mapping of keys")
      return result
    }
    for pair in mapping {
      switch pair.key.string {
      case "title": result.title = pair.value.string
      case "id": result.id = pair.value.string
      case "description": result.description = pair.value.string
      case "inputs": result.inputs = parseInputs(pair.value, &diagnostics)
      default: break  // Docusaurus and other tools' keys are normal.
      }
    }
    return result
  }

  /// A node's position in the guide: the front matter's YAML starts on the guide's line 2.
  static func location(_ node: YAMLNode) -> SourceLocation {
    SourceLocation(line: node.line + 1, column: node.column)
  }

  static let inputKeys: Set<String> = [
    "label", "help", "example", "default", "pattern", "message", "type", "choices", "secret",
    "required", "ask", "value",
  ]

  static func parseInputs(_ node: YAMLNode, _ diagnostics: inout DiagnosticCollector) -> [Input] {
    guard let mapping = node.mapping else {
      diagnostics.report(
        .error, "invalid-inputs", at: location(node),
        "`inputs` must be a mapping of input ids to their settings")
      return []
    }
    var inputs: [Input] = []
    var seen: Set<String> = []
    for pair in mapping {
      let (key, value) = (pair.key, pair.value)
      let name = key.string ?? ""
      let id = Placeholder.normalize(name)
      let at = location(key)
      guard !id.isEmpty else {
        diagnostics.report(
          .error, "invalid-input-id", at: at, "input `\(name)` needs letters or digits in its id")
        continue
      }
      guard seen.insert(id).inserted else {
        diagnostics.report(.error, "duplicate-input", at: at, "input `\(id)` is declared twice; keep one")
        continue
      }
      if id != name {
        diagnostics.report(
          .info, "input-id-normalised", at: at,
          "input `\(name)` is used as `\(id)`; write `<\(id)>` in placeholders")
      }
      var input = Input(id: id, label: humanize(id), declared: true, location: at)
      if value.isNull || (value.string?.isEmpty ?? false) {
        inputs.append(input)
        continue
      }
      guard let settings = value.mapping else {
        diagnostics.report(
          .error, "invalid-input", at: location(value),
          "input `\(id)` must be a mapping such as `{label: Region, example: us-east-1}`")
        continue
      }
      for pair in settings {
        let (settingKey, setting) = (pair.key, pair.value)
        let name = settingKey.string ?? ""
        let where_ = location(settingKey)
        let text = setting.string
        switch name {
        case "label": input.label = text ?? input.label
        case "help": input.help = text
        case "example": input.example = text
        case "default": input.defaultValue = text
        case "pattern": input.pattern = text
        case "message": input.message = text
        case "ask": input.ask = text
        case "value": input.value = text
        case "type":
          if let kind = text.flatMap(Input.Kind.init(rawValue:)) {
            input.kind = kind
          } else {
            diagnostics.report(
              .error, "invalid-input-type", at: where_,
              "input `\(id)` has type `\(text ?? "?")`; use one of \(Input.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
          }
        case "choices":
          if let items = setting.sequence {
            input.choices = items.compactMap(\.string)
          } else {
            diagnostics.report(
              .error, "invalid-input-choices", at: where_,
              "`choices` of input `\(id)` must be a list such as `[cognito, okta]`")
          }
        case "secret", "required":
          guard let flag = setting.bool else {
            diagnostics.report(
              .error, "invalid-input-flag", at: where_,
              "`\(name)` of input `\(id)` must be true or false")
            continue
          }
          if name == "secret" { input.secret = flag } else { input.required = flag }
        default:
          diagnostics.report(
            .warning, "unknown-input-key", at: where_,
            "input `\(id)` has an unknown key `\(name)`; known keys: \(inputKeys.sorted().joined(separator: ", "))"
          )
        }
      }
      if input.kind == .choice, input.choices.isEmpty {
        diagnostics.report(
          .error, "invalid-input-choices", at: at,
          "input `\(id)` is a choice but lists no `choices`; add `choices: [a, b]`")
      }
      if !input.choices.isEmpty, input.kind == .text { input.kind = .choice }
      inputs.append(input)
    }
    return inputs
  }

  /// `user_pool_id` → `User pool id`.
  static func humanize(_ id: String) -> String {
    let words = id.replacingOccurrences(of: "_", with: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
  }
}
