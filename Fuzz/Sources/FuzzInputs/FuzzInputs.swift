// libFuzzer target (b): front matter and input validation.
//
// The bytes, decoded lossily, are split at the first line that is exactly `===`: before it is
// the YAML between the `---` lines of a guide's front matter, after it a value. The guide is
// compiled, and the value (and each input's own example and default, as lint checks them) is
// validated against every input. With no `===` line, the value is the whole text and the front
// matter declares one input whose pattern is the first line, so patterns are fuzzed directly.
// BoundedRegex abandons a match after 0.5 s, so a slow pattern is not a hang here; a crash is a
// bug.
import Foundation
import FuzzDriver
import RunbookCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInputs(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  let text = String(decoding: data, as: UTF8.self)
  let yaml: String
  let value: String
  if let range = text.range(of: "\n===\n") {
    yaml = String(text[..<range.lowerBound])
    value = String(text[range.upperBound...])
  } else {
    let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    // A YAML single-quoted scalar: only `'` needs escaping (as `''`).
    let quoted = "'" + firstLine.replacingOccurrences(of: "'", with: "''") + "'"
    yaml = "title: Fuzz\ninputs:\n  value:\n    pattern: \(quoted)"
    value = text
  }
  let guide = "---\n" + yaml + "\n---\n# Fuzz\n\n## Go\n\n1. Use <value> and <other>.\n"
  let runbook = RunbookCompiler().compile(guide, file: "fuzz.md")
  let validator = InputValidator()
  var values: [String: String] = [:]
  for input in runbook.inputs {
    for candidate in [value, input.example, input.defaultValue].compactMap({ $0 }) {
      switch validator.validate(candidate, for: input) {
      case .valid(let stored): values[input.id] = stored
      case .invalid(let reason): _ = reason
      }
    }
  }
  let derived = DerivedValues(runbook)
  _ = derived.evaluate(values)
  for input in runbook.inputs { _ = derived.cycle(from: input.id) }
  _ = Linter().lint(runbook)
  return 0
}

@_cdecl("FuzzInputs_main")
public func fuzzInputsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
{
  runFuzzer(argc, argv, fuzzInputs)
}
