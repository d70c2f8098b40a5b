import Foundation
import RunbookCore

/// A `{run}` or `{check}` block made ready to run: values placed so that none can escape its
/// quoting (``ScriptSubstitution``), every input value in the environment, and a display form
/// with secrets masked.
public struct PreparedCommand: Sendable, Equatable {
  /// The program and its arguments before the script, for blocks that are not shell
  /// (`python3 -c`).
  public var interpreter: [String]
  /// The script that runs, with values placed; a transcript's commands only.
  public var script: String
  /// What the admin sees and what is recorded: secrets masked.
  public var display: String
  public var environment: [String: String]
  public var timeout: TimeInterval?
  public var retries: Int
  public var interval: TimeInterval
  /// `expect=` as written: a regular expression the output must contain.
  public var expect: String?
  /// Placeholders with no value yet (the command cannot run until they have one).
  public var missing: [String]
  /// Why the command cannot run safely (a value that would run as code); it is refused.
  public var problems: [String]
  /// Why the command needs a terminal of its own (`kubectl exec -ti`, an editor, a
  /// passphrase prompt), or nil. Commands run with standard input from /dev/null and output to
  /// a pipe, so such a command is refused rather than left to hang (``TerminalNeed``).
  public var needsTerminal: String?
  /// True for a shell block: it runs in bash, in the run's shell session.
  public var isShell: Bool
  /// `set -e -o pipefail`: any failing line fails the block (`errexit=false` turns it off).
  public var errexit: Bool
  /// The input a `{run capture=ID}` command's standard output goes into (id normalised).
  public var capture: String?
  /// True when ``capture`` names a secret input: its output is captured but never shown.
  public var capturesSecret: Bool

  public static let defaultCheckTimeout: TimeInterval = 60
  public static let defaultRunTimeout: TimeInterval = 600

  /// Prepares a block with the current values (derived values included) and the inputs'
  /// definitions (to know which are secret).
  public init(_ code: CodeBlock, values: [String: String], inputs: [Input]) {
    let secrets = Set(inputs.filter(\.secret).map(\.id))
    let substituted = ScriptSubstitution.substitute(
      code.runnableText, language: code.language, values: values, secrets: secrets)
    script = substituted.script
    display = substituted.display
    missing = substituted.missing
    problems = substituted.problems
    // Another value may hold a secret (a derived URL with a password in it, a value that was
    // pasted with the secret in it): the display masks every form of every secret too.
    display = SecretMasker(secrets: inputs.filter(\.secret).compactMap { values[$0.id] }).mask(display)
    var env: [String: String] = [:]
    for (id, value) in values {
      env["RUNBOOK_INPUT_" + id.uppercased()] = value
    }
    // No pager: output goes to a pipe, and a pager waiting for a key would hang the command.
    for name in ["PAGER", "GIT_PAGER", "MANPAGER"] { env[name] = "cat" }
    for name in ["SYSTEMD_PAGER", "AWS_PAGER"] { env[name] = "" }
    // A `$VARIABLE` the guide reads and the reader supplies arrives as that variable.
    for input in inputs {
      if let name = input.variable, let value = values[input.id] { env[name] = value }
    }
    environment = env
    isShell = Self.isShell(code.language)
    needsTerminal = isShell ? TerminalNeed.reason(script) : nil
    interpreter = Self.interpreter(for: code.language)
    errexit = code.attribute("errexit").map { $0 != "false" } ?? true
    let isCheck = code.isCheck
    timeout =
      code.attribute("timeout").flatMap(DurationParser.seconds)
      ?? (isCheck ? Self.defaultCheckTimeout : Self.defaultRunTimeout)
    retries = code.attribute("retries").flatMap { Int($0) }.map { max(0, min($0, 1000)) } ?? 0
    interval = code.attribute("interval").flatMap(DurationParser.seconds) ?? 5
    expect = code.attribute("expect")
    capture = code.captureInput
    capturesSecret = capture.map(secrets.contains) ?? false
  }

  /// Shell languages and unlabelled blocks run in bash; `python` in python3; `zsh` in zsh.
  static func isShell(_ language: String?) -> Bool {
    guard let language = language?.lowercased() else { return true }
    return ScriptSubstitution.shellLanguages.contains(language) && language != "zsh"
  }

  static func interpreter(for language: String?) -> [String] {
    switch language?.lowercased() {
    case "zsh": return ["/usr/bin/env", "zsh", "-c"]
    case "python", "python3", "py": return ["/usr/bin/env", "python3", "-c"]
    default: return ["/bin/bash", "-c"]
    }
  }

  /// The arguments and extra environment that run it: in `session` when it is a shell block
  /// and a session is given, else on its own (a shell block still with errexit and pipefail).
  func invocation(in session: ShellSession?) -> (arguments: [String], environment: [String: String]) {
    guard isShell else { return (interpreter + [script], environment) }
    if let session {
      let (arguments, extra) = session.invocation(script, errexit: errexit)
      return (arguments, environment.merging(extra) { _, new in new })
    }
    return (["/bin/bash", "-c", (errexit ? "set -e -o pipefail; " : "") + script], environment)
  }
}
