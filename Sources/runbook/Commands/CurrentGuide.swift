import RunbookCore
import RunbookEngine

/// The guide at the path a run recorded, as it is now: compiled when it is still the runbook the
/// run follows, and the hash of its text when it can be read.
struct CurrentGuide: Sendable {
  var runbook: Runbook?
  var sha256: String?

  init(_ header: JournalHeader) {
    let path = header.runbook.path
    guard let text = try? GuideLoader.read(path) else { return }
    let compiled = RunbookCompiler().compile(text, file: path)
    runbook = compiled.id == header.runbook.id ? compiled : nil
    sha256 = StepFingerprint.sha256(text)
  }
}
