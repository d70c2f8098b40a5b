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
    for result in Self.lintAll(files) {
      switch result {
      case .success(let found): diagnostics += found
      case .failure(let problem): ioProblems.append(problem.description)
      }
    }
    if strict {
      diagnostics = diagnostics.map {
        var d = $0
        if d.severity == .warning { d.severity = .error }
        return d
      }
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    StandardStreams.output(
      LintReport.render(diagnostics, format: format, files: files.count, ioProblems: ioProblems))
    for problem in ioProblems {
      StandardStreams.error("runbook: \(Sanitizer.terminal(problem, keepNewlines: false))")
    }
    if format == .text {
      let checked =
        files.count - ioProblems.filter { problem in files.contains { problem.hasPrefix($0 + ":") } }.count
      let unreadable =
        ioProblems.isEmpty
        ? "" : "; \(ioProblems.count) path\(ioProblems.count == 1 ? "" : "s") could not be read"
      StandardStreams.error(
        "\(checked) file\(checked == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\(unreadable)"
      )
    }
    if !ioProblems.isEmpty { Foundation.exit(ExitStatus.usage) }
    if errors > 0 { Foundation.exit(ExitStatus.failed) }
  }
}

extension LintCommand {
  /// Reads, compiles and lints every file, on every core (each guide is independent and the
  /// compiler keeps no shared state); the results come back in the order of `files`.
  static func lintAll(_ files: [String]) -> [Result<[Diagnostic], GuideLoader.Failure>] {
    var results = [Result<[Diagnostic], GuideLoader.Failure>](repeating: .success([]), count: files.count)
    results.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      let lintOne: @Sendable (Int) -> Void = { index in
        let file = files[index]
        output[index] = Result { () throws(GuideLoader.Failure) in
          Linter().lint(RunbookCompiler().compile(try GuideLoader.read(file), file: file))
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
  static func render(
    _ diagnostics: [Diagnostic], format: LintCommand.Format, files: Int, ioProblems: [String]
  ) -> String {
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
