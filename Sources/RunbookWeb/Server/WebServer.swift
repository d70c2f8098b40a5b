import Foundation
import Hummingbird
import Logging
import RunbookEngine

/// `runbook serve`: the web UI and JSON API over the same engine as the terminal (docs/web.md).
/// Runs until the task is cancelled or the process gets SIGINT/SIGTERM; runs driven here are
/// released (their locks freed) when it stops.
public struct WebServer: Sendable {
  let app: WebApp

  /// - Parameters:
  ///   - store: where runs are (their locks are the CLI's, so a run is driven by one process).
  ///   - clock: the time recorded in events.
  ///   - runner: runs `{run}` and `{check}` blocks.
  public init(
    options: ServeOptions, store: any RunStore, clock: any WallClock = SystemClock(),
    runner: any ProcessRunner
  ) {
    app = WebApp(options: options, store: store, clock: clock, runner: runner)
  }

  /// Serves until stopped; `started` gets the address to open (with the access token) once the
  /// server listens.
  public func run(started: @escaping @Sendable (_ url: String, _ port: Int) -> Void) async throws {
    let router = Router()
    router.middlewares.add(AccessGuard(token: app.options.token, pages: app.pages))
    PageRoutes(app: app).add(to: router)
    APIRoutes(app: app).add(to: router)
    var logger = Logger(label: "runbook-serve")
    logger.logLevel = .error
    let options = app.options
    let application = Application(
      router: router,
      configuration: .init(address: .hostname(options.host, port: options.port), serverName: "runbook"),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? options.port
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        started("http://\(host):\(port)/?token=\(options.token.value)", port)
      },
      logger: logger)
    let hub = app.hub
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await hub.watch() }
      group.addTask { try await application.runService() }
      // The server ends the group; the watcher follows.
      try await group.next()
      group.cancelAll()
    }
    await hub.closeAll()
  }
}
