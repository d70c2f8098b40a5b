import Foundation
import Mustache

/// The formats a report is rendered in.
public enum ReportFormat: String, CaseIterable, Sendable {
  case markdown, html, json

  /// `md`, `html` or `json`.
  public var fileExtension: String {
    switch self {
    case .markdown: return "md"
    case .html: return "html"
    case .json: return "json"
    }
  }
}

/// A `--template` that is not valid Mustache.
public struct ReportTemplateError: Error, CustomStringConvertible, Sendable {
  public var line: Int
  public var column: Int
  public var description: String
}

extension Report {
  /// The report in one of the built-in formats.
  public func render(_ format: ReportFormat) -> String {
    switch format {
    case .markdown: return markdown()
    case .html: return html()
    case .json: return json()
    }
  }

  /// The report in each of `formats`, in that order; the template context is built once.
  public func render(_ formats: [ReportFormat]) -> [String] {
    var context: [String: Any]?
    return formats.map { format in
      switch format {
      case .markdown, .html:
        let made = context ?? ReportContext.make(self)
        context = made
        return Self.finish(
          (format == .markdown ? ReportTemplates.compiledMarkdown : ReportTemplates.compiledHTML).render(made)
        )
      case .json: return json()
      }
    }
  }

  /// Markdown for GitHub and Jira: headings, lists, tables and fenced code, no raw HTML.
  public func markdown() -> String { render([.markdown])[0] }

  /// One self-contained HTML file: inline CSS, no scripts, nothing loaded from anywhere.
  public func html() -> String { render([.html])[0] }

  /// The report rendered with a Mustache template (the context is in docs/report.md).
  /// `{{x}}` escapes for HTML unless the template sets `{{% CONTENT_TYPE: MARKDOWN}}` or
  /// `{{% CONTENT_TYPE: TEXT}}`; `{{{x}}}` inserts the text as it is.
  public func render(template: String) throws(ReportTemplateError) -> String {
    try ReportTemplates.compile(template).render(ReportContext.make(self))
  }

  /// Ends the text with exactly one newline.
  private static func finish(_ text: String) -> String {
    var out = text
    while out.hasSuffix("\n") { out.removeLast() }
    return out + "\n"
  }
}
