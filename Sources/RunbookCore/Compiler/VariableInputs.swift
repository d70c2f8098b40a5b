import Foundation
import RunbookMarkdown

/// Shell variables the reader must supply: a `$VAR` / `${VAR}` that a shell block reads, that no
/// earlier block of the guide sets (``ShellVariables``) and that is not a standard variable
/// (``ShellVariables/standard``) becomes an input, labelled from the sentence before the block and
/// delivered to commands as that environment variable. Where the guide cannot say (an earlier
/// block sources a file or runs `eval`; only a later block sets it), no input is made and lint
/// says so (`unset-variable`).
public struct VariableInputs: Sendable {
  /// A variable that becomes an input.
  public struct Found: Sendable, Equatable {
    public var name: String
    public var label: String
    public var step: String?
    public var location: SourceLocation
  }

  /// A variable read that the guide may or may not set: one sentence why.
  public struct Undecided: Sendable, Equatable {
    public var name: String
    public var location: SourceLocation
    public var message: String
  }

  public var found: [Found] = []
  public var undecided: [Undecided] = []

  /// A shell block in document order, with its step and the sentence before it.
  struct Block {
    var code: CodeBlock
    var step: String?
    var sentence: String?
  }

  /// Finds them in a compiled runbook; `inputs` are the inputs found so far (a variable whose
  /// name is already an input's id is that input).
  public init(_ runbook: Runbook) {
    var blocks: [Block] = []
    // The text before the next block; its last sentence is taken only for a shell block (most
    // paragraphs are followed by none, and the sentence costs more than the rest of this walk).
    var lead: [Inline] = []
    func visit(_ content: [Content], step: String?) {
      content.walk { item in
        switch item {
        case .paragraph(let inlines, _):
          lead = inlines
        case .code(let code):
          if code.isShellScript {
            blocks.append(Block(code: code, step: step, sentence: Self.lastSentence(lead.plainText)))
          }
        default: break
        }
      }
    }
    func visit(_ step: Step) {
      lead = step.titleInlines
      visit(step.content, step: step.id)
      step.steps.forEach(visit)
      visit(step.closing, step: step.id)
    }
    func visit(_ section: Section) {
      visit(section.intro, step: nil)
      section.steps.forEach(visit)
      visit(section.closing, step: nil)
      section.sections.forEach(visit)
    }
    visit(runbook.intro, step: nil)
    runbook.sections.forEach(visit)

    let scans = blocks.map { ShellVariables($0.code.scannedText) }
    // Where each variable is first set, by block index.
    var firstSet: [String: Int] = [:]
    for (index, scan) in scans.enumerated() {
      for name in scan.sets where firstSet[name] == nil { firstSet[name] = index }
    }
    var seen: Set<String> = []
    var opaque = false
    for (index, block) in blocks.enumerated() {
      let scan = scans[index]
      for read in scan.reads where !seen.contains(read.name) && !ShellVariables.isStandard(read.name) {
        if let at = firstSet[read.name], at <= index { continue }
        seen.insert(read.name)
        let location = SourceLocation(
          line: block.code.range.start.line + (block.code.fenced ? 1 : 0) + read.line,
          column: block.code.range.start.column + read.column)
        if opaque {
          undecided.append(
            Undecided(
              name: read.name, location: location,
              message:
                "`$\(read.name)` is read here and no block sets it, but an earlier block runs `source`, `.` or `eval`, which may; set it in a block, or declare it as an input"
            ))
        } else if let later = firstSet[read.name] {
          let line = blocks[later].code.range.start.line
          undecided.append(
            Undecided(
              name: read.name, location: location,
              message:
                "`$\(read.name)` is read here but only set by a later block (line \(line)); move the block that sets it first"
            ))
        } else {
          let label = block.sentence.map { "\(read.name) (\($0))" } ?? read.name
          found.append(Found(name: read.name, label: label, step: block.step, location: location))
        }
      }
      if scan.opaque { opaque = true }
    }
  }

  /// The last sentence of a paragraph, at most 80 characters, without a trailing colon.
  static func lastSentence(_ text: String) -> String? {
    let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    guard !flat.isEmpty else { return nil }
    var sentence = flat
    if let range = flat.dropLast().range(of: ". ", options: .backwards) {
      sentence = String(flat[range.upperBound...])
    }
    while let last = sentence.last, ":.".contains(last) { sentence.removeLast() }
    if sentence.count > 80 { sentence = String(sentence.prefix(79)) + "…" }
    return sentence.isEmpty ? nil : sentence
  }
}

extension CodeBlock {
  /// A block of shell the engine runs or offers (any shell language, an unlabelled `{run}` or
  /// `{check}`, or an unlabelled block that reads as shell), not marked `{norun}`: where
  /// ``VariableInputs`` looks for variables.
  public var isShellScript: Bool {
    guard !isNoRun, !isOutput else { return false }
    guard let language = language?.lowercased() else { return isCommand || isCheck || readsAsShell }
    return ScriptSubstitution.shellLanguages.contains(language)
  }
}
