import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine

/// `--store URL`, shared by every command that reads or writes runs.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("store"),
    help: ArgumentHelp(
      "Where runs are kept: a folder of state files (default .runbook; also file:FOLDER) or postgres://USER@HOST:PORT/DATABASE. Default: $RUNBOOK_STORE.",
      valueName: "URL"))
  var url: String?

  /// Where the runs are, from `--store` or `RUNBOOK_STORE`.
  func location() throws(CommandFailure) -> StoreLocation {
    try StoreLocation.parse(url, environment: ProcessInfo.processInfo.environment)
  }

  /// The store, opened (connected, for a database).
  func open() throws(CommandFailure) -> OpenedStore {
    let location = try location()
    return OpenedStore(store: try location.open(), location: location, named: url != nil)
  }
}

/// A store and how the admin named it, for the commands a message suggests.
struct OpenedStore {
  let store: any RunStore
  let location: StoreLocation
  /// True when `--store` was given (not the default or `RUNBOOK_STORE`).
  let named: Bool

  /// True for a folder of state files, where a run is named by its path.
  var isFiles: Bool {
    if case .files = location { return true }
    return false
  }

  /// `--store URL` for a suggested command when the admin named a store that runs are not
  /// found in by path; empty otherwise.
  var storeArgument: String {
    guard named, !isFiles else { return "" }
    return " --store " + ShellQuote.word(location.description)
  }

  /// The command that continues `run`.
  func resumeCommand(_ run: RunID) -> String {
    "runbook resume \(ShellQuote.word(run.rawValue))\(storeArgument)"
  }
}
