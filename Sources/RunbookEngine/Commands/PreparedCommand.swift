import Foundation
import RunbookCore

/// A `{run}` or `{check}` block made ready to run: placeholders substituted shell-quoted, every
/// input value in the environment, and a display form with secrets masked.
public struct PreparedCommand: Sendable, Equatable {
  /// The program and its arguments before the script (`/bin/sh -c`).
  public var interpreter: [String]
  /// The script that runs, with real values.
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

  public static let defaultCheckTimeout: TimeInterval = 60
  public static let defaultRunTimeout: TimeInterval = 600

  /// Prepares a block with the current values (derived values included) and the inputs'
  /// definitions (to know which are secret).
  public init(_ code: CodeBlock, values: [String: String], inputs: [Input]) {
    let secrets = Set(inputs.filter(\.secret).map(\.id))
    var missing: [String] = []
    script = Placeholder.substitute(code.displayText) { occurrence in
      guard let value = values[occurrence.id] else {
        missing.append(occurrence.id)
        return nil
      }
      return ShellQuote.quote(value)
    }
    display = Placeholder.substitute(code.displayText) { occurrence in
      guard let value = values[occurrence.id] else { return nil }
      return secrets.contains(occurrence.id) ? "<\(occurrence.name)>" : ShellQuote.quote(value)
    }
    self.missing = missing
    var env: [String: String] = [:]
    for (id, value) in values {
      env["RUNBOOK_INPUT_" + id.uppercased()] = value
    }
    environment = env
    interpreter = Self.interpreter(for: code.language)
    let isCheck = code.isCheck
    timeout =
      code.attribute("timeout").flatMap(DurationParser.seconds)
      ?? (isCheck ? Self.defaultCheckTimeout : Self.defaultRunTimeout)
    retries = code.attribute("retries").flatMap { Int($0) }.map { max(0, min($0, 1000)) } ?? 0
    interval = code.attribute("interval").flatMap(DurationParser.seconds) ?? 5
    expect = code.attribute("expect")
  }

  /// `sh`, `shell`, `console` and no language run in `/bin/sh`; `bash` in bash; `python` in python3.
  static func interpreter(for language: String?) -> [String] {
    switch language?.lowercased() {
    case "bash": return ["/bin/bash", "-c"]
    case "zsh": return ["/usr/bin/env", "zsh", "-c"]
    case "python", "python3", "py": return ["/usr/bin/env", "python3", "-c"]
    default: return ["/bin/sh", "-c"]
    }
  }
}
