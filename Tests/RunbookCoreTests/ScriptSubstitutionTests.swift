import Foundation
import RunbookCore
import Testing

/// Values placed into commands arrive as exactly their bytes in every quoting context, and run
/// nothing (issue 16). Each case runs the substituted script in a real shell or Python.
@Suite struct ScriptSubstitutionTests {
  static let hostile = [
    "it's", "say \"hi\"", "$(touch INJECTED)", "`touch INJECTED`", "a; touch INJECTED", "back\\slash",
    "*", "-n", "x' ; touch INJECTED; echo '", "\" ; touch INJECTED; echo \"", "$HOME", "${IFS}", "a\\",
    "--version", "ünï 🎉", "$'\\x41'", "<b>", "EOF",
  ]

  /// Shell scripts with `<v>` in each context, printing `[pre-<v>-post]`.
  static let shellContexts: [(String, String)] = [
    ("bare word", "printf '[%s]\\n' pre-<v>-post"),
    ("single quotes", "printf '[%s]\\n' 'pre-<v>-post'"),
    ("double quotes", "printf '[%s]\\n' \"pre-<v>-post\""),
    ("ANSI-C quotes", "printf '[%s]\\n' $'pre-<v>-post'"),
    ("command substitution", "x=$(printf '%s' pre-<v>-post); printf '[%s]\\n' \"$x\""),
    ("quoted command substitution", "x=\"$(printf '%s' \"pre-<v>-post\")\"; printf '[%s]\\n' \"$x\""),
    ("backticks", "x=`printf '%s' pre-<v>-post`; printf '[%s]\\n' \"$x\""),
    ("here-document", "cat <<EOF\n[pre-<v>-post]\nEOF"),
    ("quoted here-document", "cat <<'EOF'\n[pre-<v>-post]\nEOF"),
    ("indented here-document", "cat <<-\"EOF\"\n\t[pre-<v>-post]\n\tEOF"),
    ("assignment", "X=pre-<v>-post; printf '[%s]\\n' \"$X\""),
    ("quoted assignment", "X='pre-<v>-post'; printf '[%s]\\n' \"$X\""),
    ("export", "export X=\"pre-<v>-post\"; printf '[%s]\\n' \"$X\""),
    ("after a comment line", "# uses <v>\nprintf '[%s]\\n' \"pre-<v>-post\""),
    ("in a pipeline", "printf '%s\\n' pre-<v>-post | sed 's/^/[/; s/$/]/'"),
  ]

  @Test(arguments: shellContexts)
  func shellValuesArriveAsTheirBytes(_ named: (String, String)) throws {
    for value in Self.hostile {
      let result = ScriptSubstitution.substitute(named.1, language: "bash", values: ["v": value], secrets: [])
      #expect(result.problems.isEmpty, "\(named.0): \(result.problems)")
      let run = try Self.run(["/bin/bash", "-c", result.script], environment: ["RUNBOOK_INPUT_V": value])
      #expect(
        run.output == "[pre-\(value)-post]\n", "\(named.0) with \(value): \(run.output) from \(result.script)"
      )
      #expect(!run.injected, "\(named.0) with \(value) ran a command")
    }
  }

  @Test(arguments: [
    "eval echo <v>", "bash -c \"echo <v>\"", "sh -ec 'echo <v>'", "watch -n 1 echo <v>",
    "echo $(( <v> + 1 ))",
    "ssh admin@host \"ls <v>\"", "(( n = <v> ))", "[[ <v> -eq 3 ]]", "kubectl exec pod -- sh -c \"ls <v>\"",
    "if true; then eval \"<v>\"; fi",
  ])
  func valuesThatWouldRunAsCodeAreRefused(_ script: String) {
    let result = ScriptSubstitution.substitute(script, language: "sh", values: ["v": "x"], secrets: [])
    #expect(result.problems.count == 1, "\(script): \(result.script)")
    #expect(result.problems.first?.contains("would run the value as code") == true)
  }

  @Test func theDisplayReadsLikeTheGuideAndHidesSecrets() {
    let result = ScriptSubstitution.substitute(
      "PVC_NAME='<pvc name>'\noc get pvc <pvc name> -n <namespace> --token <token>", language: "sh",
      values: ["pvc_name": "data-0", "namespace": "it's", "token": "s3cr3t"], secrets: ["token"])
    #expect(result.display == "PVC_NAME='data-0'\noc get pvc 'data-0' -n 'it'\\''s' --token <token>")
    #expect(!result.script.contains("s3cr3t") && !result.display.contains("s3cr3t"))
    #expect(result.script.contains("PVC_NAME=''\"${RUNBOOK_INPUT_PVC_NAME}\"''"))
  }

  @Test func aMissingValueIsListedAndLeftAsWritten() {
    let result = ScriptSubstitution.substitute(
      "echo <region> <bucket>", language: nil, values: ["region": "1"], secrets: [])
    #expect(result.missing == ["bucket"])
    #expect(result.script.hasSuffix(" <bucket>"))
  }

  @Test func aValueThatWouldEndItsHereDocumentIsRefused() {
    let result = ScriptSubstitution.substitute(
      "cat <<'EOF'\n<v>\nEOF", language: "sh", values: ["v": "EOF"], secrets: [])
    #expect(result.problems == ["the value of `<v>` would end its here-document early"])
  }

  static let pythonContexts: [(String, String)] = [
    ("bare", "print('[pre-' + <v> + '-post]')"),
    ("single quotes", "print('[pre-<v>-post]')"),
    ("double quotes", "print(\"[pre-<v>-post]\")"),
    ("triple quotes", "print('''[pre-<v>-post]''')"),
    ("raw string", "print(r'[pre-<v>-post]')"),
    ("f-string", "print(f'[pre-<v>-post]')"),
  ]

  @Test(arguments: pythonContexts)
  func pythonValuesArriveAsTheirText(_ named: (String, String)) throws {
    for value in Self.hostile + ["'''", "\\n", "{x}", "\u{7}"] {
      let result = ScriptSubstitution.substitute(
        named.1, language: "python", values: ["v": value], secrets: [])
      #expect(result.problems.isEmpty)
      let run = try Self.run(["/usr/bin/env", "python3", "-c", result.script], environment: [:])
      #expect(
        run.output == "[pre-\(value)-post]\n", "\(named.0) with \(value): \(run.output) from \(result.script)"
      )
      #expect(!run.injected)
    }
  }

  // MARK: - Running

  struct Ran {
    var output: String
    var injected: Bool
  }

  static func run(_ arguments: [String], environment: [String: String]) throws -> Ran {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "subst-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let injected = FileManager.default.fileExists(atPath: directory.appendingPathComponent("INJECTED").path)
    return Ran(output: String(decoding: data, as: UTF8.self), injected: injected)
  }
}
