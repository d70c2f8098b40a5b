import RunbookMarkdown

extension Runbook {
  /// The units a run walks, in document order: the intro page, then each section's page or
  /// steps (sub-steps after their parent), with the sections' headings, intros and closings
  /// placed on the units they come before or after. Every block of the compiled guide is in
  /// exactly one unit.
  public var walk: [RunUnit] {
    var walker = RunbookWalker()
    return walker.walk(self)
  }

  /// The reading pages of the walk.
  public var pages: [Page] { walk.compactMap(\.page) }
}

/// Builds ``Runbook/walk``.
struct RunbookWalker {
  var units: [RunUnit] = []
  /// Headings of sections entered but not shown yet (a section with nothing before its
  /// sub-sections shows its heading with the next unit).
  var headings: [SectionHeading] = []

  mutating func walk(_ runbook: Runbook) -> [RunUnit] {
    let introNotes = runbook.preconditions.indices.filter { index in
      runbook.sections.first.map { runbook.preconditions[index].range.start < $0.range.start } ?? true
    }
    if runbook.intro.contains(where: \.isShown) || !introNotes.isEmpty {
      let end = runbook.intro.last?.range.end ?? SourceLocation(line: 1, column: 1)
      let page = Page(
        id: Page.introID, title: runbook.title, content: runbook.intro,
        range: SourceRange(start: SourceLocation(line: 1, column: 1), end: end))
      units.append(RunUnit(kind: .page(page)))
    }
    for section in runbook.sections { visit(section, conditions: []) }
    if let last = headings.last {
      // Headings with nothing under them at the end of the guide still reach the admin.
      headings.removeLast()
      page(
        Page(id: last.slug, title: last.title, content: [], range: last.range), opens: last, conditions: [])
    }
    assign(runbook.preconditions)
    return units
  }

  mutating func visit(_ section: Section, conditions inherited: [Condition]) {
    let conditions = inherited + (section.condition.map { [$0] } ?? [])
    let heading = section.title.isEmpty && section.level == 0 ? nil : SectionHeading(section)
    if section.hasReadingPage {
      page(
        Page(
          id: section.slug, title: section.title, content: section.intro + section.closing,
          range: section.range),
        opens: heading, conditions: conditions)
    } else if section.steps.isEmpty {
      if let heading { headings.append(heading) }
    } else {
      if let heading { headings.append(heading) }
      // The content of `<Tabs>` alternatives that hold steps comes before the alternative's
      // first step, not before the section's first step.
      var alternatives: [String: [Content]] = [:]
      let labels = Set(section.steps.compactMap(\.alternative))
      var before: [Content] = []
      for item in section.intro {
        if case .tabs(let tabs, _) = item, tabs.contains(where: { labels.contains($0.label) }) {
          for tab in tabs { alternatives[tab.label, default: []] += tab.content }
        } else {
          before.append(item)
        }
      }
      var first = true
      for step in section.steps {
        var lead = first ? before : []
        if let label = step.alternative, let content = alternatives.removeValue(forKey: label) {
          lead += content
        }
        visit(step, lead: lead, conditions: conditions)
        first = false
      }
      if !section.closing.isEmpty { units[units.count - 1].after += section.closing }
    }
    for sub in section.sections { visit(sub, conditions: conditions) }
  }

  mutating func visit(_ step: Step, lead: [Content], conditions inherited: [Condition]) {
    let conditions = inherited + (step.condition.map { [$0] } ?? [])
    var unit = RunUnit(kind: .step(step))
    unit.opens = headings
    headings = []
    unit.before = lead
    unit.conditions = conditions
    units.append(unit)
    for sub in step.steps { visit(sub, lead: [], conditions: conditions) }
    if !step.closing.isEmpty, !step.steps.isEmpty { units[units.count - 1].after += step.closing }
  }

  mutating func page(_ page: Page, opens heading: SectionHeading?, conditions: [Condition]) {
    var unit = RunUnit(kind: .page(page))
    unit.opens = headings + (heading.map { [$0] } ?? [])
    headings = []
    unit.conditions = conditions
    units.append(unit)
  }

  /// Each precondition is asked with the unit it is written in.
  mutating func assign(_ preconditions: [Note]) {
    guard !units.isEmpty else { return }
    for (index, note) in preconditions.enumerated() {
      let at = units.lastIndex { $0.start <= note.range.start } ?? 0
      units[at].preconditions.append(index)
    }
  }
}
