import Foundation
import RunbookCore
import RunbookEngine

/// The JSON the API answers with (documented in docs/web.md). Values of secret inputs never
/// appear: the engine does not keep them in its state, and `values` lists only the others.
enum APIModels {
  struct Runbook: Encodable {
    var key: String
    var path: String
    var id: String?
    var title: String?
    var steps: Int
    var runnable: Bool
    var problems: [Diagnostic]
    var failure: String?
  }

  struct RunItem: Encodable {
    var key: String
    var run: String
    var title: String?
    var runbook: String?
    var outcome: String?
    var progress: Progress?
    var operators: [String]
    var lastActivity: Date?
    var live: String
    var failure: String?
  }

  struct Progress: Encodable {
    var done: Int
    var skipped: Int
    var failed: Int
    var pending: Int
    var total: Int
    var percent: Int
  }

  struct Step: Encodable {
    var id: String
    var number: String
    var title: String
    var status: String
    var by: String?
    var at: Date?
    var reason: String?
  }

  struct PromptJSON: Encodable {
    var key: String
    var kind: String
    var step: String?
    var input: InputJSON?
    var problem: String?
    var table: Int?
    var row: Int?
    var header: [String]?
    var cells: [String]?
    var command: String?
    var reason: String?
    var output: String?
    var precondition: String?
    /// For `finish-step`: why the step cannot simply be done (answer `done-despite` with a reason).
    var warning: String?
    /// For `read-page`: the page's id (a section's slug, or `(intro)`) and title; answer
    /// `acknowledge` once it is read.
    var page: String?
    var title: String?
  }

  struct InputJSON: Encodable {
    var id: String
    var label: String
    var help: String?
    var example: String?
    var secret: Bool
    var kind: String
    var choices: [String]
    var defaultValue: String?
  }

  struct RunJSON: Encodable {
    var key: String
    var run: String
    var title: String
    var runbook: String
    var completed: Bool
    var lastSeq: Int
    var driver: String?
    var drivenByYou: Bool
    var heldBy: String?
    var busy: String?
    var steps: [Step]
    var values: [String: String]
    var prompt: PromptJSON?
  }

  /// What an answer returns: how it went and the next prompt, not the whole state (`GET` the
  /// run for that), so that driving a run costs little per step.
  struct AnswerJSON: Encodable {
    /// `answered`, `stale` (nothing changed: the run was elsewhere), `released` or `failed`.
    var outcome: String
    var message: String?
    var key: String
    var lastSeq: Int
    var completed: Bool
    var busy: String?
    /// The next prompt; nil once the run is released (saved and left, or completed).
    var prompt: PromptJSON?
  }

  static func run(_ view: RunView, viewer: WebOperator?) -> RunJSON {
    let steps =
      (view.runbook?.allSteps.map { ($0.id, $0.number, $0.title) })
      ?? view.header.steps.map { ($0.id, "", $0.id) }
    let secrets = Set((view.runbook?.inputs ?? []).filter(\.secret).map(\.id))
    return RunJSON(
      key: view.key, run: view.run.rawValue, title: view.title, runbook: view.header.runbook.path,
      completed: view.completed, lastSeq: view.lastSeq, driver: view.driver?.name,
      drivenByYou: view.driver != nil && view.driver == viewer,
      heldBy: view.holder.map { "\($0.operator) (pid \($0.pid) on \($0.host))" }, busy: view.busy,
      steps: steps.map { id, number, title in
        let record = view.state.steps[id]
        return Step(
          id: id, number: number, title: title, status: (record?.status ?? .pending).rawValue, by: record?.by,
          at: record?.at, reason: record?.reason)
      },
      values: view.values.filter { !secrets.contains($0.key) },
      prompt: view.prompt.map { prompt($0, warning: view.finishWarning) })
  }

  static func prompt(_ prompt: Prompt, warning: String? = nil) -> PromptJSON {
    var out = PromptJSON(
      key: PromptKey.of(prompt), kind: PromptKey.kind(prompt), step: PromptKey.step(prompt))
    switch prompt {
    case .precondition(let note, _, _): out.precondition = note.text
    case .input(let input, _, let problem):
      out.input = InputJSON(
        id: input.id, label: input.label, help: input.help, example: input.example, secret: input.secret,
        kind: input.kind.rawValue, choices: input.choices,
        defaultValue: input.secret ? nil : input.defaultValue)
      out.problem = problem
    case .confirmRow(_, let table, let row, let header, let cells):
      out.table = table
      out.row = row
      out.header = header
      out.cells = cells
    case .command(_, _, let command), .check(_, _, let command):
      out.command = command.display
    case .checkFailed(_, _, let outcome):
      out.reason = outcome.reason
      out.output = outcome.result.outputTail
    case .finishStep: out.warning = warning
    case .readPage(let unit):
      out.page = unit.id
      out.title = unit.page?.title
    case .finished: break
    }
    return out
  }
}
