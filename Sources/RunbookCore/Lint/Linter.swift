import Foundation
import RunbookMarkdown

/// The authoring rules `runbook lint` adds to the compiler's diagnostics. Each rule has a stable
/// code (documented in docs/authoring.md) and a message that says how to fix the problem.
public struct Linter: Sendable {
  /// Attributes a code block may carry.
  public static let knownAttributes: Set<String> = [
    "run", "check", "name", "timeout", "retries", "interval", "expect", "allow-failure", "capture", "norun",
    "errexit",
  ]

  public init() {}

  /// The compiler's diagnostics and the rules' findings, in source order.
  public func lint(_ runbook: Runbook) -> [Diagnostic] {
    var out = DiagnosticCollector(file: runbook.file)
    // Gathered once: each walks the whole runbook.
    let steps = runbook.allSteps
    let codeBlocks = runbook.allCodeBlocks
    checkInputs(runbook, steps, codeBlocks, &out)
    checkCodeBlocks(codeBlocks, &out)
    checkCaptures(runbook, codeBlocks, &out)
    checkSecrets(runbook, steps, &out)
    checkSteps(steps, &out)
    checkSomethingToRun(runbook, steps, &out)
    for undecided in VariableInputs(runbook).undecided {
      out.report(.warning, "unset-variable", at: undecided.location, undecided.message)
    }
    return (runbook.diagnostics + out.diagnostics).enumerated().sorted {
      ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
    }.map(\.element)
  }

  // MARK: - Inputs

  func checkInputs(
    _ runbook: Runbook, _ steps: [Step], _ codeBlocks: [CodeBlock], _ out: inout DiagnosticCollector
  ) {
    let ids = Set(runbook.inputs.map(\.id))
    let derived = DerivedValues(runbook)
    let referencedByDerived = Set(runbook.inputs.flatMap(DerivedValues.references))
    let commandBytes = Array(
      codeBlocks.filter { $0.isCheck || $0.isCommand }.map(\.text).joined(separator: "\n").utf8)
    // Only `ask:` needs the steps' ids and numbers; most guides have none.
    let asks = runbook.inputs.contains { $0.ask != nil }
    let stepIDs = asks ? Set(steps.map(\.id)) : []
    let stepNumbers = asks ? Set(steps.map(\.number)) : []
    var reportedCycle: Set<String> = []

    for input in runbook.inputs {
      let at = input.firstUsedAt ?? input.location
      // A choice between alternatives the guide offers is made by the compiler, not written.
      if !input.declared, input.kind == .choice { continue }
      if !input.declared {
        out.report(
          .info, "undeclared-placeholder", at: at,
          "`<\(input.id)>` is not declared; declare it under `inputs:` in the front matter to give it a label, help and validation"
        )
        continue
      }
      let usedInBody = input.firstUsedAt != nil
      // Byte for byte, as the shell compares names.
      let name = Array(input.environmentName.utf8)
      let usedByCommands = commandBytes.indices.contains { commandBytes[$0...].starts(with: name) }
      if !usedInBody, !referencedByDerived.contains(input.id), !usedByCommands, input.ask == nil,
        !input.isDerived
      {
        out.report(
          .warning, "unused-input", at: input.location,
          "input `\(input.id)` is declared but never used; use `<\(input.id)>` in the guide, set `ask:` to the step that needs it, or remove it"
        )
      }
      if let pattern = input.pattern {
        do {
          let regex = try BoundedRegex(fullMatch: pattern)
          for (what, value) in [("example", input.example), ("default", input.defaultValue)] {
            guard let value, !value.isEmpty else { continue }
            switch regex.matches(value) {
            case .match: break
            case .noMatch:
              out.report(
                .error, "pattern-rejects-\(what)", at: input.location,
                "the \(what) `\(value)` of input `\(input.id)` does not match its pattern; fix the pattern or the \(what)"
              )
            case .timedOut:
              out.report(
                .error, "pattern-too-slow", at: input.location,
                "the pattern of input `\(input.id)` takes too long on its \(what); avoid nested repetition such as `(a+)+`"
              )
            }
          }
        } catch {
          out.report(
            .error, "invalid-pattern", at: input.location,
            "the pattern of input `\(input.id)` is not a valid regular expression; check its brackets and escapes (YAML needs '\\d' in single quotes)"
          )
        }
      }
      if input.kind != .text {
        for (what, value) in [("example", input.example), ("default", input.defaultValue)] {
          guard let value, !value.isEmpty, input.pattern == nil else { continue }
          if case .invalid(let why) = InputValidator().validate(value, for: input) {
            out.report(
              .error, "invalid-\(what)", at: input.location,
              "the \(what) of input `\(input.id)` is not valid: \(why)")
          }
        }
      }
      if input.isDerived {
        for reference in DerivedValues.references(input) where !ids.contains(reference) {
          out.report(
            .error, "unknown-derived-reference", at: input.location,
            "derived input `\(input.id)` uses `<\(reference)>`, which is not an input; declare it or fix the name"
          )
        }
        if !reportedCycle.contains(input.id), let cycle = derived.cycle(from: input.id) {
          reportedCycle.formUnion(cycle)
          out.report(
            .error, "derived-cycle", at: input.location,
            "derived input `\(input.id)` depends on itself (\(cycle.joined(separator: " → "))); break the cycle"
          )
        }
        if input.defaultValue != nil || input.pattern != nil {
          out.report(
            .warning, "derived-input-asked", at: input.location,
            "derived input `\(input.id)` is never asked, so its default and pattern are not used; remove them"
          )
        }
      }
      if let ask = input.ask, !stepIDs.contains(ask), !stepNumbers.contains(ask) {
        out.report(
          .error, "unknown-ask-step", at: input.location,
          "input `\(input.id)` is asked at `\(ask)`, which is neither a step id nor a step number; use one that `runbook show` lists"
        )
      }
    }
  }

  // MARK: - Code blocks

  func checkCodeBlocks(_ codeBlocks: [CodeBlock], _ out: inout DiagnosticCollector) {
    for code in codeBlocks {
      let names = code.attributes.map(\.name)
      var seenNames: Set<String> = []
      for attribute in code.attributes where !seenNames.insert(attribute.name).inserted {
        out.report(
          .error, "malformed-code-attribute", at: attribute.location,
          "`\(attribute.name)` is given twice; keep one")
      }
      for attribute in code.attributes {
        guard Self.knownAttributes.contains(attribute.name) else {
          out.report(
            .error, "unknown-code-attribute", at: attribute.location,
            "unknown code block attribute `\(attribute.name)`; known: \(Self.knownAttributes.sorted().joined(separator: ", "))"
          )
          continue
        }
        switch attribute.name {
        case "timeout", "interval":
          if DurationParser.seconds(attribute.value) == nil {
            out.report(
              .error, "malformed-code-attribute", at: attribute.location,
              "`\(attribute.name)=\(attribute.value)` is not a duration; write it like 30s, 500ms or 2m")
          }
        case "retries":
          if Int(attribute.value).map({ $0 < 0 || $0 > 1000 }) ?? true {
            out.report(
              .error, "malformed-code-attribute", at: attribute.location,
              "`retries=\(attribute.value)` must be a whole number from 0 to 1000")
          }
        case "expect":
          if (try? BoundedRegex(search: attribute.value)) == nil {
            out.report(
              .error, "malformed-code-attribute", at: attribute.location,
              "`expect` is not a valid regular expression; check its brackets and escapes")
          }
        default: break
        }
      }
      if code.isCheck, code.isCommand {
        out.report(
          .error, "malformed-code-attribute", at: code.range.start,
          "a code block is either `{run}` or `{check}`, not both; split it in two")
      }
      if !code.isCheck, !code.isCommand,
        let option = names.first(where: { ["timeout", "retries", "interval", "expect"].contains($0) })
      {
        out.report(
          .error, "malformed-code-attribute", at: code.range.start,
          "`\(option)` only applies to `{run}` or `{check}` blocks; add `check` or `run`")
      }
      if code.isCommand || code.isCheck, code.text.trimmingSpacesAndNewlines().isEmpty {
        out.report(
          .error, "empty-command", at: code.range.start,
          "this `{\(code.isCheck ? "check" : "run")}` block has no command")
      }
      if code.isCommand || code.isCheck { checkSubstitution(code, &out) }
    }
  }

  /// `{run capture=ID}` puts a command's output into a declared input: the declaration gives the
  /// label and the pattern the value is validated against, and says whether it is a secret.
  func checkCaptures(_ runbook: Runbook, _ codeBlocks: [CodeBlock], _ out: inout DiagnosticCollector) {
    for code in codeBlocks {
      guard let attribute = code.attributes.first(where: { $0.name == "capture" }) else { continue }
      guard code.isCommand else {
        out.report(
          .error, "invalid-capture", at: attribute.location,
          "`capture` only applies to `{run}` blocks; write `{run capture=INPUT}`")
        continue
      }
      guard let id = code.captureInput else {
        out.report(
          .error, "invalid-capture", at: attribute.location,
          "`capture` needs the input to capture into; write `capture=INPUT`")
        continue
      }
      guard let input = runbook.input(id), input.declared else {
        out.report(
          .error, "undeclared-capture", at: attribute.location,
          "the command captures into `\(id)`, which is not declared under `inputs:` in the front matter; declare it (with a label and a pattern) or fix the name"
        )
        continue
      }
      if input.isDerived {
        out.report(
          .error, "invalid-capture", at: attribute.location,
          "the command captures into derived input `\(id)`, which is computed from others; capture into an input without `value:`"
        )
      }
    }
  }

  /// Values placed where they would run as code cannot be made safe (``ScriptSubstitution``):
  /// the run refuses such a block, so lint says so first. A transcript's output lines are not
  /// run: say so when a transcript is marked to run.
  func checkSubstitution(_ code: CodeBlock, _ out: inout DiagnosticCollector) {
    let ids = Placeholder.scan(code.runnableText).map(\.id)
    let values = Dictionary(ids.map { ($0, "value") }, uniquingKeysWith: { a, _ in a })
    let result = ScriptSubstitution.substitute(
      code.runnableText, language: code.language, values: values, secrets: [])
    for problem in result.problems {
      out.report(
        .error, "unsafe-placeholder", at: code.range.start,
        "\(problem); the run refuses this block until it is changed")
    }
    if code.isTranscript, code.expectedOutput != nil {
      out.report(
        .warning, "transcript-output", at: code.range.start,
        "this console transcript runs only its commands (the lines after `$ `); its other lines are shown as the expected output"
      )
    }
  }

  // MARK: - Secrets

  func checkSecrets(_ runbook: Runbook, _ steps: [Step], _ out: inout DiagnosticCollector) {
    let secrets = Set(runbook.inputs.filter(\.secret).map(\.id))
    guard !secrets.isEmpty else { return }
    for step in steps {
      for table in step.tables {
        for cell in table.rows.flatMap({ $0 }) {
          for (occurrence, at) in cell.placeholders where secrets.contains(occurrence.id) {
            out.report(
              .warning, "secret-shown", at: at,
              "secret input `\(occurrence.id)` is shown in a table; tables are printed and reported, so describe it in words instead"
            )
          }
        }
      }
      for code in step.codeBlocks where code.isCommand {
        for occurrence in Placeholder.scan(code.text) where secrets.contains(occurrence.id) {
          out.report(
            .warning, "secret-shown",
            at: SourceLocation(
              line: code.range.start.line + 1 + occurrence.line,
              column: code.range.start.column + occurrence.utf8Column),
            "secret input `\(occurrence.id)` is written into a `{run}` command, which is shown before it runs; read it from $\(runbook.input(occurrence.id)?.environmentName ?? "") instead"
          )
        }
      }
    }
    for input in runbook.inputs where input.isDerived {
      for reference in DerivedValues.references(input) where secrets.contains(reference) {
        out.report(
          .warning, "secret-shown", at: input.location,
          "derived input `\(input.id)` contains secret `\(reference)`, and derived values are shown; derive it from non-secret inputs"
        )
      }
    }
  }

  // MARK: - Steps

  func checkSteps(_ steps: [Step], _ out: inout DiagnosticCollector) {
    for step in steps where step.title.isEmpty && step.content.isEmpty && step.steps.isEmpty {
      out.report(
        .warning, "empty-step", at: step.range.start,
        "step \(step.number) has no text; write what to do or remove the item")
    }
  }
}

extension Linter {
  /// A guide with no steps and no text to read gives a run nothing to show (the run refuses it).
  func checkSomethingToRun(_ runbook: Runbook, _ steps: [Step], _ out: inout DiagnosticCollector) {
    // The walk is empty exactly when there is no section (a section always shows at least its
    // heading), no intro and no precondition.
    guard steps.isEmpty, runbook.sections.isEmpty, !runbook.intro.contains(where: \.isShown),
      runbook.preconditions.isEmpty
    else {
      return
    }
    out.report(
      .warning, "nothing-to-run", at: SourceLocation(line: 1, column: 1),
      "this guide has no steps and no text to read, so a run would show nothing; write the steps (or the text) it should walk the admin through"
    )
  }
}

extension Runbook {
  /// Every code block in the runbook: sections' and steps' content, notes and tabs included.
  public var allCodeBlocks: [CodeBlock] {
    var out: [CodeBlock] = []
    func add(_ content: [Content]) {
      out += content.collect { if case .code(let code) = $0 { code } else { nil } }
    }
    func add(_ step: Step) {
      add(step.content)
      add(step.closing)
      step.steps.forEach(add)
    }
    func add(_ section: Section) {
      add(section.intro)
      add(section.closing)
      section.steps.forEach(add)
      section.sections.forEach(add)
    }
    add(intro)
    for note in preconditions { add(note.content) }
    sections.forEach(add)
    return out
  }
}
