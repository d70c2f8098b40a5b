import RunbookMarkdown

/// Finds the placeholders of a compiled runbook in document order and records, for each input,
/// where it is first used; placeholders that are not declared become implicit text inputs,
/// the choices between alternatives become choice inputs, and a condition on an input nobody
/// declared makes an implicit text input too.
struct InputCollector {
  var inputs: [Input]
  var index: [String: Int] = [:]
  var choices: [String: Choice] = [:]

  init(runbook: Runbook, choices: [Choice] = []) {
    inputs = runbook.inputs
    for (i, input) in inputs.enumerated() { index[input.id] = i }
    for choice in choices { self.choices[choice.id] = choice }
  }

  mutating func collect(_ runbook: inout Runbook) {
    var none: [String] = []
    visit(runbook.intro, step: nil, into: &none)
    for i in runbook.sections.indices { visit(&runbook.sections[i]) }
    // `$VARIABLES` the reader must supply: the input of the same id (a placeholder or a declared
    // input) is delivered as the variable too; otherwise a new input.
    for found in VariableInputs(runbook).found {
      let id = Placeholder.normalize(found.name)
      if let i = index[id] {
        if inputs[i].variable == nil { inputs[i].variable = found.name }
        continue
      }
      var input = Input(id: id, label: found.label, declared: false, location: found.location)
      input.variable = found.name
      input.firstUsedAt = found.location
      input.firstUsedIn = found.step
      index[id] = inputs.count
      inputs.append(input)
    }
    runbook.inputs = inputs
  }

  mutating func visit(_ section: inout Section) {
    var none: [String] = []
    if let condition = section.condition {
      var firstStep: String?
      section.forEachStep { step in firstStep = firstStep ?? step.id }
      use(condition, step: firstStep)
    }
    visit(section.titleInlines, step: nil, into: &none)
    visit(section.intro, step: nil, into: &none)
    for i in section.steps.indices { visit(&section.steps[i]) }
    visit(section.closing, step: nil, into: &none)
    for i in section.sections.indices { visit(&section.sections[i]) }
  }

  mutating func visit(_ step: inout Step) {
    var firstUses: [String] = []
    if let condition = step.condition { use(condition, step: step.id) }
    visit(step.titleInlines, step: step.id, into: &firstUses)
    visit(step.content, step: step.id, into: &firstUses)
    for i in step.steps.indices { visit(&step.steps[i]) }
    visit(step.closing, step: step.id, into: &firstUses)
    step.inputs = firstUses
  }

  mutating func visit(_ content: [Content], step: String?, into firstUses: inout [String]) {
    content.walk { item in
      switch item {
      case .paragraph(let inlines, _), .heading(_, let inlines, _):
        visit(inlines, step: step, into: &firstUses)
      case .table(let table):
        for cell in table.header + table.rows.flatMap({ $0 }) {
          visit(cell, step: step, into: &firstUses)
        }
      case .code(let code):
        for occurrence in Placeholder.scan(code.scannedText) {
          let at = SourceLocation(
            line: code.range.start.line + (code.fenced ? 1 : 0) + occurrence.line,
            column: code.range.start.column + occurrence.utf8Column)
          use(occurrence, at: at, step: step, into: &firstUses)
        }
      case .list, .quote, .note, .tabs, .html, .rule: break
      }
    }
  }

  mutating func visit(_ inlines: [Inline], step: String?, into firstUses: inout [String]) {
    for (occurrence, at) in inlines.placeholders {
      use(occurrence, at: at, step: step, into: &firstUses)
    }
  }

  mutating func use(
    _ occurrence: Placeholder.Occurrence, at location: SourceLocation, step: String?,
    into firstUses: inout [String]
  ) {
    if let i = index[occurrence.id] {
      guard inputs[i].firstUsedAt == nil else { return }
      inputs[i].firstUsedAt = location
      inputs[i].firstUsedIn = step
    } else {
      var input = Input(id: occurrence.id, label: occurrence.name, declared: false, location: location)
      input.firstUsedAt = location
      input.firstUsedIn = step
      index[occurrence.id] = inputs.count
      inputs.append(input)
    }
    if step != nil { firstUses.append(occurrence.id) }
  }

  /// Records where a condition's input is first needed, creating it when the guide does not
  /// declare it: the choice it stands for, or an implicit text input.
  mutating func use(_ condition: Condition, step: String?) {
    if let i = index[condition.input] {
      if inputs[i].firstUsedAt == nil {
        inputs[i].firstUsedAt = condition.location
        inputs[i].firstUsedIn = step
      }
      return
    }
    var input =
      choices[condition.input]?.input
      ?? Input(id: condition.input, label: condition.input, declared: false, location: condition.location)
    input.firstUsedAt = condition.location
    input.firstUsedIn = step
    index[condition.input] = inputs.count
    inputs.append(input)
  }
}
