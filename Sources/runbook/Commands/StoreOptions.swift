import ArgumentParser
import Foundation
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
    return " --store " + Self.shellWord(location.description)
  }

  /// The command that continues `run`.
  func resumeCommand(_ run: RunID) -> String {
    "runbook resume \(Self.shellWord(run.rawValue))\(storeArgument)"
  }

  /// `text` as one shell word, quoted only when it needs to be.
  static func shellWord(_ text: String) -> String {
    let plain = text.unicodeScalars.allSatisfy {
      $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "@%+=:,./_-".unicodeScalars.contains($0))
    }
    return plain && !text.isEmpty ? text : ShellQuote.quote(text)
  }
}
