import RunbookEngine

/// A short stable name for a prompt, carried by each form and API answer so that an answer
/// meant for one prompt is never taken as the answer to another.
enum PromptKey {
  static func of(_ prompt: Prompt) -> String {
    switch prompt {
    case .precondition(_, let index, _): return "precondition:\(index)"
    case .input(let input, _, _): return "input:\(input.id)"
    case .confirmRow(let step, let table, _, _, _): return "rows:\(step.id):\(table)"
    case .command(let step, let index, _): return "command:\(step.id):\(index)"
    case .check(let step, let index, _): return "check:\(step.id):\(index)"
    case .checkFailed(let step, let index, _): return "check-failed:\(step.id):\(index)"
    case .finishStep(let step): return "finish:\(step.id)"
    case .readPage(let unit): return "page:\(unit.id)"
    case .finished: return "finished"
    }
  }

  /// The prompt's kind, for the API.
  static func kind(_ prompt: Prompt) -> String {
    switch prompt {
    case .precondition: return "precondition"
    case .input: return "input"
    case .confirmRow: return "confirm-row"
    case .command: return "command"
    case .check: return "check"
    case .checkFailed: return "check-failed"
    case .finishStep: return "finish-step"
    case .readPage: return "read-page"
    case .finished: return "finished"
    }
  }

  /// The reading page a prompt is about.
  static func page(_ prompt: Prompt) -> String? {
    if case .readPage(let unit) = prompt { return unit.id }
    return nil
  }

  /// The step a prompt is about.
  static func step(_ prompt: Prompt) -> String? {
    switch prompt {
    case .input(_, let step, _): return step?.id
    case .confirmRow(let step, _, _, _, _), .command(let step, _, _), .check(let step, _, _),
      .checkFailed(let step, _, _), .finishStep(let step):
      return step.id
    case .precondition, .readPage, .finished: return nil
    }
  }
}
