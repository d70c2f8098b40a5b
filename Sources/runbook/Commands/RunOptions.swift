import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookTerminal

/// Options shared by `run` and `resume`.
struct RunOptions: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Give an input's value: ID=VALUE (repeatable).", valueName: "ID=VALUE"))
  var values: [String] = []

  @Option(help: ArgumentHelp("A YAML file mapping input ids to values.", valueName: "FILE.yaml"))
  var answers: String?

  @Flag(
    help: "Proceed through manual steps, preconditions and {run} commands without asking (an unattended run)."
  )
  var yes = false

  @Flag(
    help:
      "Unattended: run every shell block of the guide (sh, bash, console…), not only {run} blocks; with --yes."
  )
  var runShellBlocks = false

  @Flag(help: "Never prompt: inputs come from --set, --answers, RUNBOOK_INPUT_<ID> and defaults.")
  var nonInteractive = false

  @Flag(help: "Prompt even when standard input is not a terminal (answers piped in).")
  var interactive = false

  @Option(name: .customLong("operator"), help: "Who is running it (default: user@host).")
  var operatorName: String?

  @Option(help: "Start at this step (number or id); recorded in the state.")
  var from: String?

  @Flag(help: "Run the checks of finished steps again first; steps whose checks now fail are reopened.")
  var recheck = false

  func validate() throws {
    if nonInteractive && interactive {
      throw ValidationError("--interactive and --non-interactive exclude each other")
    }
    for pair in values where !pair.contains("=") {
      throw ValidationError("--set takes ID=VALUE, got \(pair)")
    }
  }

  /// `--set` values by normalised input id.
  var setValues: [String: String] {
    var out: [String: String] = [:]
    for pair in values {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      out[Placeholder.normalize(String(parts[0]))] = parts.count > 1 ? String(parts[1]) : ""
    }
    return out
  }

  static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count)
    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? "localhost" : name
  }

  /// True when no person answers: `--non-interactive` or `--yes`, or standard input is not a
  /// terminal; `--interactive` asks anyway.
  var unattended: Bool { nonInteractive || (!interactive && (yes || isatty(0) == 0)) }

  /// The engine's request for a run of `guidePath` (the values of `--answers` read here).
  func request(guidePath: String, run: RunID?) throws(CommandFailure) -> RunRequest {
    var answerValues: [String: String] = [:]
    if let answers {
      do { answerValues = try AnswersFile.load(answers) } catch { throw CommandFailure(error.description) }
    }
    try Self.checkUTF8Arguments()
    return RunRequest(
      guidePath: guidePath, run: run, operatorName: resolvedOperator,
      host: Self.hostName, pid: Int(getpid()), from: from, set: setValues, answers: answerValues,
      unattended: unattended, environment: try Self.environment())
  }

  /// Swift repairs invalid UTF-8 in arguments with U+FFFD; a value must never change silently,
  /// so the raw bytes are checked.
  static func checkUTF8Arguments() throws(CommandFailure) {
    for index in 1..<Int(CommandLine.argc) {
      guard let raw = CommandLine.unsafeArgv[index] else { continue }
      let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
      if String(validating: bytes, as: UTF8.self) == nil {
        throw CommandFailure("argument \(index) is not valid UTF-8; give values as UTF-8 text")
      }
    }
  }

  /// The environment, read from the raw bytes: a `RUNBOOK_INPUT_<ID>` value that is not valid
  /// UTF-8 is refused rather than repaired.
  static func environment() throws(CommandFailure) -> [String: String] {
    var out: [String: String] = [:]
    var entry = environ
    while let raw = entry.pointee {
      entry += 1
      let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
      guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
      let name = String(decoding: bytes[..<equals], as: UTF8.self)
      guard let value = String(validating: bytes[(equals + 1)...], as: UTF8.self) else {
        if name.hasPrefix("RUNBOOK_INPUT_") {
          throw CommandFailure("the environment variable \(name) is not valid UTF-8; set it as UTF-8 text")
        }
        continue
      }
      out[name] = value
    }
    return out
  }

  var resolvedOperator: String {
    if let operatorName, !operatorName.isEmpty { return operatorName }
    let env = ProcessInfo.processInfo.environment
    let user =
      env["USER"] ?? env["LOGNAME"]
      ?? (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "someone")
    return "\(user)@\(Self.hostName)"
  }
}
