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

  @Argument(help: "The state file (default: the only *.state.jsonl under .runbook/).")
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
    let statePath: String
    if let state {
      statePath = state
    } else {
      do {
        statePath = try StateFinder.only()
      } catch {
        fail(error)
      }
    }
    let contents: JournalContents
    do {
      contents = try Journal.read(at: statePath)
    } catch {
      fail(CommandFailure(Sanitizer.terminal(error.description, keepNewlines: false)))
    }
    let guide = loadRunbook(for: contents.header)
    let report = Report(
      statePath: statePath, contents: contents, verification: Journal.verify(at: statePath),
      runbook: guide?.runbook, guideSHA256: guide?.sha256)

    let text: String
    if let template {
      let source: String
      do {
        source = try GuideLoader.read(template)
      } catch {
        fail(CommandFailure(Sanitizer.terminal(error.description, keepNewlines: false)))
      }
      do {
        text = try report.render(template: source)
      } catch {
        fail(CommandFailure(Sanitizer.terminal("\(template): \(error.description)", keepNewlines: false)))
      }
    } else {
      text = report.render(format ?? .markdown)
    }
    if let output {
      do {
        try ReportWriter.write(text, to: output)
      } catch {
        fail(CommandFailure(Sanitizer.terminal("\(error)", keepNewlines: false)))
      }
    } else {
      StandardStreams.output(text)
    }
  }

  /// The runbook from `--runbook` (which must be readable and be the one the state records) or
  /// from the path in the state file (nil when it is missing, unreadable or another runbook).
  private func loadRunbook(for header: JournalHeader) -> (runbook: Runbook, sha256: String)? {
    let path = runbook ?? header.runbook.path
    let text: String
    do {
      text = try GuideLoader.read(path)
    } catch {
      if runbook != nil { fail(CommandFailure(Sanitizer.terminal(error.description, keepNewlines: false))) }
      return nil
    }
    let compiled = RunbookCompiler().compile(text, file: path)
    guard compiled.id == header.runbook.id else {
      if runbook != nil {
        fail(
          CommandFailure(
            Sanitizer.terminal(
              "\(path) is the runbook \(compiled.id), but the state records a run of \(header.runbook.id)",
              keepNewlines: false)))
      }
      return nil
    }
    return (compiled, StepFingerprint.sha256(text))
  }
}

extension ReportFormat: ExpressibleByArgument {}

/// Finds the state file when none is named: the only `*.state.jsonl` under `.runbook/`.
enum StateFinder {
  static let directory = ".runbook"

  static func only() throws(CommandFailure) -> String {
    let found = all()
    switch found.count {
    case 0:
      throw CommandFailure("no state file (*.state.jsonl) under \(directory)/; give the state file's path")
    case 1:
      return found[0]
    default:
      throw CommandFailure(
        Sanitizer.terminal(
          "\(found.count) state files under \(directory)/: \(found.joined(separator: ", ")); name one",
          keepNewlines: false))
    }
  }

  /// Every `*.state.jsonl` under `.runbook/`, sorted.
  static func all() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.hasSuffix(".state.jsonl") { found.append(directory + "/" + relative) }
    }
    return found.sorted()
  }
}
