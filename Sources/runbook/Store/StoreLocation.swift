import Foundation
import RunbookCore
import RunbookEngine
import RunbookPostgres

#if canImport(Glibc)
  import Glibc
#endif

/// The one place a `--store` value (or `RUNBOOK_STORE`) becomes a store: a path or `file:` URL
/// is a folder of state files, `postgres://` a database. Nothing else in the program looks at
/// the value, and only ``description`` (the password masked) is ever shown.
enum StoreLocation: CustomStringConvertible {
  case files(String)
  case postgres(PostgresLocation)

  /// The folder of state files when nothing is given.
  static let defaultFolder = ".runbook"

  /// Reads `value`, else `RUNBOOK_STORE`, else the default folder.
  static func parse(_ value: String?, environment: [String: String]) throws(CommandFailure) -> StoreLocation {
    guard let text = value ?? environment["RUNBOOK_STORE"], !text.isEmpty else {
      return .files(defaultFolder)
    }
    if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
      do {
        return .postgres(
          try PostgresLocation(url: text, environment: environment, loginName: Self.loginName(environment)))
      } catch {
        throw CommandFailure(error.description)
      }
    }
    if text.hasPrefix("file://") {
      let path = String(text.dropFirst("file://".count))
      return .files(path.isEmpty ? defaultFolder : path)
    }
    if text.hasPrefix("file:") {
      let path = String(text.dropFirst("file:".count))
      return .files(path.isEmpty ? defaultFolder : path)
    }
    if let colon = text.range(of: "://") {
      let scheme = PostgresLocation.maskingPassword(in: String(text[..<colon.lowerBound]))
      throw CommandFailure(
        "--store: \(scheme):// stores are not known; give a folder, file:FOLDER or postgres://USER@HOST/DATABASE"
      )
    }
    return .files(text)
  }

  var description: String {
    switch self {
    case .files(let folder): return "file:" + folder
    case .postgres(let location): return location.description
    }
  }

  /// Opens the store; a database that cannot be reached is a one-line error naming its host
  /// (exit status 2). Notices (a database that went away mid-run) go to standard error.
  func open() throws(CommandFailure) -> any RunStore {
    switch self {
    case .files(let folder):
      return FileStore(stateDirectory: folder)
    case .postgres(let location):
      do {
        return try PostgresStore(location: location) { notice in
          StandardStreams.error("runbook: " + Sanitizer.terminal(notice.message, keepNewlines: false))
        }
      } catch {
        throw CommandFailure(error.description)
      }
    }
  }

  private static func loginName(_ environment: [String: String]) -> String {
    environment["PGUSER"] ?? environment["USER"] ?? environment["LOGNAME"]
      ?? (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "postgres")
  }
}
