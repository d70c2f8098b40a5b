import Foundation
import HTTPTypes
import Hummingbird
import RunbookEngine
import RunbookReports

/// The HTML pages: the dashboard, the operator's name, and each run. Every change is a form
/// `POST` answered with a redirect to a page (POST-redirect-GET), so the pages work without
/// script and a reload never sends an answer twice.
struct PageRoutes: Sendable {
  let app: WebApp

  func add(to router: Router<BasicRequestContext>) {
    router.get("/") { request, _ in try await dashboard(request) }
    router.get("/operator") { request, _ in operatorForm(request) }
    router.post("/operator") { request, _ in try await setOperator(request) }
    router.post("/runs") { request, _ in try await startRun(request) }
    router.get("/runs/:key") { request, context in
      try await runPage(request, try context.parameters.require("key"))
    }
    router.post("/runs/:key/resume") { request, context in
      try await resume(request, try context.parameters.require("key"))
    }
    router.post("/runs/:key/answer") { request, context in
      try await answer(request, try context.parameters.require("key"))
    }
    router.get("/runs/:key/events") { request, context in
      try await EventStream(app: app).response(request, try context.parameters.require("key"))
    }
    for format in ReportFormat.allCases {
      router.get("/runs/:key/report.\(format.fileExtension)") { request, context in
        try await report(try context.parameters.require("key"), format)
      }
    }
    router.get("/static/app.js") { _, _ in
      Self.asset(WebAssets.script, type: "text/javascript; charset=utf-8")
    }
    router.get("/static/app.css") { _, _ in
      Self.asset(WebAssets.styleSheet, type: "text/css; charset=utf-8")
    }
  }

  static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func asset(_ text: String, type: String) -> Response {
    Response(
      status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
    var response = Response(status: .seeOther, headers: [.location: location])
    for cookie in cookies { response.setCookie(cookie) }
    return response
  }

  /// The operator, or a redirect to the page that asks their name.
  private func who(_ request: Request) throws -> WebOperator {
    guard let viewer = app.operatorAt(request) else {
      if app.options.operatorHeader != nil {
        throw WebFailure(
          status: .unauthorized,
          message:
            "The reverse proxy did not send the operator's name in \(app.options.operatorHeader ?? "")",
          kind: "unauthorized")
      }
      throw NeedsName(next: request.uri.path)
    }
    return viewer
  }

  /// Thrown to send the browser to the name form first.
  struct NeedsName: Error { var next: String }

  private func named(_ request: Request, _ work: () async throws -> Response) async throws -> Response {
    do { return try await work() } catch let needs as NeedsName {
      return Self.redirect("/operator?next=" + AccessGuard<BasicRequestContext>.encode(needs.next))
    }
  }

  // MARK: - Pages

  private func dashboard(_ request: Request) async throws -> Response {
    try await named(request) {
      let viewer = try who(request)
      let catalog = app.catalog
      let store = app.hub.store
      let app = self.app
      let (guides, runs) = await Blocking.run {
        (
          catalog.guides(),
          catalog.runs(in: store) { run, recorded in app.guidePath(of: run, recorded: recorded) }
        )
      }
      let page = app.pages.dashboard(
        guides: guides, runs: runs, live: app.liveText, key: WebKey.encode, csrf: app.csrf(request),
        operatorName: viewer.name, message: nil)
      return Self.html(page)
    }
  }

  private func operatorForm(_ request: Request) -> Response {
    let next = Self.localPath(request.uri.queryParameters["next"].map(String.init))
    let name = app.operatorAt(request)?.name ?? ""
    return Self.html(app.pages.operatorForm(csrf: app.csrf(request), next: next, name: name))
  }

  /// A path on this server, never another site (`//host`, `https:`).
  static func localPath(_ path: String?) -> String {
    guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\") else { return "/" }
    return path
  }

  private func setOperator(_ request: Request) async throws -> Response {
    let form = try await Self.form(request)
    let name = WebApp.cleanName(form["name"] ?? "")
    guard !name.isEmpty else {
      return Self.html(app.pages.operatorForm(csrf: app.csrf(request), next: form["next"] ?? "/", name: ""))
    }
    let cookie = AccessGuard<BasicRequestContext>.cookie(
      AccessGuard<BasicRequestContext>.operatorCookie, AccessGuard<BasicRequestContext>.encode(name),
      maxAge: 365 * 24 * 3600)
    return Self.redirect(Self.localPath(form["next"]), cookies: [cookie])
  }

  static func form(_ request: Request) async throws -> FormData {
    var request = request
    let body = try await request.collectBody(upTo: AccessGuard<BasicRequestContext>.bodyLimit)
    return FormData(String(buffer: body))
  }

  private func startRun(_ request: Request) async throws -> Response {
    try await named(request) {
      let viewer = try who(request)
      let form = try await Self.form(request)
      let path = try await app.guide(form["guide"] ?? "")
      let live = try await app.start(guide: path, driver: viewer)
      return Self.redirect("/runs/" + WebKey.encode(live.run.rawValue))
    }
  }

  private func runPage(_ request: Request, _ key: String) async throws -> Response {
    try await named(request) {
      let viewer = try who(request)
      let run = try await app.run(key)
      let view = try await app.view(run, viewer: viewer)
      let message =
        app.hub.live(run)?.takeMessage(for: viewer.browser)
        ?? app.hub.takeMessage(run, for: viewer.browser)
      return Self.html(app.pages.runPage(view, viewer: viewer, csrf: app.csrf(request), message: message))
    }
  }

  private func resume(_ request: Request, _ key: String) async throws -> Response {
    try await named(request) {
      let viewer = try who(request)
      let form = try await Self.form(request)
      let run = try await app.run(key)
      do {
        _ = try await app.resume(run, driver: viewer, takeOver: form["take"] == "1")
      } catch let failure as WebFailure where failure.status == .conflict {
        app.hub.leave(failure.message, run, for: viewer.browser)
      }
      return Self.redirect("/runs/" + key)
    }
  }

  private func answer(_ request: Request, _ key: String) async throws -> Response {
    try await named(request) {
      let viewer = try who(request)
      let form = try await Self.form(request)
      let run = try await app.run(key)
      guard let live = app.hub.live(run), live.driver == viewer else {
        app.hub.leave(
          "You are not driving this run (anymore): nothing was changed.", run, for: viewer.browser)
        return Self.redirect("/runs/" + key)
      }
      let rows = Set(form.all("row"))
      guard
        let action = RunAction.named(
          form["action"] ?? "", values: form.prefixed("input."), rows: rows, reason: form["reason"] ?? "",
          text: form["text"] ?? "", input: form["input"] ?? "")
      else {
        throw WebFailure(status: .badRequest, message: "Unknown action; reload the page")
      }
      let outcome = await live.perform(action, expected: form["prompt"])
      let message: String?
      switch outcome {
      case .answered(let text): message = text
      case .stale:
        message =
          "The run had moved on (another tab, or a second click): nothing was changed. Here is where it is now."
      case .released(let text):
        message = text
        app.hub.released(live)
      case .failed(let text):
        message = text
        app.hub.released(live)
      }
      if let message {
        if case .answered = outcome {
          live.leave(message, for: viewer.browser)
        } else {
          app.hub.leave(message, run, for: viewer.browser)
        }
      }
      return Self.redirect("/runs/" + key + "#prompt")
    }
  }

  private func report(_ key: String, _ format: ReportFormat) async throws -> Response {
    let run = try await app.run(key)
    let text = try await app.report(run, format: format)
    let type: String
    switch format {
    case .html: type = "text/html; charset=utf-8"
    case .markdown: type = "text/markdown; charset=utf-8"
    case .json: type = "application/json; charset=utf-8"
    }
    var response = Response(
      status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    // The HTML report carries its own inline style sheet and no script.
    response.headers[.contentSecurityPolicy] =
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    return response
  }
}
