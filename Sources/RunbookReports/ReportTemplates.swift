import Mustache

/// The built-in templates, compiled into the binary. They use the same context as
/// `runbook report --template` (docs/report.md), so either is a starting point for a team's own.
public enum ReportTemplates {
  /// Registers the `MARKDOWN` content type, and scalar-wise escaping under `HTML`, before any
  /// template is parsed.
  private static let registration: Void = {
    MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
    MustacheContentTypes.register(ScalarHTMLContentType(), named: "HTML")
  }()

  /// Put before every template: swift-mustache's default content type (used when a template
  /// names none) escapes by `Character`; this makes the default the scalar-wise `HTML`. A
  /// template's own `{{% CONTENT_TYPE: … }}` still applies from where it stands. A line of its
  /// own (a standalone tag leaves nothing in the output), so error lines are one less.
  private static let defaultContentType = "{{% CONTENT_TYPE: HTML}}\n"

  /// Parses a template, turning a syntax error into one sentence with its line and column.
  static func compile(_ text: String) throws(ReportTemplateError) -> MustacheTemplate {
    _ = registration
    do {
      return try MustacheTemplate(string: defaultContentType + text)
    } catch let error as MustacheTemplate.ParserError {
      let why: String
      switch error.error as? MustacheTemplate.Error {
      case .sectionCloseNameIncorrect?: why = "a section is closed with another name than it was opened with"
      case .unfinishedName?: why = "a tag is not closed with }}"
      case .expectedSectionEnd?: why = "a section is not closed"
      case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?:
        why =
          "unknown pragma; use {{% CONTENT_TYPE: HTML}}, {{% CONTENT_TYPE: MARKDOWN}} or {{% CONTENT_TYPE: TEXT}}"
      case .invalidSetDelimiter?: why = "the set-delimiter tag is malformed"
      default: why = "the template is not valid Mustache (\(error.error))"
      }
      let line = error.context.lineNumber - 1
      let column = error.context.columnNumber
      throw ReportTemplateError(
        line: line, column: column, description: "line \(line), column \(column): \(why)")
    } catch {
      throw ReportTemplateError(
        line: 0, column: 0, description: "the template is not valid Mustache (\(error))")
    }
  }

  static let compiledMarkdown: MustacheTemplate = {
    do { return try compile(markdown) } catch {
      preconditionFailure("the built-in Markdown template: \(error)")
    }
  }()

  static let compiledHTML: MustacheTemplate = {
    do { return try compile(html) } catch { preconditionFailure("the built-in HTML template: \(error)") }
  }()

  /// The built-in Markdown template.
  public static let markdown = #"""
    {{% CONTENT_TYPE: MARKDOWN}}
    # {{title}}

    **Outcome: {{outcome}}** · {{progress.done}} done, {{progress.skipped}} skipped, {{progress.failed}} failed, {{progress.pending}} pending of {{progress.total}} steps ({{progress.percent}}% finished){{#progress.hasPages}} · {{progress.pagesRead}} of {{progress.pages}} reading pages read{{/progress.hasPages}}

    - **Runbook:** {{runbook.path}} (id {{runbook.id}})
    - **Runbook SHA-256 followed:** {{runbook.sha256}}
    - **State file:** {{statePath}}
    {{#started}}
    - **Started:** {{started}}
    {{/started}}
    {{#finished}}
    - **Finished:** {{finished}}
    - **Duration:** {{duration}}
    {{/finished}}
    {{^finished}}
    {{#lastActivity}}
    - **Last activity:** {{lastActivity}}
    - **Elapsed so far:** {{duration}}
    {{/lastActivity}}
    {{/finished}}
    - **Operators:** {{operatorList}}
    - **Journal chain head:** {{integrity.chainHead}} ({{#integrity.verified}}verified{{/integrity.verified}}{{^integrity.verified}}**NOT verified**{{/integrity.verified}})
    {{#journalOnly}}

    > **Note:** the runbook was not found at {{runbook.path}}, so this report is built from the state file alone: steps are listed by id and the runbook's tables are left out.
    {{/journalOnly}}
    {{#runbook.changed}}

    > **Note:** the runbook has changed since the run followed it (it now has SHA-256 {{runbook.currentSha256}}); step titles and tables are from the current version.
    {{/runbook.changed}}
    {{#hasExceptions}}

    ## Exceptions

    The run completed, but went on past these failures:

    {{#exceptions}}
    - {{.}}
    {{/exceptions}}
    {{/hasExceptions}}
    {{#hasTimeline}}

    ## Timeline

    {{#timelineLines}}
    - {{.}}
    {{/timelineLines}}
    {{/hasTimeline}}
    {{#remaining}}

    ## What is left

    {{#hasSteps}}
    | # | Step | Status | Reason |
    |---|---|---|---|
    {{#steps}}
    | {{label}} | {{title}} | {{status}} | {{reason}} |
    {{/steps}}

    {{/hasSteps}}
    {{#hasMissingInputs}}
    Inputs still needed:

    {{#missingInputs}}
    - {{label}} ({{id}})
    {{/missingInputs}}

    {{/hasMissingInputs}}
    {{#hasFailedChecks}}
    Failed checks:

    {{#failedChecks}}
    **Step {{stepLabel}}**{{#stepTitle}} ({{stepTitle}}){{/stepTitle}}, {{at}}, {{by}}: {{#reason}}{{reason}}{{/reason}}{{^reason}}failed{{/reason}}

    {{{codeblock(command)}}}

    {{#hasOutput}}
    {{{codeblock(output)}}}

    {{/hasOutput}}
    {{/failedChecks}}
    {{/hasFailedChecks}}
    To resume:

    {{{codeblock(resumeCommand)}}}
    {{/remaining}}

    ## Steps

    {{#hasSteps}}
    | # | Step | Status | By | When | Time taken | Reason and notes |
    |---|---|---|---|---|---|---|
    {{#steps}}
    | {{label}} | {{title}} | {{status}} | {{by}} | {{at}} | {{duration}} | {{reason}}{{#notes}}{{#reason}} · {{/reason}}Note: {{.}}{{^last()}} · {{/last()}}{{/notes}} |
    {{/steps}}
    {{/hasSteps}}
    {{^hasSteps}}
    The runbook has no steps.
    {{/hasSteps}}

    ## Inputs

    {{#hasInputs}}
    | Input | Id | Value | Given by |
    |---|---|---|---|
    {{#inputs}}
    | {{label}} | {{id}} | {{#provided}}{{value}}{{/provided}}{{^provided}}_not given_{{/provided}}{{#derived}} (derived){{/derived}}{{#changed}} (changed; earlier: {{#earlier}}{{value}} by {{by}} at {{at}}; {{/earlier}}){{/changed}} | {{by}} |
    {{/inputs}}
    {{/hasInputs}}
    {{^hasInputs}}
    No inputs.
    {{/hasInputs}}
    {{#hasTables}}

    ## Tables, with the values filled in
    {{#tables}}

    ### {{location}}

    |{{#header}} {{.}} |{{/header}}
    |{{#header}}---|{{/header}}
    {{#rows}}
    |{{#cells}} {{.}} |{{/cells}}
    {{/rows}}
    {{/tables}}
    {{/hasTables}}

    ## Checks and commands

    {{#hasRan}}
    {{#ran}}
    ### {{number}}. {{kind}} in step {{stepLabel}}: {{result}}

    {{#stepTitle}}{{stepTitle}} · {{/stepTitle}}{{#exitStatus}}exit status {{exitStatus}}{{/exitStatus}}{{^exitStatus}}no exit status{{/exitStatus}}{{#duration}} · {{duration}}{{/duration}} · {{by}} · {{at}}{{#reason}} · {{reason}}{{/reason}}

    {{{codeblock(command)}}}

    {{#hasOutput}}
    Output{{#truncated}} (last {{outputLines}} lines){{/truncated}}:

    {{{codeblock(output)}}}

    {{/hasOutput}}
    {{/ran}}
    {{/hasRan}}
    {{^hasRan}}
    No checks or commands ran.

    {{/hasRan}}
    {{#hasNotes}}
    ## Notes

    {{#notes}}
    - {{at}}, {{by}}{{#stepLabel}}, step {{stepLabel}}{{/stepLabel}}: {{text}}
    {{/notes}}

    {{/hasNotes}}
    ## Tamper evidence

    - **Chain head:** {{integrity.chainHead}}
    {{#integrity.verified}}
    - **Hash chain:** verified ({{integrity.events}} events)
    {{/integrity.verified}}
    {{^integrity.verified}}
    - **Hash chain:** **NOT verified**: {{integrity.problem}}
    {{/integrity.verified}}
    {{#integrity.warnings}}
    - **Warning:** {{.}}
    {{/integrity.warnings}}

    Each line of the state file records the SHA-256 of the line before it, so changing, removing or reordering any line but the last breaks the chain; `runbook verify` names the line. The chain head (the SHA-256 of the last line) vouches for the last line only if it is kept somewhere else: record it in the ticket.
    {{#hasWarnings}}

    ## Warnings

    {{#warnings}}
    - {{.}}
    {{/warnings}}
    {{/hasWarnings}}
    """#
}
