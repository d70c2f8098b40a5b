import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookPostgres

#if canImport(Glibc)
  import Glibc
#endif

/// `runbook store import|export`: moving runs between state files and a database.
struct StoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store",
    abstract: "Move runs between state files and a database store.",
    subcommands: [ImportCommand.self, ExportCommand.self]
  )

  /// The database store named by `--store` or `RUNBOOK_STORE`; a folder is refused.
  static func database(_ options: StoreOptions) throws(CommandFailure) -> PostgresStore {
    guard case .postgres = try options.location(), let store = try options.open().store as? PostgresStore
    else {
      throw CommandFailure(
        "runbook store works with a database: give --store postgres://USER@HOST/DATABASE (or set RUNBOOK_STORE)"
      )
    }
    return store
  }
}

/// `runbook store import FILE…`: copies state files into the database, each line as written.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Copy state files into the database, each line exactly as written; prints each new run id.",
    discussion: """
      Each file is checked like `runbook verify` first; a damaged one is refused, a torn last \
      line is left out with a warning. A file already imported as it is now is refused. The files are not \
      changed. Exit status 2 when any file could not be imported.
      """
  )

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "State files (*.state.jsonl).")
  var files: [String]

  func validate() throws {
    if files.isEmpty { throw ValidationError("name at least one state file") }
  }

  func run() throws {
    let store = try StoreCommand.database(storeOptions)
    var failures = 0
    for file in files {
      let name = Sanitizer.terminal(file, keepNewlines: false)
      let bytes: [UInt8]
      do {
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
      } catch {
        StandardStreams.error("runbook: cannot read \(name); check the path")
        failures += 1
        continue
      }
      do {
        let imported = try store.importJournal(bytes, from: file)
        for warning in imported.warnings {
          StandardStreams.error(
            "runbook: warning: \(name): \(Sanitizer.terminal(warning, keepNewlines: false))")
        }
        StandardStreams.output(
          "\(name): imported as \(Sanitizer.terminal(imported.run.rawValue, keepNewlines: false)) (\(imported.events) events)\n"
        )
      } catch {
        StandardStreams.error("runbook: " + Sanitizer.terminal(error.description, keepNewlines: false))
        failures += 1
      }
    }
    if failures > 0 { throw CommandFailure.exit(ExitStatus.usage) }
  }
}

/// `runbook store export RUN [-o FILE]`: the run as the state file a file store would have written.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a run as a state file, byte for byte what a file store would have written.",
    discussion: "Without -o the journal goes to standard output. An existing file is not overwritten."
  )

  @OptionGroup var storeOptions: StoreOptions

  @Option(name: [.customShort("o"), .long], help: "The state file to write (mode 0600).")
  var output: String?

  @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
  var runID: String

  func run() throws {
    let store = try StoreCommand.database(storeOptions)
    let bytes: [UInt8]
    do { bytes = try store.exportJournal(RunID(runID)) } catch { throw CommandFailure(error.description) }
    guard let output else {
      FileHandle.standardOutput.write(Data(bytes))
      return
    }
    let path = Sanitizer.terminal(output, keepNewlines: false)
    let fd = open(output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw CommandFailure(
        errno == EEXIST
          ? "\(path) already exists; choose another file with -o" : "cannot create \(path): \(reason)")
    }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(output)
        throw CommandFailure("cannot write \(path): \(reason); nothing was kept")
      }
      offset += n
    }
    guard fsync(fd) == 0, close(fd) == 0 else {
      unlink(output)
      throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno))); nothing was kept")
    }
    StandardStreams.error(
      "\(Sanitizer.terminal(runID, keepNewlines: false)): \(bytes.count) bytes written to \(path)")
  }
}
