import ArgumentParser
import Foundation
import RunbookCore

/// `runbook lint FILE|DIR ...`: the compiler's diagnostics plus the authoring rules.
struct LintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check guides for problems: the compiler's diagnostics plus the authoring rules.",
    discussion: """
      Folders are searched for *.md and *.mdx files (hidden folders and node_modules are \
      skipped). Exit status: 0 without errors, 1 with errors (warnings count with --strict), \
      2 on usage or I/O problems. Rule codes: docs/authoring.md.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, github
  }

  @Option(
    help:
      "Output format: text (file:line:col: severity: message [code]), json, or github (Actions annotations).")
  var format: Format = .text

  @Flag(help: "Treat warnings as errors.")
  var strict = false

  @Argument(help: "Guides, or folders to search for guides.")
  var paths: [String]

  func validate() throws {
    if paths.isEmpty { throw ValidationError("name at least one guide or folder") }
  }

  func run() throws {
    var ioProblems: [String] = []
    let files = GuideFinder.find(paths, problems: &ioProblems)
    var diagnostics: [Diagnostic] = []
    var lines = ""
    var unreadableFiles = 0
    for result in Self.lintAll(files, strict: strict, format: format) {
      switch result {
      case .success(let linted):
        diagnostics += linted.diagnostics
        lines += linted.lines
      case .failure(let problem):
        ioProblems.append(problem.description)
        unreadableFiles += 1
      }
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    StandardStreams.output(
      format == .json ? LintReport.json(diagnostics, files: files.count, ioProblems: ioProblems) : lines)
    for problem in ioProblems {
      StandardStreams.error("runbook: \(Sanitizer.terminal(problem, keepNewlines: false))")
    }
    if format == .text {
      let checked = files.count - unreadableFiles
      let unreadable =
        ioProblems.isEmpty
        ? "" : "; \(ioProblems.count) path\(ioProblems.count == 1 ? "" : "s") could not be read"
      StandardStreams.error(
        "\(checked) file\(checked == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\(unreadable)"
      )
    }
    if !ioProblems.isEmpty { throw CommandFailure.exit(ExitStatus.usage) }
    if errors > 0 { throw CommandFailure.exit(ExitStatus.failed) }
  }
}

extension LintCommand {
  /// The options of `lint` that take a value (`--format json`): the word after them is not a path.
  static let optionsWithValues: Set<String> = ["--format"]

  /// Takes all but the first path out of `runbook lint` arguments, to be added back after
  /// parsing (other arguments come back unchanged). argument-parser copies an array argument
  /// for every value it adds: 20,000 paths (`runbook lint $(git ls-files '*.md')` on a large
  /// docs site) took 16 s to parse, 5,000 took 1 s. Paths keep their order; options and the
  /// first path are parsed as usual, so usage errors are the same.
  static func liftPaths(_ arguments: [String]) -> (arguments: [String], paths: [String]) {
    guard arguments.first == "lint" else { return (arguments, []) }
    var kept = ["lint"]
    var lifted: [String] = []
    var sawPath = false
    var afterTerminator = false
    var index = 1
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if !afterTerminator, argument == "--" {
        afterTerminator = true
        kept.append(argument)
      } else if !afterTerminator, argument.count > 1, argument.hasPrefix("-") {
        kept.append(argument)
        if optionsWithValues.contains(argument), index < arguments.count {
          kept.append(arguments[index])
          index += 1
        }
      } else if sawPath {
        lifted.append(argument)
      } else {
        sawPath = true
        kept.append(argument)
      }
    }
    return (kept, lifted)
  }

  /// One guide's findings, with `--strict` applied, and their lines in the text or GitHub
  /// format (empty for JSON, which is one document for all guides).
  struct Linted {
    var diagnostics: [Diagnostic]
    var lines: String
  }

  /// Reads, compiles, lints and renders every file, on every core (each guide is independent
  /// and the compiler keeps no shared state; rendering here keeps it off the serial end of the
  /// run); the results come back in the order of `files`.
  static func lintAll(_ files: [String], strict: Bool = false, format: Format = .text)
    -> [Result<Linted, GuideLoader.Failure>]
  {
    var results = [Result<Linted, GuideLoader.Failure>](
      repeating: .success(Linted(diagnostics: [], lines: "")), count: files.count)
    results.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      let lintOne: @Sendable (Int) -> Void = { index in
        let file = files[index]
        output[index] = Result { () throws(GuideLoader.Failure) in
          var diagnostics = Linter().lint(RunbookCompiler().compile(try GuideLoader.read(file), file: file))
          if strict {
            for i in diagnostics.indices where diagnostics[i].severity == .warning {
              diagnostics[i].severity = .error
            }
          }
          return Linted(diagnostics: diagnostics, lines: LintReport.lines(diagnostics, format: format))
        }
      }
      if files.count < 2 {
        for index in files.indices { lintOne(index) }
      } else {
        DispatchQueue.concurrentPerform(iterations: files.count, execute: lintOne)
      }
    }
    return results
  }
}

/// The three output formats of `lint`.
enum LintReport {
  /// One line per diagnostic in the text or GitHub Actions format; nothing for JSON.
  static func lines(_ diagnostics: [Diagnostic], format: LintCommand.Format) -> String {
    switch format {
    case .text:
      return diagnostics.map { Sanitizer.terminal($0.formatted, keepNewlines: false) + "\n" }.joined()
    case .github:
      return diagnostics.map { d in
        let kind = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
        return
          "::\(kind) file=\(property(d.file)),line=\(d.line),col=\(d.column),title=\(property(d.code))::\(data(d.message))\n"
      }.joined()
    case .json:
      return ""
    }
  }

  /// The whole run as one JSON document.
  static func json(_ diagnostics: [Diagnostic], files: Int, ioProblems: [String]) -> String {
    struct Output: Encodable {
      var files: Int
      var errors: Int
      var warnings: Int
      var infos: Int
      var problems: [String]
      var diagnostics: [Diagnostic]
    }
    let output = Output(
      files: files, errors: diagnostics.filter { $0.severity == .error }.count,
      warnings: diagnostics.filter { $0.severity == .warning }.count,
      infos: diagnostics.filter { $0.severity == .info }.count, problems: ioProblems,
      diagnostics: diagnostics)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(output)) ?? Data(), as: UTF8.self) + "\n"
  }

  /// GitHub workflow command escaping for the message.
  static func data(_ s: String) -> String {
    Sanitizer.terminal(s, keepNewlines: true).replacingOccurrences(of: "%", with: "%25")
      .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
  }

  /// GitHub workflow command escaping for a property value.
  static func property(_ s: String) -> String {
    data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }
}
