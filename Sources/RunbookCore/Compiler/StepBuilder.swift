import Foundation
import RunbookMarkdown

/// Finds the steps in a sequence of nodes and numbers them as a reader sees them.
///
/// Ordered lists and task lists are steps; a list that starts at 3 is numbered from 3, nested
/// lists give dotted numbers (`6.2`) and lettered paragraphs (`a. …`) inside a step give `5.a`.
/// Content between two lists belongs to the step before it, because guides often break a list
/// with an image, a table or a `<dd>` wrapper and continue the numbering after it.
struct StepBuilder {
  var converter: ContentConverter
  /// Ids given so far, to keep every id unique.
  var usedIDs: Set<String> = []

  struct Scope {
    /// The number of the step these are sub-steps of, or nil for a section's own steps.
    var prefix: String?
    var sectionSlug: String
    var alternative: String?
    /// The pinned id of the step these are sub-steps of: their ids start with it.
    var pinnedParent: String?
  }

  struct Result {
    var before: [Content] = []
    var steps: [Step] = []
    var after: [Content] = []
    var lastNumber: Int?
  }

  /// A step being assembled: its list item (or lettered paragraph) and the nodes that follow it.
  struct Pending {
    var number: String
    var titleInlines: [Inline]
    var hasTitle: Bool
    var nodes: [Node]
    var task: MarkdownListItem.Task?
    var pin: String?
    var range: SourceRange
    var lettered: Bool
  }

  mutating func steps(_ nodes: [Node], _ scope: Scope) -> Result {
    var result = Result()
    var pending: [Pending] = []
    var between: [Node] = []  // nodes after the latest step, not yet placed
    var lastNumber: Int? = nil
    var pin: (String, SourceLocation)?
    var nextLetter: Character = "a"
    var finished: [Step] = []
    var lastListWasTasks = false

    func place(_ nodes: [Node], _ result: inout Result, _ pending: inout [Pending]) {
      if pending.isEmpty {
        result.before.append(contentsOf: converter.content(nodes))
      } else {
        pending[pending.count - 1].nodes.append(contentsOf: nodes)
      }
    }

    let items = scope.prefix == nil ? nodes : splitLetteredParagraphs(nodes)
    for node in items {
      switch node {
      case .pin(let id, let at):
        place(between, &result, &pending)
        between = []
        if let (old, oldAt) = pin { orphanPin(old, oldAt) }
        pin = (id, at)
      case .block(.list(let list)) where list.ordered || list.items.contains(where: { $0.task != nil }):
        place(between, &result, &pending)
        between = []
        let start: Int
        if list.ordered {
          start = list.start
          if !lastListWasTasks { checkNumbering(start, after: lastNumber, scope, at: list.range.start) }
        } else {
          start = (lastNumber ?? 0) + 1
        }
        lastListWasTasks = !list.ordered
        var number = start
        for (index, item) in list.items.enumerated() {
          if list.ordered, index > 0, let written = item.writtenNumber, written != number, written != start {
            converter.diagnostics.report(
              .warning, written > number ? "step-number-skipped" : "duplicate-step-number",
              at: item.range.start,
              "this item is written as \(written) but readers see \(number): Markdown numbers a list from its first item; renumber it \(number)"
            )
          }
          if !list.ordered, item.task == nil {
            // A plain bullet among task items: content of the step before it.
            place(
              [
                .block(
                  .list(
                    MarkdownList(
                      ordered: false, start: 1, tight: list.tight, items: [item], range: item.range)))
              ], &result, &pending)
            continue
          }
          var itemNodes = converter.group(item.blocks)
          var titleInlines: [Inline] = []
          var hasTitle = false
          if case .block(.paragraph(let inlines, let range))? = itemNodes.first {
            // `1. Do these:` may carry `a. …` lines in the same paragraph: those are sub-steps.
            let parts = splitAtLetteredLines(inlines, range)
            titleInlines = parts[0].0
            hasTitle = true
            itemNodes.replaceSubrange(0..<1, with: parts.dropFirst().map { .block(.paragraph($0.0, $0.1)) })
          }
          let full = scope.prefix.map { "\($0).\(number)" } ?? "\(number)"
          pending.append(
            Pending(
              number: full, titleInlines: titleInlines, hasTitle: hasTitle, nodes: itemNodes,
              task: item.task, pin: pin?.0, range: item.range, lettered: false))
          pin = nil
          lastNumber = number
          number += 1
        }
        nextLetter = "a"
      case .block(.paragraph(let inlines, let range))
      where scope.prefix != nil && letter(of: inlines) != nil
        && (letter(of: inlines) == nextLetter || letter(of: inlines) == "a"):
        place(between, &result, &pending)
        between = []
        let l = letter(of: inlines)!
        pending.append(
          Pending(
            number: "\(scope.prefix!).\(l)", titleInlines: stripLetter(inlines), hasTitle: true,
            nodes: [], task: nil, pin: pin?.0, range: range, lettered: true))
        pin = nil
        nextLetter = Character(Unicode.Scalar(l.unicodeScalars.first!.value + 1)!)
      case .tabs(let tabs, let range):
        // Steps inside a tab are alternatives: numbered within their tab, labelled with it.
        var alternatives: [Alternative] = []
        var tabSteps: [Step] = []
        for tab in tabs {
          let inner = Scope(
            prefix: scope.prefix, sectionSlug: scope.sectionSlug, alternative: tab.label)
          let built = steps(tab.nodes, inner)
          tabSteps.append(contentsOf: built.steps)
          alternatives.append(
            Alternative(
              label: tab.label, value: tab.value, content: built.before + built.after, range: tab.range))
        }
        if tabSteps.isEmpty {
          between.append(node)
        } else {
          place(between, &result, &pending)
          between = []
          if pending.isEmpty {
            result.before.append(.tabs(alternatives, range))
          } else {
            // The labelled alternatives belong to the step they follow.
            pending[pending.count - 1].nodes.append(.tabsContent(alternatives, range))
            finished.append(contentsOf: pending.map { finish($0, scope) })
            pending = []
          }
          finished.append(contentsOf: tabSteps)
        }
      default:
        // A pin is for the list item right after it, not for one further on.
        if let (old, oldAt) = pin {
          orphanPin(old, oldAt)
          pin = nil
        }
        between.append(node)
      }
    }
    if let (old, oldAt) = pin { orphanPin(old, oldAt) }
    // Content after the last step closes the section or step; after a lettered sub-step it is
    // part of that sub-step (`e. Click Next` followed by its screenshot).
    if let last = pending.last, last.lettered {
      pending[pending.count - 1].nodes.append(contentsOf: between)
    } else if let last = pending.last, let taken = trailingContent(of: last, between) {
      pending[pending.count - 1].nodes.append(contentsOf: between[..<taken])
      result.after = converter.content(Array(between[taken...]))
    } else {
      result.after = converter.content(between)
    }
    result.steps = finished + pending.map { finish($0, scope) }
    result.lastNumber = lastNumber
    return result
  }

  /// Builds a step from its item, reporting what is wrong with it.
  mutating func finish(_ p: Pending, _ scope: Scope) -> Step {
    let id = uniqueID(p, scope)
    let inner = Scope(
      prefix: p.number, sectionSlug: scope.sectionSlug, alternative: scope.alternative,
      pinnedParent: p.pin != nil ? id : scope.pinnedParent)
    let built = steps(p.nodes, inner)
    // Without sub-steps there is nothing to come "after": it is all the step's content.
    let content = built.steps.isEmpty ? built.before + built.after : built.before
    let closing = built.steps.isEmpty ? [] : built.after
    return Step(
      number: p.number, id: id, pinned: p.pin != nil,
      title: p.titleInlines.plainText.collapsingWhitespace(),
      titleInlines: p.titleInlines, content: content, steps: built.steps, closing: closing,
      task: p.task, alternative: scope.alternative, range: p.range)
  }

  mutating func uniqueID(_ p: Pending, _ scope: Scope) -> String {
    var base: String
    if let pin = p.pin {
      base = pin
    } else {
      base = ""
      if let parent = scope.pinnedParent {
        base = parent + "/"
      } else if !scope.sectionSlug.isEmpty {
        base = scope.sectionSlug + "/"
      }
      if let alternative = scope.alternative { base += Slugger.slug(alternative) + "/" }
      base += p.number
    }
    if usedIDs.insert(base).inserted { return base }
    // Repeated numbers were reported already; a repeated pin is its own mistake.
    if p.pin != nil {
      converter.diagnostics.report(
        .warning, "duplicate-step-id", at: p.range.start,
        "step id `\(base)` is already used by an earlier step; pin a different id")
    }
    var n = 2
    while !usedIDs.insert("\(base)~\(n)").inserted { n += 1 }
    return "\(base)~\(n)"
  }

  mutating func checkNumbering(_ start: Int, after last: Int?, _ scope: Scope, at: SourceLocation) {
    guard let last else { return }
    let where_ = scope.prefix.map { "step \($0)" } ?? "this section"
    let fix = scope.prefix == nil ? " or put it under its own heading" : ""
    if start <= last {
      converter.diagnostics.report(
        .warning, "duplicate-step-number", at: at,
        "the list starts at \(start) after step \(last) in \(where_), so numbers repeat; number it \(last + 1)\(fix)"
      )
    } else if start > last + 1 {
      converter.diagnostics.report(
        .warning, "step-number-skipped", at: at,
        "the list starts at \(start) after step \(last) in \(where_), skipping \(last + 1); renumber it or indent the content between the items"
      )
    }
  }

  /// How much of the content after a scope's last step still belongs to that step: the
  /// table, code or image that a step ending with a colon announces, and lettered sub-steps
  /// (`a. …`) written after the list, up to the next ordinary paragraph.
  func trailingContent(of last: Pending, _ between: [Node]) -> Int? {
    var end = 0
    var sawLetter = false
    var expected: Character = "a"
    for node in between {
      if case .block(.paragraph(let inlines, _)) = node, !Self.isImageOnly(inlines) {
        guard let l = letter(of: inlines), l == expected else { break }
        sawLetter = true
        expected = Character(Unicode.Scalar(l.unicodeScalars.first!.value + 1)!)
      }
      end += 1
    }
    let announces = last.titleInlines.plainText.trimmingSpaces().hasSuffix(":")
    return end > 0 && (sawLetter || announces) ? end : nil
  }

  /// A paragraph that only holds images (a screenshot between a step and its table).
  static func isImageOnly(_ inlines: [Inline]) -> Bool {
    !inlines.isEmpty
      && inlines.allSatisfy {
        switch $0 {
        case .image, .softBreak, .lineBreak: true
        case .text(let t, _): t.allSatisfy(\.isWhitespace)
        case .html(let h, _): h.lowercased().hasPrefix("<img") || h.hasPrefix("<br")
        default: false
        }
      }
  }

  mutating func orphanPin(_ id: String, _ at: SourceLocation) {
    converter.diagnostics.report(
      .warning, "orphan-step-pin", at: at,
      "`<!-- step: \(id) -->` is not followed by a list item or heading; put it on the line right before one")
  }

  // MARK: - Lettered sub-steps

  /// The letter of a paragraph written as `a. …` or `a) …`: a lowercase ASCII letter, `.` or
  /// `)`, then a space or tab, or nothing more when other inlines follow the text.
  func letter(of inlines: [Inline]) -> Character? {
    guard case .text(let text, _)? = inlines.first else { return nil }
    let chars = Array(text.prefix(3))
    guard chars.count >= 2, let first = chars.first, first.isASCII, first.isLowercase,
      chars[1] == "." || chars[1] == ")"
    else { return nil }
    if chars.count == 3 {
      guard chars[2] == " " || chars[2] == "\t" else { return nil }
    } else if inlines.count == 1 {
      return nil
    }
    return first
  }

  func stripLetter(_ inlines: [Inline]) -> [Inline] {
    guard case .text(let text, let at)? = inlines.first else { return inlines }
    var rest = inlines
    let stripped = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    if stripped.isEmpty {
      rest.removeFirst()
    } else {
      rest[0] = .text(String(stripped), at)
    }
    return rest
  }

  /// Splits a paragraph before each line that is a lettered sub-step (`a. …`, then `b. …`…,
  /// with no blank line between them). The first part may be ordinary text (a step's title).
  func splitAtLetteredLines(_ inlines: [Inline], _ range: SourceRange) -> [([Inline], SourceRange)] {
    guard inlines.contains(where: { if case .softBreak = $0 { true } else { false } }) else {
      return [(inlines, range)]
    }
    var lines: [[Inline]] = [[]]
    for inline in inlines {
      if case .softBreak = inline { lines.append([]) } else { lines[lines.count - 1].append(inline) }
    }
    var parts: [[Inline]] = []
    var expected: Character = "a"
    for line in lines {
      if let l = letter(of: line), l == expected {
        parts.append(line)
        expected = Character(Unicode.Scalar(l.unicodeScalars.first!.value + 1)!)
      } else if parts.isEmpty {
        parts.append(line)
      } else {
        parts[parts.count - 1].append(.softBreak(line.first?.location ?? range.start))
        parts[parts.count - 1].append(contentsOf: line)
      }
    }
    guard parts.count > 1 || expected != "a" else { return [(inlines, range)] }
    return parts.map { ($0, SourceRange(start: $0.first?.location ?? range.start, end: range.end)) }
  }

  /// Splits every paragraph of a sequence at its lettered lines.
  func splitLetteredParagraphs(_ nodes: [Node]) -> [Node] {
    // Most sequences have nothing to split: keep them as they are instead of rebuilding them.
    let anyToSplit = nodes.contains { node in
      guard case .block(.paragraph(let inlines, let range)) = node else { return false }
      let parts = splitAtLetteredLines(inlines, range)
      return parts.count != 1 || parts[0].0 != inlines || parts[0].1 != range
    }
    guard anyToSplit else { return nodes }
    return nodes.flatMap { node -> [Node] in
      guard case .block(.paragraph(let inlines, let range)) = node else { return [node] }
      return splitAtLetteredLines(inlines, range).map { .block(.paragraph($0.0, $0.1)) }
    }
  }
}
