import Foundation
import HTTPTypes
import Hummingbird
import RunbookEngine

/// The JSON API under `/api/` (docs/web.md): list runbooks and runs, start a run, read a run's
/// state, answer its prompt, stream its events. Errors are `{"error": {"message", "exitStatus",
/// "kind"}}` with the exit status the CLI would give.
struct APIRoutes: Sendable {
  let app: WebApp

  func add(to router: Router<BasicRequestContext>) {
    router.get("/api/runbooks") { _, _ in try await runbooks() }
    router.get("/api/runs") { _, _ in try await runs() }
    router.post("/api/runs") { request, _ in try await start(request) }
    router.get("/api/runs/:key") { request, context in
      try await state(request, try context.parameters.require("key"))
    }
    router.post("/api/runs/:key/resume") { request, context in
      try await resume(request, try context.parameters.require("key"))
    }
    router.post("/api/runs/:key/answer") { request, context in
      try await answer(request, try context.parameters.require("key"))
    }
    router.get("/api/runs/:key/events") { request, context in
      try await EventStream(app: app).response(request, try context.parameters.require("key"))
    }
  }

  /// The body of a `POST`: JSON.
  struct Body: Decodable {
    var runbook: String?
    var `operator`: String?
    var answer: String?
    var prompt: String?
    var value: String?
    var values: [String: String]?
    var rows: [String]?
    var reason: String?
    var text: String?
    var takeOver: Bool?
    var input: String?
  }

  private func body(_ request: Request) async throws -> Body {
    var request = request
    let buffer = try await request.collectBody(upTo: AccessGuard<BasicRequestContext>.bodyLimit)
    if buffer.readableBytes == 0 { return Body() }
    do {
      return try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
    } catch {
      throw WebFailure(status: .badRequest, message: "The body is not the JSON this call takes (docs/web.md)")
    }
  }

  private func who(_ request: Request, _ body: Body?) throws -> WebOperator {
    guard let viewer = app.operatorAt(request, given: body?.operator) else {
      throw WebFailure(
        status: .badRequest,
        message: "Say who you are: give \"operator\" in the body (or set the operator header)")
    }
    return viewer
  }

  private func runbooks() async throws -> Response {
    let catalog = app.catalog
    let guides = await Blocking.run { catalog.guides() }
    return WebJSON.response(
      guides.map {
        APIModels.Runbook(
          key: WebKey.encode($0.path), path: $0.path, id: $0.runbook?.id, title: $0.runbook?.title,
          steps: $0.runbook?.allSteps.count ?? 0, runnable: $0.runnable, problems: $0.diagnostics,
          failure: $0.failure)
      })
  }

  private func runs() async throws -> Response {
    let catalog = app.catalog
    let store = app.hub.store
    let app = self.app
    let entries = await Blocking.run {
      catalog.runs(in: store) { run, recorded in app.guidePath(of: run, recorded: recorded) }
    }
    return WebJSON.response(
      entries.map { entry in
        let counts = entry.summary?.counts
        return APIModels.RunItem(
          key: WebKey.encode(entry.run.rawValue), run: entry.run.rawValue, title: entry.summary?.title,
          runbook: entry.summary?.runbookPath, outcome: entry.summary?.outcome.rawValue,
          progress: counts.map {
            APIModels.Progress(
              done: $0.done, skipped: $0.skipped, failed: $0.failed, pending: $0.pending, total: $0.total,
              percent: entry.summary?.percent ?? 0)
          }, operators: entry.summary?.operators ?? [], lastActivity: entry.summary?.lastActivity,
          live: app.liveText(entry.run), failure: entry.failure)
      })
  }

  private func start(_ request: Request) async throws -> Response {
    let body = try await body(request)
    let viewer = try who(request, body)
    guard let path = body.runbook, await Blocking.run({ [catalog = app.catalog] in catalog.contains(path) })
    else {
      throw WebFailure.notFound("Give \"runbook\": the path of one of the runbooks GET /api/runbooks lists")
    }
    let live = try await app.start(guide: path, driver: viewer)
    let view = try await app.view(live.run, viewer: viewer)
    return WebJSON.response(APIModels.run(view, viewer: viewer), status: .created)
  }

  private func state(_ request: Request, _ key: String) async throws -> Response {
    let viewer = app.operatorAt(request, given: request.headers[HTTPField.Name("X-Runbook-Operator")!])
    let run = try await app.run(key)
    return WebJSON.response(APIModels.run(try await app.view(run, viewer: viewer), viewer: viewer))
  }

  private func resume(_ request: Request, _ key: String) async throws -> Response {
    let body = try await body(request)
    let viewer = try who(request, body)
    let run = try await app.run(key)
    _ = try await app.resume(run, driver: viewer, takeOver: body.takeOver == true)
    return WebJSON.response(APIModels.run(try await app.view(run, viewer: viewer), viewer: viewer))
  }

  private func answer(_ request: Request, _ key: String) async throws -> Response {
    let body = try await body(request)
    let viewer = try who(request, body)
    let run = try await app.run(key)
    guard let live = app.hub.live(run) else {
      throw WebFailure(
        status: .conflict,
        message: "The run is not driven here: resume it first (POST /api/runs/\(key)/resume)",
        exitStatus: 2, kind: "not-live")
    }
    guard live.driver == viewer else {
      throw WebFailure(
        status: .conflict,
        message: "\(live.driver.name) drives this run; resume it with \"takeOver\": true to drive it",
        exitStatus: 5, kind: "in-use")
    }
    var values = body.values ?? [:]
    if let value = body.value, case .input(let input, _, _)? = live.snapshot?.prompt {
      values[input.id] = value
    }
    guard
      let action = RunAction.named(
        body.answer ?? "", values: values, rows: Set(body.rows ?? []), reason: body.reason ?? "",
        text: body.answer == "change" ? (body.value ?? "") : (body.text ?? ""), input: body.input ?? "")
    else {
      throw WebFailure(
        status: .badRequest,
        message:
          "Give \"answer\": acknowledge, value, confirm, confirm-all, run, retry, not-now, done, done-despite, skip, back, note, change or quit"
      )
    }
    let rowsAction: RunAction
    if case .confirmRows(let rows) = action, rows.isEmpty,
      case .confirmRow(_, let table, let row, _, _)? = live.snapshot?.prompt
    {
      rowsAction = .confirmRows(["\(table):\(row)"])
    } else {
      rowsAction = action
    }
    let outcome = await live.perform(rowsAction, expected: body.prompt)
    let (name, message): (String, String?)
    switch outcome {
    case .answered(let text): (name, message) = ("answered", text)
    case .stale: (name, message) = ("stale", "The run is no longer at that prompt: nothing was changed")
    case .released(let text):
      (name, message) = ("released", text)
      app.hub.released(live)
    case .failed(let text):
      (name, message) = ("failed", text)
      app.hub.released(live)
    }
    let view = try await app.view(run, viewer: viewer)
    let status: HTTPResponse.Status = outcome == .stale ? .conflict : .ok
    let answer = APIModels.AnswerJSON(
      outcome: name, message: message, key: view.key, lastSeq: view.lastSeq, completed: view.completed,
      busy: view.busy, prompt: view.prompt.map { APIModels.prompt($0, warning: view.finishWarning) })
    return WebJSON.response(answer, status: status)
  }
}
