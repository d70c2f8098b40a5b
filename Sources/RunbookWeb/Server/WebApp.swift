import Foundation
import HTTPTypes
import Hummingbird
import RunbookCore
import RunbookEngine
import RunbookReports

/// The server's state and the work every route shares: who is asking, which run or guide an
/// address names, starting and resuming runs. Pages (``PageRoutes``) and the JSON API
/// (``APIRoutes``) are thin layers over it.
struct WebApp: Sendable {
  let options: ServeOptions
  let hub: RunHub
  let catalog: Catalog
  let pages: Pages

  init(options: ServeOptions, store: any RunStore, clock: any WallClock, runner: any ProcessRunner) {
    self.options = options
    hub = RunHub(store: store, clock: clock, runner: runner, pollInterval: options.pollInterval)
    catalog = Catalog(findGuides: options.findGuides)
    pages = Pages()
  }

  // MARK: - Who is asking

  /// The browser's id (cookie), or nil for a client without one (an API client with a bearer
  /// token).
  func browser(_ request: Request) -> String? {
    request.cookies[AccessGuard<BasicRequestContext>.browserCookie]?.value
  }

  /// The operator at this browser, nil when the name is not known yet. Behind a reverse proxy
  /// (`--operator-header`) the name comes from that header on every request.
  func operatorAt(_ request: Request, given: String? = nil) -> WebOperator? {
    let name: String?
    if let header = options.operatorHeader {
      name = HTTPField.Name(header).flatMap { request.headers[$0] }
    } else if let given, !given.isEmpty {
      name = given
    } else {
      name = request.cookies[AccessGuard<BasicRequestContext>.operatorCookie]?.value.removingPercentEncoding
    }
    guard let name = name.map(Self.cleanName), !name.isEmpty else { return nil }
    return WebOperator(name: name, browser: browser(request) ?? "api:" + name)
  }

  /// A name as recorded: one line, at most 100 characters.
  static func cleanName(_ name: String) -> String {
    String(
      name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init).prefix(100)
    ).trimmingCharacters(in: .whitespaces)
  }

  func csrf(_ request: Request) -> String {
    options.token.csrf(for: browser(request) ?? "")
  }

  // MARK: - What an address names

  /// The run a key names, if it is one this server serves (listed by the store, or driven here).
  func run(_ key: String) async throws -> RunID {
    guard let raw = WebKey.decode(key) else { throw WebFailure.notFound("No such run: check the address") }
    let run = RunID(raw)
    if hub.live(run) != nil { return run }
    let store = hub.store
    let listed = await Blocking.run { (try? store.list()) ?? [] }
    guard listed.contains(run) else {
      throw WebFailure.notFound("No run \(raw) under the folders served; the dashboard lists them")
    }
    return run
  }

  /// The guide a key names, if it is one of those served.
  func guide(_ key: String) async throws -> String {
    guard let path = WebKey.decode(key) else {
      throw WebFailure.notFound("No such runbook: check the address")
    }
    let catalog = self.catalog
    guard await Blocking.run({ catalog.contains(path) }) else {
      throw WebFailure.notFound("No runbook \(path) in the folders served")
    }
    return path
  }

  /// Where the guide of a run is now, or nil.
  func guidePath(of run: RunID, recorded: String) -> String? {
    hub.launcher.guidePath(for: run, recorded: recorded, given: nil)
  }

  // MARK: - Starting and resuming

  /// Starts a new run of a guide for `driver`.
  func start(guide path: String, driver: WebOperator) async throws -> LiveRun {
    let compiled = await Blocking.run { [catalog] in catalog.guide(at: path) }
    guard let runbook = compiled.runbook else {
      throw WebFailure(status: .unprocessableContent, message: compiled.failure ?? "\(path) cannot be read")
    }
    let hub = self.hub
    let run = await Blocking.run { hub.reserveNewRun(for: runbook.id) }
    return try await drive(
      RunRequest(
        guidePath: path, run: run, operatorName: driver.name, host: options.hostName, pid: options.pid),
      driver, false, reserved: true)
  }

  /// Resumes a run here (or takes it over from another browser of this server).
  func resume(_ run: RunID, driver: WebOperator, takeOver: Bool) async throws -> LiveRun {
    let store = hub.store
    let contents: JournalContents
    let read = await Blocking.run { Result { () throws(StoreError) in try store.read(run) } }
    do throws(StoreError) {
      contents = try read.get()
    } catch {
      throw WebFailure(LaunchError(.store(error.kind), error.description))
    }
    guard let path = guidePath(of: run, recorded: contents.header.runbook.path) else {
      throw WebFailure(
        status: .unprocessableContent,
        message:
          "Cannot find the runbook \(contents.header.runbook.path) that \(run) was made with; resume it with `runbook resume \(run) --runbook FILE`"
      )
    }
    return try await drive(
      RunRequest(
        guidePath: path, run: run, operatorName: driver.name, host: options.hostName, pid: options.pid),
      driver, takeOver)
  }

  private func drive(_ request: RunRequest, _ driver: WebOperator, _ takeOver: Bool, reserved: Bool = false)
    async throws -> LiveRun
  {
    do {
      return try await hub.drive(request, driver: driver, takeOver: takeOver, reserved: reserved)
    } catch {
      switch error {
      case .launch(let launch): throw WebFailure(launch)
      case .drivenByOther(let other):
        throw WebFailure(
          status: .conflict,
          message: "\(other.name) drives this run in another browser; take it over to drive it",
          exitStatus: 5, kind: "in-use")
      case .busy:
        throw WebFailure(
          status: .conflict,
          message: "The run is busy (a command or check is running); try again when it ends",
          exitStatus: 5, kind: "in-use")
      }
    }
  }

  /// A run id for a new run: the store's default run of the guide when it is free, else the
  /// same with the time (and a counter) added before `.state.jsonl`. `reserve` claims a free
  /// id (false when another request claimed it first).
  static func newRun(
    for runbookID: String, in store: any RunStore, now: Date, reserve: (RunID) -> Bool
  ) -> RunID {
    let first = store.defaultRun(for: runbookID)
    if (try? store.exists(first)) != true, reserve(first) { return first }
    let suffix = FileStore.stateSuffix
    let raw = first.rawValue
    let base = raw.hasSuffix(suffix) ? String(raw.dropLast(suffix.count)) : raw
    let end = raw.hasSuffix(suffix) ? suffix : ""
    let stamp = JournalDateFormat.compact(now)
    for counter in 1...1000 {
      let candidate = RunID(base + "-" + stamp + (counter > 1 ? "-\(counter)" : "") + end)
      if (try? store.exists(candidate)) != true, reserve(candidate) { return candidate }
    }
    let last = RunID(base + "-" + UUID().uuidString + end)
    _ = reserve(last)
    return last
  }

  // MARK: - Views

  /// The run as a page or the API shows it to `viewer`.
  func view(_ run: RunID, viewer: WebOperator?) async throws -> RunView {
    let key = WebKey.encode(run.rawValue)
    if let live = hub.live(run), let snapshot = live.snapshot {
      return RunView(key: key, snapshot: snapshot, showPrompt: viewer == live.driver)
    }
    let store = hub.store
    let catalog = self.catalog
    let app = self
    let result: Result<RunView, StoreError> = await Blocking.run {
      Result { () throws(StoreError) in
        let contents = try store.read(run)
        let path = app.guidePath(of: run, recorded: contents.header.runbook.path)
        let guide = path.map(catalog.guide(at:))
        var noGuide: String? = nil
        if path == nil {
          noGuide =
            "The runbook \(contents.header.runbook.path) is not found: the run is shown from its state file alone."
        } else if let failure = guide?.failure {
          noGuide = failure
        }
        return RunView(
          key: key, run: run, contents: contents, runbook: guide?.runbook, holder: store.holder(of: run),
          noGuide: noGuide)
      }
    }
    do { return try result.get() } catch {
      throw WebFailure(LaunchError(.store(error.kind), error.description))
    }
  }

  /// Words for the dashboard's "live" column.
  func liveText(_ run: RunID) -> String {
    if let live = hub.live(run) { return "here, by \(live.driver.name)" }
    if let holder = hub.store.holder(of: run) { return "in a terminal: \(holder.operator)" }
    return "no"
  }

  /// The report of a run in a format, built from the store and the guide (if found).
  func report(_ run: RunID, format: ReportFormat) async throws -> String {
    let store = hub.store
    let catalog = self.catalog
    let app = self
    let result: Result<String, StoreError> = await Blocking.run {
      Result { () throws(StoreError) in
        let contents = try store.read(run)
        let guide = app.guidePath(of: run, recorded: contents.header.runbook.path).map(catalog.guide(at:))
        let report = Report(
          statePath: run.rawValue, contents: contents, verification: store.verify(run),
          runbook: guide?.runbook,
          guideSHA256: guide?.runbook == nil ? nil : guide?.sha256)
        return report.render(format)
      }
    }
    do { return try result.get() } catch {
      throw WebFailure(LaunchError(.store(error.kind), error.description))
    }
  }
}
