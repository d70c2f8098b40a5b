import Foundation
import RunbookMarkdown

/// Builds the steps of a section (or the sub-steps of a step) from the proposals
/// ``StepResolver`` picked, numbers them the way a reader sees them, and places every node no
/// proposal claims: content before the first step is the section's intro, content between steps
/// belongs to the step before it (guides often break a list with an image, a table or a `<dd>`
/// wrapper and continue the numbering after it), content after the last step closes it or the
/// section. Nothing is dropped.
struct StepBuilder {
  var converter: ContentConverter
  /// Ids given so far, to keep every id unique.
  var usedIDs: Set<String> = []
  /// The choices `<Tabs>` holding steps offer, in document order.
  var choices: [Choice] = []

  struct Scope {
    /// The number of the step these are sub-steps of, or nil for a section's own steps.
    var prefix: String?
    var sectionSlug: String
    var sectionTitle = ""
    var alternative: String?
    /// The pinned id of the step these are sub-steps of: their ids start with it.
    var pinnedParent: String?
    /// The condition of the steps found at this level (those of one tab).
    var condition: Condition?

    var level: StepLevel { prefix == nil ? .section : .step }
  }

  struct Result {
    var before: [Content] = []
    var steps: [Step] = []
    var after: [Content] = []
    var lastNumber: Int?
  }

  /// A step being assembled: its title and the nodes that follow it.
  struct Pending {
    var number: String
    /// The title as the guide shows it, for rendering (a numbered or lettered paragraph keeps
    /// its `1.` or `a.`).
    var titleInlines: [Inline]
    /// The title's text without the number the guide wrote in it, when it wrote one.
    var title: String? = nil
    var hasTitle: Bool
    var nodes: [Node]
    var task: MarkdownListItem.Task?
    var pin: String?
    var condition: Condition?
    var range: SourceRange
    var origin: StepOrigin
  }

  /// The state of one level while its runs are built in order.
  struct Progress {
    var result = Result()
    var pending: [Pending] = []
    var finished: [Step] = []
    var lastNumber: Int?
    var lastListWasTasks = false
    var pin: (id: String, at: SourceLocation)?
    var condition: Condition?
  }

  mutating func steps(_ nodes: [Node], _ scope: Scope) -> Result {
    let nodes = scope.prefix == nil ? nodes : LetteredText.splitParagraphs(nodes)
    let runs = StepResolver.resolve(nodes, level: scope.level)
    var progress = Progress()
    var cursor = 0
    for run in runs {
      place(nodes[cursor..<run.range.lowerBound], &progress)
      build(run, nodes, scope, &progress)
      cursor = run.range.upperBound
    }
    finishLevel(Array(nodes[cursor...]), scope, &progress)
    return progress.result
  }

  // MARK: - Between steps

  /// Places nodes no proposal claimed: pins and conditions wait for the next step, anything
  /// else belongs to the step before it (or, before the first step, to the intro).
  mutating func place(_ nodes: ArraySlice<Node>, _ progress: inout Progress) {
    var content: [Node] = []
    for node in nodes {
      switch node {
      case .pin(let id, let at):
        if let old = progress.pin { orphanPin(old.id, old.at) }
        progress.pin = (id, at)
      case .condition(let condition):
        if let old = progress.condition { orphanCondition(old) }
        progress.condition = condition
      default:
        // A pin or condition is for the step right after it, not for one further on.
        if let old = progress.pin {
          orphanPin(old.id, old.at)
          progress.pin = nil
        }
        if let old = progress.condition {
          orphanCondition(old)
          progress.condition = nil
        }
        content.append(node)
      }
    }
    attach(content, &progress)
  }

  mutating func attach(_ nodes: [Node], _ progress: inout Progress) {
    guard !nodes.isEmpty else { return }
    if progress.pending.isEmpty {
      progress.result.before.append(contentsOf: converter.content(nodes))
    } else {
      progress.pending[progress.pending.count - 1].nodes.append(contentsOf: nodes)
    }
  }

  /// Adds a step to the level, with the pin and condition written right before it.
  mutating func add(_ pending: Pending, _ progress: inout Progress) {
    var pending = pending
    pending.pin = progress.pin?.id
    pending.condition = progress.condition
    progress.pin = nil
    progress.condition = nil
    progress.pending.append(pending)
  }

  /// After the last step: what still belongs to it, then the rest closes the level.
  mutating func finishLevel(_ tail: [Node], _ scope: Scope, _ progress: inout Progress) {
    var between: [Node] = []
    for node in tail {
      switch node {
      case .pin(let id, let at): orphanPin(id, at)
      case .condition(let condition): orphanCondition(condition)
      default: between.append(node)
      }
    }
    if let old = progress.pin { orphanPin(old.id, old.at) }
    if let old = progress.condition { orphanCondition(old) }
    if let last = progress.pending.last, last.origin == .lettered || last.origin == .leadIn {
      // After a lettered sub-step (`e. Click Next` and its screenshot) or a lead-in (its output
      // and the text up to the next lead-in), the rest is part of it.
      progress.pending[progress.pending.count - 1].nodes.append(contentsOf: between)
    } else if let last = progress.pending.last, let taken = trailingContent(of: last, between, scope.level) {
      progress.pending[progress.pending.count - 1].nodes.append(contentsOf: between[..<taken])
      progress.result.after = converter.content(Array(between[taken...]))
    } else {
      progress.result.after = converter.content(between)
    }
    progress.result.steps = progress.finished + progress.pending.map { finish($0, scope) }
    progress.result.lastNumber = progress.lastNumber
  }

  /// How much of the content after a level's last step still belongs to it:
  /// - what a title ending with a colon announces (`Enter these values:`), up to the first
  ///   paragraph that is not a lead-in to a code block;
  /// - what directly continues its action: a table, code block, `<Tabs>`, note, screenshot or
  ///   HTML right after it, or a sentence that leads into a code block (`Run the following
  ///   command:`), up to the first other paragraph;
  /// - lettered sub-steps (`a. …`) written after the list, up to the next ordinary paragraph.
  ///
  /// Only a section's last step takes what continues it: after sub-steps, the rest is the parent
  /// step's closing.
  func trailingContent(of last: Pending, _ between: [Node], _ level: StepLevel) -> Int? {
    var end = 0
    var sawLetter = false
    var expected: Character = "a"
    for (index, node) in between.enumerated() {
      if case .block(.paragraph(let inlines, _)) = node, !Self.isImageOnly(inlines) {
        if let l = LetteredText.letter(of: inlines), l == expected {
          sawLetter = true
          expected = LetteredText.next(after: l)
        } else if level == .section, index + 1 < between.count, case .block(.codeBlock) = between[index + 1],
          !sawLetter
        {
          // A sentence that leads into a code block continues the action.
        } else {
          break
        }
      }
      end += 1
    }
    let announces = last.titleInlines.plainText.trimmingSpaces().hasSuffix(":")
    guard end > 0, sawLetter || announces || (level == .section && continues(between)) else { return nil }
    return end
  }

  /// True when the first node after a step continues it rather than closing the section: a
  /// code block, table, `<Tabs>`, note, HTML (a screenshot, a `<dd>` wrapper) or a screenshot
  /// paragraph, or a sentence leading into a code block. A bullet list or a quote does not.
  func continues(_ between: [Node]) -> Bool {
    guard let first = between.first else { return false }
    switch first {
    case .block(.paragraph(let inlines, _)):
      if Self.isImageOnly(inlines) { return true }
      if between.count > 1, case .block(.codeBlock) = between[1] { return true }
      return false
    case .block(.list), .block(.blockQuote), .block(.thematicBreak), .block(.heading): return false
    case .block(.html(let html, _)): return !html.trimmingSpacesAndNewlines().hasPrefix("<!--")
    default: return true
    }
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

  // MARK: - Building what the resolver picked

  mutating func build(_ run: StepProposal, _ nodes: [Node], _ scope: Scope, _ progress: inout Progress) {
    switch run.kind {
    case .numberedHeading, .numberedParagraph:
      buildNumbered(nodes[run.range], kind: run.kind, scope, &progress)
    case .list:
      guard case .block(.list(let list)) = nodes[run.range.lowerBound] else { return }
      buildList(list, scope, &progress)
    case .lettered:
      guard case .block(.paragraph(let inlines, let range)) = nodes[run.range.lowerBound],
        let letter = LetteredText.letter(of: inlines)
      else { return }
      add(
        Pending(
          number: "\(scope.prefix ?? "").\(letter)", titleInlines: inlines,
          title: LetteredText.stripLetter(inlines).plainText.collapsingWhitespace(), hasTitle: true,
          nodes: [], task: nil, pin: nil, condition: nil, range: range, origin: .lettered), &progress)
    case .tabs:
      guard case .tabs(let group) = nodes[run.range.lowerBound] else { return }
      buildTabs(group, scope, &progress)
    case .procedureBullet:
      guard case .block(.list(let list)) = nodes[run.range.lowerBound] else { return }
      for item in list.items {
        var itemNodes = converter.group(item.blocks)
        var title: [Inline] = []
        if case .block(.paragraph(let inlines, _))? = itemNodes.first {
          title = inlines
          itemNodes.removeFirst()
        }
        addInferred(
          title: title, nodes: itemNodes, range: item.range, origin: .procedureBullet, scope, &progress)
      }
    case .leadIn:
      let lead = nodes[run.range.lowerBound]
      var title: [Inline] = []
      var body: [Node] = []
      switch lead {
      case .block(.codeBlock):
        // A command right under a heading: the heading is its lead-in.
        title = scope.sectionTitle.isEmpty ? [] : [.text(scope.sectionTitle, lead.start)]
        body = [lead]
      case .block(.paragraph(let inlines, _)):
        title = inlines
      case .block(.list(let list)):
        var itemNodes = converter.group(list.items[0].blocks)
        if case .block(.paragraph(let inlines, _))? = itemNodes.first {
          title = inlines
          itemNodes.removeFirst()
        }
        body = itemNodes
      default:
        break
      }
      let range = SourceRange(start: lead.start, end: nodes[run.range.upperBound - 1].start)
      let code = run.range.count > 1 ? Array(nodes[run.range.dropFirst()]) : []
      addInferred(title: title, nodes: body + code, range: range, origin: .leadIn, scope, &progress)
    }
  }

  /// A step the guide did not number: numbered on from the level's last step.
  mutating func addInferred(
    title: [Inline], nodes: [Node], range: SourceRange, origin: StepOrigin, _ scope: Scope,
    _ progress: inout Progress
  ) {
    let number = (progress.lastNumber ?? 0) + 1
    progress.lastNumber = number
    add(
      Pending(
        number: scope.prefix.map { "\($0).\(number)" } ?? "\(number)", titleInlines: title,
        hasTitle: !title.isEmpty,
        nodes: nodes, task: nil, pin: nil, condition: nil, range: range, origin: origin), &progress)
  }

  /// A numbered heading or paragraph: the number as written, everything up to the next one.
  mutating func buildNumbered(
    _ nodes: ArraySlice<Node>, kind: StepProposal.Kind, _ scope: Scope, _ progress: inout Progress
  ) {
    let head = nodes[nodes.startIndex]
    let inlines: [Inline]
    let range: SourceRange
    switch head {
    case .block(.heading(_, let i, let r)), .block(.paragraph(let i, let r)):
      inlines = i
      range = r
    default:
      return
    }
    guard let (number, title) = NumberedText.split(inlines) else { return }
    checkNumbering(number, after: progress.lastNumber, scope, at: range.start, noun: "step")
    progress.lastNumber = number
    add(
      Pending(
        number: "\(number)", titleInlines: inlines, title: title.plainText.collapsingWhitespace(),
        hasTitle: true, nodes: Array(nodes.dropFirst()), task: nil,
        pin: nil, condition: nil, range: range,
        origin: kind == .numberedHeading ? .numberedHeading : .numberedParagraph), &progress)
  }

  /// A numbered or task list: one step per item, numbered as a reader sees it.
  mutating func buildList(_ list: MarkdownList, _ scope: Scope, _ progress: inout Progress) {
    let start: Int
    if list.ordered {
      start = list.start
      if !progress.lastListWasTasks {
        checkNumbering(start, after: progress.lastNumber, scope, at: list.range.start)
      }
    } else {
      start = (progress.lastNumber ?? 0) + 1
    }
    progress.lastListWasTasks = !list.ordered
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
        attach(
          [
            .block(
              .list(
                MarkdownList(ordered: false, start: 1, tight: list.tight, items: [item], range: item.range)))
          ],
          &progress)
        continue
      }
      var itemNodes = converter.group(item.blocks)
      var titleInlines: [Inline] = []
      var hasTitle = false
      if case .block(.paragraph(let inlines, let range))? = itemNodes.first {
        // `1. Do these:` may carry `a. …` lines in the same paragraph: those are sub-steps.
        let parts = LetteredText.splitAtLetteredLines(inlines, range)
        titleInlines = parts[0].0
        hasTitle = true
        itemNodes.replaceSubrange(0..<1, with: parts.dropFirst().map { .block(.paragraph($0.0, $0.1)) })
      }
      let full = scope.prefix.map { "\($0).\(number)" } ?? "\(number)"
      add(
        Pending(
          number: full, titleInlines: titleInlines, hasTitle: hasTitle, nodes: itemNodes, task: item.task,
          pin: nil,
          condition: nil, range: item.range, origin: list.ordered ? .numberedList : .taskList), &progress)
      progress.lastNumber = number
      number += 1
    }
  }

  /// `<Tabs>` holding steps: each tab's steps are numbered within it, labelled with it, and
  /// apply only when the tab is the one chosen (a ``Choice``, asked once).
  mutating func buildTabs(_ group: TabGroup, _ scope: Scope, _ progress: inout Progress) {
    let choice = choice(for: group, scope)
    var alternatives: [Alternative] = []
    var tabSteps: [Step] = []
    for (tab, option) in zip(group.tabs, choice.options) {
      let inner = Scope(
        prefix: scope.prefix, sectionSlug: scope.sectionSlug, sectionTitle: scope.sectionTitle,
        alternative: tab.label, pinnedParent: scope.pinnedParent,
        condition: Condition(input: choice.id, values: [option.value], location: group.range.start))
      let built = steps(tab.nodes, inner)
      tabSteps.append(contentsOf: built.steps)
      alternatives.append(
        Alternative(label: tab.label, value: tab.value, content: built.before + built.after, range: tab.range)
      )
    }
    if progress.pending.isEmpty {
      progress.result.before.append(.tabs(alternatives, group.range))
    } else {
      // The labelled alternatives belong to the step they follow.
      progress.pending[progress.pending.count - 1].nodes.append(.tabsContent(alternatives, group.range))
      progress.finished.append(contentsOf: progress.pending.map { finish($0, scope) })
      progress.pending = []
    }
    progress.finished.append(contentsOf: tabSteps)
  }

  /// The choice a tab group offers: Docusaurus's `groupId` (or `queryString`) names it, so tabs
  /// of one group anywhere in the guide are one choice, asked once; otherwise it is named after
  /// its section.
  mutating func choice(for group: TabGroup, _ scope: Scope) -> Choice {
    let options = group.tabs.map {
      Choice.Option(value: $0.value.isEmpty ? Slugger.slug($0.label) : $0.value, label: $0.label)
    }
    var id = Placeholder.normalize(
      group.group ?? ((scope.sectionSlug.isEmpty ? "guide" : scope.sectionSlug) + "-option"))
    if id.isEmpty { id = "option" }
    var candidate = id
    var n = 2
    while let existing = choices.first(where: { $0.id == candidate }) {
      if Set(existing.options.map(\.value)) == Set(options.map(\.value)) { return existing }
      candidate = "\(id)_\(n)"
      n += 1
    }
    let title = scope.sectionTitle.isEmpty ? "" : "\(scope.sectionTitle): "
    let made = Choice(
      id: candidate, label: "\(title)which one do you follow?", options: options, location: group.range.start)
    choices.append(made)
    return made
  }

  // MARK: - Finishing

  /// Builds a step from its title and nodes, its sub-steps included.
  mutating func finish(_ p: Pending, _ scope: Scope) -> Step {
    let id = uniqueID(p, scope)
    let inner = Scope(
      prefix: p.number, sectionSlug: scope.sectionSlug, sectionTitle: scope.sectionTitle,
      alternative: scope.alternative, pinnedParent: p.pin != nil ? id : scope.pinnedParent)
    let built = steps(p.nodes, inner)
    // Without sub-steps there is nothing to come "after": it is all the step's content.
    let content = built.steps.isEmpty ? built.before + built.after : built.before
    let closing = built.steps.isEmpty ? [] : built.after
    var step = Step(
      number: p.number, id: id, pinned: p.pin != nil,
      title: p.title ?? p.titleInlines.plainText.collapsingWhitespace(),
      titleInlines: p.titleInlines, content: content, steps: built.steps, closing: closing,
      task: p.task, alternative: scope.alternative, range: p.range)
    step.origin = p.origin
    step.condition = p.condition ?? scope.condition
    return step
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

  /// Warns when the number a step shows repeats or skips the one before it.
  mutating func checkNumbering(
    _ start: Int, after last: Int?, _ scope: Scope, at: SourceLocation, noun: String = "list"
  ) {
    guard let last else { return }
    let where_ = scope.prefix.map { "step \($0)" } ?? "this section"
    let fix = scope.prefix == nil ? " or put it under its own heading" : ""
    let what = noun == "list" ? "the list starts at" : "this step is numbered"
    if start <= last {
      converter.diagnostics.report(
        .warning, "duplicate-step-number", at: at,
        "\(what) \(start) after step \(last) in \(where_), so numbers repeat; number it \(last + 1)\(fix)")
    } else if start > last + 1 {
      converter.diagnostics.report(
        .warning, "step-number-skipped", at: at,
        "\(what) \(start) after step \(last) in \(where_), skipping \(last + 1); renumber it or indent the content between the items"
      )
    }
  }

  mutating func orphanPin(_ id: String, _ at: SourceLocation) {
    converter.diagnostics.report(
      .warning, "orphan-step-pin", at: at,
      "`<!-- step: \(id) -->` is not followed by a list item or heading; put it on the line right before one")
  }

  mutating func orphanCondition(_ condition: Condition) {
    converter.diagnostics.report(
      .warning, "orphan-condition", at: condition.location,
      "`<!-- if: \(condition.description) -->` is not followed by a step or heading; put it on the line right before one"
    )
  }
}
