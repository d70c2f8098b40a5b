import RunbookMarkdown

/// Compiles a Markdown guide into a ``Runbook``. It never throws and never stops at the first
/// problem: everything it finds wrong is a ``Diagnostic`` on the result.
public struct RunbookCompiler: Sendable {
  public init() {}

  /// Compiles guide text. `file` names the guide in diagnostics and gives the fallback id and title.
  public func compile(_ source: String, file: String) -> Runbook {
    var diagnostics = DiagnosticCollector(file: file)
    let (frontMatter, body, blankLines) = FrontMatter.split(source, &diagnostics)
    let document = Self.parse(body, blankLinesBefore: blankLines, &diagnostics)
    var builder = StepBuilder(
      converter: ContentConverter(diagnostics: diagnostics, documentLineCount: document.lineCount))
    // Each stage's input is consumed, so its memory is released as soon as the next stage has
    // what it needs: a large guide's peak memory is one stage's values, not all of them.
    let nodes = BlockGrouper.group((consume document).blocks, &builder.converter.diagnostics)
    let (parts, pageTitle) = Self.splitAtHeadings(consume nodes)
    let (intro, sections) = Self.buildSections(consume parts, &builder)
    var runbook = Self.runbook(
      file: file, frontMatter: frontMatter, pageTitle: pageTitle, intro: consume intro,
      sections: consume sections)
    var inputs = InputCollector(runbook: runbook)
    inputs.collect(&runbook)
    Self.extractPreconditions(&runbook)
    runbook.diagnostics = builder.converter.diagnostics.sorted
    return runbook
  }

  /// The guide's body parsed, with a warning where nesting was cut short.
  private static func parse(
    _ body: Substring, blankLinesBefore: Int, _ diagnostics: inout DiagnosticCollector
  ) -> MarkdownDocument {
    let document = MarkdownParser.parse(body, blankLinesBefore: blankLinesBefore)
    for at in document.depthLimitedAt {
      diagnostics.report(
        .warning, "nesting-too-deep", at: at,
        "lists or quotes are nested more than \(MarkdownParser.maximumDepth) deep here; the deeper content is kept as plain text"
      )
    }
    return document
  }

  /// A heading and the nodes up to the next one, before its steps are found.
  struct Part {
    var level: Int
    var inlines: [Inline]
    var slug: String
    var range: SourceRange
    var nodes: [Node] = []
  }

  /// Splits the top level at headings: the first part holds what comes before any heading.
  /// The first H1 (Markdown or HTML) is the page's title, never a section; its text is returned.
  /// A step pin right before a heading names the section.
  private static func splitAtHeadings(_ nodes: consuming [Node]) -> (parts: [Part], title: String?) {
    var parts = [Part(level: 0, inlines: [], slug: "", range: SourceRange(line: 1, column: 1))]
    var title: String?
    var slugger = Slugger()
    var titleTaken = false
    var pin: (id: String, at: SourceLocation)?
    func keepPin() {
      if let p = pin { parts[parts.count - 1].nodes.append(.pin(p.id, p.at)) }
      pin = nil
    }
    for node in nodes {
      switch node {
      case .block(.heading(let level, let inlines, let range)):
        if level == 1, !titleTaken {
          titleTaken = true
          title = inlines.plainText.trimmingSpaces()
          continue
        }
        let slug = pin?.id ?? slugger.unique(inlines.plainText.trimmingSpaces())
        pin = nil
        parts.append(Part(level: level, inlines: inlines, slug: slug, range: range))
      case .block(.html(let html, _)) where !titleTaken:
        if let h1 = HTMLScanner.heading1(in: html) {
          titleTaken = true
          title = h1
        }
        parts[parts.count - 1].nodes.append(node)
      case .pin(let id, let at):
        // Otherwise the pin is for the next step.
        keepPin()
        pin = (id, at)
      default:
        keepPin()
        parts[parts.count - 1].nodes.append(node)
      }
    }
    keepPin()
    return (parts, title)
  }

  /// Builds each part's steps, then nests the sections by heading level. Steps before the first
  /// heading become an untitled first section; the rest of that part is the runbook's intro.
  private static func buildSections(
    _ parts: consuming [Part], _ builder: inout StepBuilder
  ) -> (intro: [Content], sections: [Section]) {
    var built: [Section] = []
    for index in parts.indices {
      var part = Part(level: 0, inlines: [], slug: "", range: parts[index].range)
      swap(&part, &parts[index])  // its nodes are released once its section is built
      let result = builder.steps(part.nodes, StepBuilder.Scope(prefix: nil, sectionSlug: part.slug))
      built.append(
        Section(
          title: part.inlines.plainText.trimmingSpaces(), titleInlines: part.inlines,
          slug: part.slug, level: part.level, intro: result.before, steps: result.steps,
          closing: result.after, sections: [], range: part.range))
    }
    let root = built.removeFirst()
    var sections = nest(consume built)
    guard !root.steps.isEmpty else { return (root.intro + root.closing, sections) }
    sections.insert(
      Section(
        title: "", titleInlines: [], slug: "", level: 0, intro: [], steps: root.steps,
        closing: root.closing, sections: [], range: root.range), at: 0)
    return (root.intro, sections)
  }

  /// The runbook around its sections: id and title from the front matter, else from the page's
  /// first H1 and the file's name.
  private static func runbook(
    file: String, frontMatter: FrontMatter?, pageTitle: String?, intro: consuming [Content],
    sections: consuming [Section]
  ) -> Runbook {
    let baseName = PathName.deletingExtension(PathName.lastComponent(file))
    var title = frontMatter?.title?.trimmingSpacesAndNewlines()
    if title?.isEmpty ?? true { title = nil }
    // The sections are moved, not copied, into the runbook: the passes after this change them
    // in place, and a second reference would make each change copy the whole tree.
    return Runbook(
      file: file, id: frontMatter?.id ?? baseName, title: title ?? pageTitle ?? baseName,
      description: frontMatter?.description, preconditions: [], intro: intro,
      inputs: frontMatter?.inputs ?? [], sections: sections, diagnostics: [])
  }

  /// Nests a flat list of sections by heading level.
  static func nest(_ flat: [Section]) -> [Section] {
    var result: [Section] = []
    var stack: [Section] = []
    func pop() {
      let done = stack.removeLast()
      if stack.isEmpty { result.append(done) } else { stack[stack.count - 1].sections.append(done) }
    }
    for section in flat {
      while let top = stack.last, top.level >= section.level {
        _ = top
        pop()
      }
      stack.append(section)
    }
    while !stack.isEmpty { pop() }
    return result
  }

  /// Notes that come before the first step are what must hold before starting.
  static func extractPreconditions(_ runbook: inout Runbook) {
    var firstStep: SourceLocation?
    runbook.forEachStep { step in firstStep = min(firstStep ?? step.range.start, step.range.start) }
    func take(_ content: inout [Content], into notes: inout [Note]) {
      content.removeAll {
        if case .note(let note) = $0, firstStep.map({ note.range.start < $0 }) ?? true {
          notes.append(note)
          return true
        }
        return false
      }
    }
    var notes: [Note] = []
    take(&runbook.intro, into: &notes)
    func walk(_ sections: inout [Section]) {
      for i in sections.indices {
        take(&sections[i].intro, into: &notes)
        if sections[i].steps.isEmpty { take(&sections[i].closing, into: &notes) }
        walk(&sections[i].sections)
      }
    }
    walk(&runbook.sections)
    runbook.preconditions = notes.sorted { $0.range.start < $1.range.start }
  }
}
