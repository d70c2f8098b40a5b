// libFuzzer target (a): any bytes as a guide.
//
// The bytes go through GuideLoader.decode (the check `show` and `lint` apply to a file) and,
// whatever it decides, are also compiled as lossily decoded text, so that binary and invalid
// UTF-8 input still reaches the compiler. Then everything `show`, `show --json` and `lint` do
// with a guide runs on the result. Any crash, trap or hang is a bug.
import Foundation
import FuzzDriver
import RunbookCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompiler(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  let text: String
  do {
    text = try GuideLoader.decode(data, path: "fuzz.md")
  } catch {
    _ = error.description
    text = String(decoding: data, as: UTF8.self)
  }
  let runbook = RunbookCompiler().compile(text, file: "guides/fuzz.md")
  let diagnostics = Linter().lint(runbook)
  for diagnostic in diagnostics { _ = diagnostic.formatted }
  _ = RunbookJSON.encode(runbook)
  let outline = RunbookOutline.render(runbook)
  _ = Sanitizer.html(outline)
  _ = RunbookDump.render(runbook)
  let values = Dictionary(runbook.inputs.map { ($0.id, "v") }, uniquingKeysWith: { a, _ in a })
  _ = DerivedValues(runbook).evaluate(values)
  for input in runbook.inputs where input.isDerived { _ = DerivedValues(runbook).cycle(from: input.id) }
  return 0
}

@_cdecl("FuzzCompiler_main")
public func fuzzCompilerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runFuzzer(argc, argv, fuzzCompiler)
}
