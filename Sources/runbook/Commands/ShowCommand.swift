import ArgumentParser
import RunbookCore

/// `runbook show FILE`: how the engine reads a guide.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show how the engine reads a guide: title, preconditions, inputs, sections and steps.",
    discussion: "With --json, print the compiled model (schema: docs/show-json.md)."
  )

  @Flag(name: .long, help: "Print the compiled runbook as JSON.")
  var json = false

  @Argument(help: "The Markdown guide (.md or .mdx).")
  var file: String

  func run() throws {
    let text: String
    do {
      text = try GuideLoader.read(file)
    } catch {
      throw CommandFailure(error.description)
    }
    let runbook = RunbookCompiler().compile(text, file: file)
    StandardStreams.output(json ? RunbookJSON.encode(runbook) + "\n" : RunbookOutline.render(runbook))
  }
}
