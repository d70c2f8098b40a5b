import Dispatch
import Foundation
import RunbookCore
import RunbookEngine
import Synchronization

/// Every run the server knows about: the runs it drives (``LiveRun``), the feeds pages subscribe
/// to, and a watcher that reads runs driven elsewhere (by a terminal) while someone watches
/// them. The only shared mutable state of the server, behind one lock.
final class RunHub: Sendable {
  let store: any RunStore
  let clock: any WallClock
  let runner: any ProcessRunner
  /// How often a run driven by another process is read while a page watches it (less often
  /// when reading it takes more than a twentieth of that).
  let pollInterval: Duration
  /// A run driven here that nobody has used for this long, and nobody watches, is released.
  let idleTimeout: TimeInterval
  /// Whether a run that completes here gets its completion reports written where the store says
  /// (as `runbook run` does); off in tests of stores that have no place for files.
  let writesReports: Bool

  private struct State {
    var live: [RunID: LiveRun] = [:]
    var feeds: [RunID: RunFeed] = [:]
    /// Runs being launched, so that two requests do not launch one run twice.
    var launching: Set<RunID> = []
    /// Messages for browsers about runs no longer driven here (saved, completed, refused).
    var messages: [String: String] = [:]
  }

  private let state = Mutex(State())

  init(
    store: any RunStore, clock: any WallClock, runner: any ProcessRunner,
    pollInterval: Duration = .seconds(1),
    idleTimeout: TimeInterval = 30 * 60, writesReports: Bool = true
  ) {
    self.writesReports = writesReports
    self.clock = clock
    self.runner = runner
    self.pollInterval = pollInterval
    self.idleTimeout = idleTimeout
    // Set below: the observer needs `self`, so the hub keeps the plain store and wraps it in
    // ``launcher``.
    self.store = store
  }

  /// The engine's front door over a store that reports each append to the run's feed.
  var launcher: RunLauncher {
    let observed = ObservedStore(inner: store) { [weak self] run, event in
      self?.feed(for: run).publish([event])
    }
    return RunLauncher(store: observed, clock: clock, runner: runner)
  }

  func feed(for run: RunID) -> RunFeed {
    state.withLock { state in
      if let feed = state.feeds[run] { return feed }
      let feed = RunFeed()
      state.feeds[run] = feed
      return feed
    }
  }

  func live(_ run: RunID) -> LiveRun? {
    state.withLock { $0.live[run] }.flatMap { $0.isClosed ? nil : $0 }
  }

  var liveRuns: [RunID] {
    state.withLock { Array($0.live.keys) }
  }

  /// Why a run could not be driven here.
  enum DriveError: Error {
    case launch(LaunchError)
    /// Another browser drives it here; it can be taken over.
    case drivenByOther(WebOperator)
    /// It is busy (a command runs) and cannot change hands now.
    case busy
  }

  /// Starts or resumes the run of `request` for `driver`; a run this server already drives for
  /// the same browser is returned as it is, one driven for another browser is taken over only
  /// when `takeOver` (that run is released first, then resumed for `driver`).
  /// `reserved` when the run's id came from ``reserveNewRun(for:)``.
  func drive(_ request: RunRequest, driver: WebOperator, takeOver: Bool, reserved: Bool = false)
    async throws(DriveError) -> LiveRun
  {
    if let run = request.run, let current = live(run) {
      if current.driver.browser == driver.browser && current.driver.name == driver.name { return current }
      guard takeOver else { throw .drivenByOther(current.driver) }
      guard !current.isBusy else { throw .busy }
      await current.close()
    }
    if let run = request.run, !reserved {
      let claimed = state.withLock { $0.launching.insert(run).inserted }
      guard claimed else { throw .busy }
    }
    defer { if let run = request.run { _ = state.withLock { $0.launching.remove(run) } } }
    let launched: LiveRun
    do {
      launched = try await LiveRun.launch(request, hub: self, driver: driver)
    } catch {
      throw .launch(error)
    }
    state.withLock { $0.live[launched.run] = launched }
    launched.feed.publish(.changed)
    return launched
  }

  /// A free id for a new run of `runbookID`, claimed until its launch ends, so that requests
  /// starting runs of one guide at the same moment each get their own. Blocking.
  func reserveNewRun(for runbookID: String) -> RunID {
    WebApp.newRun(for: runbookID, in: store, now: clock.now()) { candidate in
      state.withLock { $0.launching.insert(candidate).inserted }
    }
  }

  /// Forgets a run that was released.
  func released(_ live: LiveRun) {
    state.withLock { state in
      if state.live[live.run] === live { state.live[live.run] = nil }
    }
  }

  /// Leaves a message for a browser's next page of a run.
  func leave(_ message: String, _ run: RunID, for browser: String) {
    state.withLock { $0.messages[run.rawValue + "\n" + browser] = message }
  }

  func takeMessage(_ run: RunID, for browser: String) -> String? {
    state.withLock { $0.messages.removeValue(forKey: run.rawValue + "\n" + browser) }
  }

  // MARK: - Watching and tidying

  /// Reads each watched run that is not driven here and publishes its new events; releases
  /// idle runs. Runs until the task is cancelled.
  func watch() async {
    var lastTidy = Date()
    while !Task.isCancelled {
      try? await Task.sleep(for: pollInterval)
      let watched: [(RunID, RunFeed)] = state.withLock { state in
        state.feeds.filter { run, feed in
          feed.hasSubscribers && (state.live[run]?.isClosed ?? true) && feed.due(at: .now)
        }
        .map { ($0.key, $0.value) }
      }
      if !watched.isEmpty {
        let store = self.store
        let interval = pollInterval
        await Blocking.run {
          for (run, feed) in watched {
            // A long journal takes long to read: read it less often, so that watching a run costs
            // at most a twentieth of a core whatever its length.
            let started = ContinuousClock.now
            let read = try? store.read(run)
            let took = ContinuousClock.now - started
            feed.readAgain(at: .now + max(interval, took * 20))
            guard let contents = read else { continue }
            let known = feed.lastSeq
            if known == 0 {
              feed.know(seq: contents.events.last?.seq ?? 0)
            } else if (contents.events.last?.seq ?? 0) > known {
              feed.publish(Array(contents.events.drop { $0.seq <= known }))
            }
          }
        }
      }
      if Date().timeIntervalSince(lastTidy) > 10 {
        lastTidy = Date()
        await releaseIdle()
        // Keeps connections through proxies that close quiet ones.
        for feed in state.withLock({ Array($0.feeds.values) }) where feed.hasSubscribers {
          feed.publish(.ping)
        }
      }
    }
  }

  /// Releases the runs nobody used (by the hub's clock) or watched for ``idleTimeout``.
  func releaseIdle() async {
    let idle: [LiveRun] = state.withLock { state in
      state.live.values.filter { run in
        run.isClosed
          || (!run.isBusy && !run.feed.hasSubscribers
            && clock.now().timeIntervalSince(run.lastUsed) > idleTimeout)
      }
    }
    for run in idle {
      if !run.isClosed { await run.close() }
      released(run)
    }
  }

  /// Releases every run (the server stops); the kernel would release the locks anyway.
  func closeAll() async {
    let all = state.withLock { state in
      defer { state.live = [:] }
      return Array(state.live.values)
    }
    for run in all { await run.close() }
    for feed in state.withLock({ Array($0.feeds.values) }) { feed.finish() }
  }
}
