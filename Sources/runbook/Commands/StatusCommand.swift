import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `runbook status [RUN ...]`: one run in detail (who did what, when, what is left, why
/// something failed), or many runs one line each.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the progress of runs: one run in detail, or many runs one line each.",
    discussion: """
      One state file (or run id) prints its details: done, skipped, failed, pending; who and \
      when; what is left. Folders, several runs, a database store and any filter print one \
      line per run (runbook, outcome, progress, last operator, last activity, failed checks, \
      whether someone drives it now), most recent first. Without arguments: every run of the \
      store (.runbook/ by default; in detail when it holds a single run). --json for tools.
      """
  )

  @Flag(help: "Print JSON.")
  var json = false

  @OptionGroup var storeOptions: StoreOptions

  @Flag(help: "Print one run's events as they happen, until it ends (Ctrl-C stops).")
  var follow = false

  @Option(help: "Only runs of this runbook: its id, or words of its title.")
  var runbook: String?

  @Option(
    name: .customLong("operator"), help: "Only runs this operator took part in (alice@laptop, or alice).")
  var operatorName: String?

  @Option(
    help: "Only runs with this outcome: completed, completed-with-exceptions, partial, failed or interrupted."
  )
  var outcome: RunSummary.Outcome?

  @Option(
    help: ArgumentHelp(
      "Only runs active since then: 2026-11-28, 2026-11-28T10:00:00Z, or a time ago (30m, 12h, 7d).",
      valueName: "WHEN"))
  var since: String?

  @Argument(
    help:
      "State files, folders of state files, or run ids in a database store (default: every run of the store)."
  )
  var runs: [String] = []

  func validate() throws {
    if follow, runs.count != 1 || json {
      throw ValidationError(
        "--follow takes exactly one run (a state file, or a run id with --store), and no --json")
    }
    if let since, Self.time(since, now: Date()) == nil {
      throw ValidationError(
        "--since takes a date (2026-11-28), a UTC time (2026-11-28T10:00:00Z) or a time ago (7d)")
    }
  }

  var filter: RunOverview.Filter {
    RunOverview.Filter(
      runbook: runbook, operator: operatorName, outcome: outcome,
      since: since.flatMap { Self.time($0, now: Date()) })
  }

  func run() throws {
    if follow {
      return try StatusFollower(store: try storeOptions.open().store, run: RunID(runs[0])).follow()
    }
    let location = try storeOptions.location()
    switch location {
    case .postgres:
      let opened = try storeOptions.open()
      if runs.count == 1, filter.isEmpty { return try detailed(opened, [RunID(runs[0])]) }
      var listing: RunOverviews
      do { listing = try opened.store.overviews() } catch { throw CommandFailure(error.description) }
      if !runs.isEmpty {
        let wanted = Set(runs)
        listing.runs = listing.runs.filter { wanted.contains($0.run.rawValue) }
        for missing in wanted.subtracting(listing.runs.map(\.run.rawValue)).sorted() {
          listing.problems.append(
            StoreError(.notFound, path: missing, description: "run \(missing) does not exist in \(location)"))
        }
      }
      try table(listing)
    case .files(let folder):
      let opened = OpenedStore(
        store: FileStore(stateDirectory: folder), location: location, named: storeOptions.url != nil)
      try files(opened, folder: folder)
    }
  }

  /// State files and folders of them.
  private func files(_ opened: OpenedStore, folder: String) throws {
    guard !runs.isEmpty else {
      let found: [RunID]
      do { found = try opened.store.list() } catch { throw CommandFailure(error.description) }
      if found.isEmpty, filter.isEmpty {
        StandardStreams.output(
          json
            ? "[]\n"
            : "No runs found under \(Sanitizer.terminal(folder, keepNewlines: false))/ (name a state file or folder to look at another).\n"
        )
        return
      }
      if found.count == 1, filter.isEmpty, !opened.named { return try detailed(opened, found) }
      return try table(try overviews(of: opened.store))
    }
    var folders: [String] = []
    var stateFiles: [RunID] = []
    for path in runs {
      // A `*.state.jsonl` path is a state file even when it is something else (then said so).
      var isFolder: ObjCBool = false
      if !path.hasSuffix(FileStore.stateSuffix),
        FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
      {
        folders.append(path)
      } else {
        stateFiles.append(RunID(path))
      }
    }
    if folders.isEmpty, stateFiles.count == 1, filter.isEmpty { return try detailed(opened, stateFiles) }
    var listing = RunOverviews(runs: [], problems: [])
    if !folders.isEmpty {
      let found = try overviews(of: FileStore(stateDirectory: folders[0], searchDirectories: folders))
      listing.runs += found.runs
      listing.problems += found.problems
    }
    for run in stateFiles {
      do {
        let contents = try opened.store.read(run)
        var overview = RunOverview(run: run, header: contents.header, events: contents.events)
        overview.holder = opened.store.holder(of: run)
        listing.runs.append(overview)
      } catch {
        listing.problems.append(error)
      }
    }
    try table(listing)
  }

  private func overviews(of store: any RunStore) throws(CommandFailure) -> RunOverviews {
    do { return try store.overviews() } catch { throw CommandFailure(error.description) }
  }

  /// One line per run that passes the filters, most recent first; problems on standard error.
  private func table(_ listing: RunOverviews) throws {
    let filter = self.filter
    let shown = listing.runs.filter(filter.matches).sorted(by: RunOverview.byLastActivity)
    if json {
      StandardStreams.output(RunOverviewText.json(shown))
    } else if shown.isEmpty {
      StandardStreams.output(listing.runs.isEmpty ? "No runs found.\n" : "No runs match.\n")
    } else {
      StandardStreams.output(RunOverviewText.table(shown))
    }
    try report(listing.problems.map(\.description))
  }

  /// Today's detailed text (or JSON) of each run.
  private func detailed(_ opened: OpenedStore, _ runs: [RunID]) throws {
    var summaries: [RunSummary] = []
    var failures: [String] = []
    for run in runs {
      // The guide compiles on the other core while the journal is read.
      let guide = (try? opened.store.header(of: run)).map { header in
        Prefetch { CurrentGuide(header) }
      }
      // Event by event: a long journal is never held whole.
      var facts = RunSummary.Facts()
      let contents: JournalPass
      do { contents = try opened.store.read(run) { facts.add($0) } } catch {
        failures.append(error.description)
        continue
      }
      let current = guide?.value ?? CurrentGuide(contents.header)
      summaries.append(
        RunSummary(
          statePath: run.rawValue, header: contents.header, facts: facts,
          warnings: contents.warnings,
          runbook: current.runbook, currentSHA256: current.sha256,
          holder: opened.store.holder(of: run)))
    }
    if json {
      StandardStreams.output(RunSummary.json(summaries))
    } else {
      StandardStreams.output(
        summaries.map { StatusText.render($0, resumeCommand: opened.resumeCommand(RunID($0.statePath))) }
          .joined(
            separator: "\n"))
    }
    try report(failures)
  }

  private func report(_ failures: [String]) throws {
    for failure in failures {
      StandardStreams.error("runbook: " + Sanitizer.terminal(failure, keepNewlines: false))
    }
    if !failures.isEmpty { throw CommandFailure.exit(ExitStatus.usage) }
  }

  /// `2026-11-28`, `2026-11-28T10:00:00Z`, or a time before `now`: `30m`, `12h`, `7d`.
  static func time(_ text: String, now: Date) -> Date? {
    if let date = JournalDateFormat.parse(text) ?? JournalDateFormat.parse(text + "T00:00:00Z") {
      return date
    }
    if text.hasSuffix("d"), let days = Double(text.dropLast()), days >= 0 {
      return now.addingTimeInterval(-days * 86_400)
    }
    guard let first = text.first, first.isNumber, let seconds = DurationParser.seconds(text) else {
      return nil
    }
    return now.addingTimeInterval(-seconds)
  }
}

extension RunSummary.Outcome: ExpressibleByArgument {
  /// `completed-with-exceptions` (or the phrase itself, quoted) for the outcome with spaces.
  public init?(argument: String) {
    self.init(rawValue: argument.replacingOccurrences(of: "-", with: " "))
  }

  public static var allValueStrings: [String] {
    allCases.map { $0.rawValue.replacingOccurrences(of: " ", with: "-") }
  }
}
