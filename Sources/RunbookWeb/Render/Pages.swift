import Foundation
import Mustache
import RunbookCore
import RunbookEngine

/// Renders the pages from ``WebTemplates`` with plain dictionaries as context: the only place
/// that knows the templates' names and keys.
struct Pages: Sendable {
  let library: MustacheLibrary

  init() { library = WebTemplates.load() }

  /// A whole page: `body` (already rendered) inside the layout.
  func page(
    title: String, body: String, operatorName: String?, message: String? = nil, run: [String: String]? = nil
  )
    -> String
  {
    var context: [String: Any] = ["title": title, "body": body]
    if let operatorName { context["operator"] = operatorName }
    if let message { context["message"] = message }
    if let run { context["bodyData"] = run }
    return library.render(context, withTemplate: "layout") ?? ""
  }

  /// The error page.
  func failure(status: Int, message: String, details: [String]) -> String {
    let body =
      library.render(
        ["status": "\(status)", "message": message, "details": details, "hasDetails": !details.isEmpty],
        withTemplate: "failure") ?? ""
    return page(title: "Error \(status)", body: body, operatorName: nil)
  }

  func operatorForm(csrf: String, next: String, name: String) -> String {
    let body = library.render(["csrf": csrf, "next": next, "name": name], withTemplate: "operator") ?? ""
    return page(title: "Your name", body: body, operatorName: nil)
  }

  // MARK: - Dashboard

  func dashboard(
    guides: [Catalog.Guide], runs: [Catalog.RunEntry], live: (RunID) -> String, key: (String) -> String,
    csrf: String, operatorName: String?, message: String?
  ) -> String {
    let guideRows: [[String: Any]] = guides.map { guide in
      let problems: [[String: Any]] = guide.diagnostics.map {
        [
          "line": $0.line, "column": $0.column, "severity": $0.severity.rawValue, "message": $0.message,
          "code": $0.code,
        ]
      }
      var row: [String: Any] = [
        "title": guide.runbook?.title ?? PathName.lastComponent(guide.path), "path": guide.path,
        "steps": guide.runbook.map { "\($0.allSteps.count)" } ?? "—", "problems": problems,
        "hasProblems": !problems.isEmpty, "errors": guide.errors,
        "warnings": guide.diagnostics.filter { $0.severity == .warning }.count,
        "notes": guide.diagnostics.filter { $0.severity == .info }.count, "runnable": guide.runnable,
        "key": key(guide.path),
      ]
      if let failure = guide.failure { row["failure"] = failure }
      return row
    }
    let runRows: [[String: Any]] = runs.map { entry in
      var row: [String: Any] = [
        "key": key(entry.run.rawValue), "path": entry.run.rawValue, "live": live(entry.run),
      ]
      if let summary = entry.summary {
        let counts = summary.counts
        row["title"] = summary.title
        row["outcome"] = summary.outcome.rawValue
        row["percent"] = summary.percent
        row["done"] = counts.done + counts.skipped
        row["total"] = counts.total
        row["operators"] = summary.operators.joined(separator: ", ")
        row["lastActivity"] = summary.lastActivity.map(JournalDateFormat.seconds) ?? ""
      } else {
        row["title"] = entry.failure ?? "unreadable"
        row["outcome"] = "damaged"
        row["percent"] = 0
        row["done"] = 0
        row["total"] = 0
      }
      return row
    }
    let body =
      library.render(
        [
          "guides": guideRows, "hasGuides": !guideRows.isEmpty, "runs": runRows, "hasRuns": !runRows.isEmpty,
          "csrf": csrf,
        ], withTemplate: "dashboard") ?? ""
    return page(title: "Runbooks", body: body, operatorName: operatorName, message: message)
  }

  // MARK: - Run page

  func runPage(_ view: RunView, viewer: WebOperator?, csrf: String, message: String?) -> String {
    let promptHTML = view.prompt.map { prompt(view, $0, csrf: csrf) } ?? ""
    let document = RunDocument(view: view, promptHTML: promptHTML, csrf: csrf)
    let steps =
      view.runbook?.allSteps.map { ($0.id, $0.number, $0.title) }
      ?? view.header.steps.map { ($0.id, "", $0.id) }
    let rail: [[String: Any]] = steps.map { id, number, title in
      [
        "id": id, "number": number, "title": title, "status": view.state.status(of: id).rawValue,
        "current": view.currentStep == id,
      ]
    }
    let finished = steps.filter { view.state.isFinished($0.0) }.count
    var context: [String: Any] = [
      "key": view.key, "title": view.title, "path": view.header.runbook.path, "csrf": csrf, "rail": rail,
      "done": finished, "total": steps.count, "percent": steps.isEmpty ? 100 : finished * 100 / steps.count,
      "outcome": outcome(view), "operators": view.state.operators.joined(separator: ", "),
      "startPrompt": document.start(), "document": document.body(),
    ]
    if let driver = view.driver {
      if driver == viewer {
        context["drivenHere"] = true
        context["driver"] = driver.name
      } else {
        context["drivenByOther"] = driver.name
      }
    } else if let holder = view.holder {
      context["heldElsewhere"] = "\(holder.operator) (pid \(holder.pid) on \(holder.host))"
    } else if !view.completed && view.runbook != nil {
      context["resumable"] = true
    }
    if let noGuide = view.noGuide { context["noGuide"] = noGuide }
    if let busy = view.busy { context["busy"] = busy }
    if !view.output.isEmpty { context["output"] = view.output }
    let body = library.render(context, withTemplate: "run") ?? ""
    let live = view.driver != nil || view.holder != nil
    return page(
      title: view.title, body: body, operatorName: viewer?.name, message: message,
      run: ["run": view.key, "seq": "\(view.lastSeq)", "csrf": csrf, "live": live ? "1" : "0"])
  }

  private func outcome(_ view: RunView) -> String {
    if view.completed { return "completed" }
    if view.state.steps.values.contains(where: { $0.status == .failed }) { return "failed" }
    return "partial"
  }

  /// The controls of the prompt the run is at.
  func prompt(_ view: RunView, _ prompt: Prompt, csrf: String) -> String {
    var context: [String: Any] = [
      "key": PromptKey.of(prompt), "csrf": csrf, "action": "/runs/\(view.key)/answer",
    ]
    switch prompt {
    case .precondition(_, let index, let count):
      context["precondition"] = ["number": index + 1, "count": count]
    case .input(let asked, let step, let problem):
      let inputs = view.pendingInputs.isEmpty ? [asked] : view.pendingInputs
      context["inputs"] = inputs.enumerated().map { index, input -> [String: Any] in
        var field: [String: Any] = [
          "id": input.id, "label": input.label, "secret": input.secret,
          "type": input.secret ? "password" : "text",
          "choices": input.choices, "hasChoices": !input.choices.isEmpty, "first": index == 0,
          "value": input.secret ? "" : (view.values[input.id] ?? input.defaultValue ?? ""),
        ]
        if let help = input.help { field["help"] = help }
        if let example = input.example { field["example"] = example }
        return field
      }
      context["hasInputs"] = true
      if let problem { context["problem"] = "\(asked.label): \(problem)" }
      if step != nil { context["step"] = true }
    case .confirmRow:
      context["rows"] = true
      context["step"] = true
    case .command(_, _, let command):
      context["command"] = command.display.trimmingCharacters(in: .newlines)
      context["step"] = true
    case .check:
      context["check"] = true
      context["step"] = true
    case .checkFailed(_, _, let outcome):
      var failed: [String: Any] = ["reason": outcome.reason ?? "it did not pass"]
      if !outcome.result.outputTail.isEmpty { failed["output"] = outcome.result.outputTail }
      context["checkFailed"] = failed
      context["step"] = true
    case .finishStep(let step):
      context["finish"] = view.finishWarning.map { ["warning": $0] as [String: Any] } ?? true
      // A parent with open sub-steps: "done" goes on to them; it is finished after them.
      if step.steps.contains(where: { !view.state.isFinished($0.id) }) { context["toSubSteps"] = true }
      context["step"] = true
    case .readPage:
      context["readPage"] = true
      context["step"] = true
    case .finished:
      context["finished"] = true
    }
    // Change an answer: the inputs answered so far (not derived ones), secrets included (their
    // new value is typed, never shown).
    let changeable: [[String: Any]] = (view.runbook?.inputs ?? []).filter {
      !$0.isDerived && view.state.inputs[$0.id] != nil
    }.map { ["id": $0.id, "label": $0.label] }
    context["changeable"] = changeable
    context["hasChangeable"] = !changeable.isEmpty
    return library.render(context, withTemplate: "prompt") ?? ""
  }
}
