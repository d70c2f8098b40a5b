import Foundation
import RunbookCore
import RunbookEngine

/// Everything a run page shows, whether the run is driven here (from its ``LiveSnapshot``) or
/// only read (from the store): a plain value, rendered without touching the engine.
struct RunView: Sendable {
  var key: String
  var run: RunID
  var header: JournalHeader
  /// The guide, when it was found; without it the page lists the journal's steps.
  var runbook: Runbook?
  var state: RunState
  var lastSeq: Int
  /// Values to show, secrets masked.
  var values: [String: String]
  /// The prompt, only for the browser that drives the run.
  var prompt: Prompt?
  var pendingInputs: [Input] = []
  var finishWarning: String?
  /// Who drives it in this server.
  var driver: WebOperator?
  /// Who holds it in another process (a terminal).
  var holder: LockInfo?
  var busy: String?
  var output = ""
  /// Why the guide could not be found or compiled.
  var noGuide: String?

  /// A view of a run driven here.
  init(key: String, snapshot: LiveSnapshot, showPrompt: Bool) {
    self.key = key
    run = snapshot.run
    header = snapshot.header
    runbook = snapshot.runbook
    state = snapshot.state
    lastSeq = snapshot.lastSeq
    values = snapshot.values
    prompt = showPrompt && !snapshot.ended ? snapshot.prompt : nil
    pendingInputs = showPrompt ? snapshot.pendingInputs : []
    finishWarning = snapshot.finishWarning
    driver = snapshot.ended ? nil : snapshot.driver
    busy = snapshot.busy
    output = snapshot.output
  }

  /// A view of a run read from the store.
  init(
    key: String, run: RunID, contents: JournalContents, runbook: Runbook?, holder: LockInfo?, noGuide: String?
  ) {
    self.key = key
    self.run = run
    header = contents.header
    self.runbook = runbook
    state = RunState(header: contents.header, events: contents.events)
    lastSeq = contents.events.last?.seq ?? 0
    var shown = state.inputs.compactMapValues(\.value)
    if let runbook {
      shown.merge(DerivedValues(runbook).evaluate(shown)) { a, _ in a }
      for input in runbook.inputs where input.secret && state.inputs[input.id] != nil {
        shown[input.id] = SecretMasker.mask
      }
    }
    values = shown
    self.holder = holder
    self.noGuide = noGuide
  }

  var title: String { runbook?.title ?? header.runbook.title }
  var completed: Bool { state.completed != nil }

  /// The step the prompt is about.
  var currentStep: String? { prompt.flatMap(PromptKey.step) }
}
