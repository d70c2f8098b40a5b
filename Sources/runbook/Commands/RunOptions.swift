import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookTerminal

/// Options shared by `run` and `resume`.
struct RunOptions: ParsableArguments {
  @Option(
    help: "The state file (default: .runbook/<runbook id>.state.jsonl), or a run id in a database store.")
  var state: String?

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Give an input's value: ID=VALUE (repeatable).", valueName: "ID=VALUE"))
  var values: [String] = []

  @Option(help: ArgumentHelp("A YAML file mapping input ids to values.", valueName: "FILE.yaml"))
  var answers: String?

  @Flag(help: "Proceed through manual steps, preconditions and {run} commands without asking.")
  var yes = false

  @Flag(help: "Never prompt: inputs come from --set, --answers, RUNBOOK_INPUT_<ID> and defaults.")
  var nonInteractive = false

  @Flag(help: "Prompt even when standard input is not a terminal (answers piped in).")
  var interactive = false

  @Option(name: .customLong("operator"), help: "Who is running it (default: user@host).")
  var operatorName: String?

  @Option(help: "Start at this step (number or id); recorded in the state.")
  var from: String?

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

  /// True when no person answers: `--non-interactive`, or standard input is not a terminal
  /// and `--interactive` was not given.
  var unattended: Bool { nonInteractive || (isatty(0) == 0 && !interactive) }

  /// The engine's request for a run of `guidePath` (the values of `--answers` read here).
  func request(guidePath: String, run: RunID?) throws(CommandFailure) -> RunRequest {
    var answerValues: [String: String] = [:]
    if let answers {
      do { answerValues = try AnswersFile.load(answers) } catch { throw CommandFailure(error.description) }
    }
    return RunRequest(
      guidePath: guidePath, run: run ?? state.map(RunID.init), operatorName: resolvedOperator,
      host: Self.hostName, pid: Int(getpid()), from: from, set: setValues, answers: answerValues,
      unattended: unattended, environment: ProcessInfo.processInfo.environment)
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
