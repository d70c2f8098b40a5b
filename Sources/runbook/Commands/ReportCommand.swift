import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports

/// `runbook report [STATE]`: the completion report of a run, or the handoff summary of one
/// that is not finished.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Print the report of a run: Markdown, self-contained HTML or JSON, or your own template.",
    discussion: """
      Without STATE, the only *.state.jsonl file under .runbook/ is used. The runbook is read \
      from the path recorded in the state file (relative to the current directory) or from \
      --runbook; when it cannot be found, the report is built from the state file alone. For a \
      run that is not finished the report says what is left and how to resume. Formats, the \
      JSON schema and the template context: docs/report.md.
      """
  )

  @OptionGroup var storeOptions: StoreOptions

  @Argument(
    help: "The state file, or the run id in a database store (default: the store's only run).")
  var state: String?

  @Option(help: "The output format (default: markdown).")
  var format: ReportFormat?

  @Option(
    name: [.customShort("o"), .long], help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(help: "Render this Mustache template instead of a built-in format (context: docs/report.md).")
  var template: String?

  @Option(help: "The runbook the run followed, when it is not at the path recorded in the state file.")
  var runbook: String?

  func validate() throws {
    if format != nil, template != nil {
      throw ValidationError("give either --format or --template, not both")
    }
  }

  func run() throws {
    let opened = try storeOptions.open()
    let store = opened.store
    let run = try state.map(RunID.init) ?? StateFinder.only(in: opened)
    // The guide compiles on the other core while the journal is read.
    let path = runbook
    let prefetched = (try? store.header(of: run)).map { header in
      Prefetch { Result { () throws(CommandFailure) in try Self.loadRunbook(path, for: header) } }
    }
    // Event by event, checking the hash chain in the same pass: a long journal is read once
    // and never held whole.
    var facts = RunSummary.Facts()
    let contents: JournalPass
    do {
      contents = try store.read(run) { facts.add($0) }
    } catch {
      throw CommandFailure(error.description)
    }
    let guide =
      if let prefetched { try prefetched.value.get() } else {
        try Self.loadRunbook(runbook, for: contents.header)
      }
    let report = Report(
      statePath: run.rawValue, header: contents.header, facts: facts, warnings: contents.warnings,
      verification: contents.verification, runbook: guide?.runbook, guideSHA256: guide?.sha256)

    let text: String
    if let template {
      let source: String
      do {
        source = try GuideLoader.read(template, as: .template)
      } catch {
        throw CommandFailure(error.description)
      }
      do {
        text = try report.render(template: source)
      } catch {
        throw CommandFailure("\(template): \(error.description)")
      }
    } else {
      text = report.render(format ?? .markdown)
    }
    if let output {
      do {
        try ReportWriter.write(text, to: output)
      } catch {
        throw CommandFailure("\(error)")
      }
    } else {
      StandardStreams.output(text)
    }
  }

  /// The runbook from `--runbook` (which must be readable and be the one the state records) or
  /// from the path in the state file (nil when it is missing, unreadable or another runbook).
  private static func loadRunbook(_ runbook: String?, for header: JournalHeader) throws(CommandFailure) -> (
    runbook: Runbook, sha256: String
  )? {
    let path = runbook ?? header.runbook.path
    let text: String
    do {
      text = try GuideLoader.read(path)
    } catch {
      if runbook != nil { throw CommandFailure(error.description) }
      return nil
    }
    let compiled = RunbookCompiler().compile(text, file: path)
    guard compiled.id == header.runbook.id else {
      if runbook != nil {
        throw CommandFailure(
          "\(path) is the runbook \(compiled.id), but the state records a run of \(header.runbook.id)")
      }
      return nil
    }
    return (compiled, StepFingerprint.sha256(text))
  }
}

extension ReportFormat: ExpressibleByArgument {}

/// Finds the run when none is named: the only run in the store (`.runbook/` by default).
enum StateFinder {
  static func only(in opened: OpenedStore) throws(CommandFailure) -> RunID {
    let found: [RunID]
    do { found = try opened.store.list() } catch { throw CommandFailure(error.description) }
    guard case .files(let folder) = opened.location else {
      if found.count == 1 { return found[0] }
      throw CommandFailure(
        "\(found.count) runs in \(opened.location); name one (`runbook status\(opened.storeArgument)` lists them)"
      )
    }
    switch found.count {
    case 0:
      throw CommandFailure("no state file (*.state.jsonl) under \(folder)/; give the state file's path")
    case 1:
      return found[0]
    default:
      throw CommandFailure(
        "\(found.count) state files under \(folder)/: \(found.map(\.rawValue).joined(separator: ", ")); name one"
      )
    }
  }
}
