import RunbookMarkdown

/// Compiles a Markdown guide into a ``Runbook``. It never throws and never stops at the first
/// problem: everything it finds wrong is a ``Diagnostic`` on the result.
public struct RunbookCompiler: Sendable {
  public init() {}

  /// Compiles guide text. `file` names the guide in diagnostics and gives the fallback id and
  /// title; a name ending in `.mdx` reads the guide as MDX.
  public func compile(_ source: String, file: String) -> Runbook {
    var diagnostics = DiagnosticCollector(file: file)
    let (frontMatter, body, blankLines) = FrontMatter.split(source, &diagnostics)
    let document = Self.parse(body, blankLinesBefore: blankLines, &diagnostics)
    var converter = ContentConverter(diagnostics: diagnostics, documentLineCount: document.lineCount)
    converter.mdx = PathName.lastComponent(file).lowercased().hasSuffix(".mdx")
    var builder = StepBuilder(converter: converter)
    // Each stage's input is consumed, so its memory is released as soon as the next stage has
    // what it needs: a large guide's peak memory is one stage's values, not all of them.
    let nodes = BlockGrouper.group(
      (consume document).blocks, &builder.converter.diagnostics, mdx: builder.converter.mdx, topLevel: true)
    let (parts, pageTitle) = Self.splitAtHeadings(consume nodes)
    let (intro, sections) = Self.buildSections(consume parts, &builder)
    var runbook = Self.runbook(
      file: file, frontMatter: frontMatter, pageTitle: pageTitle, intro: consume intro,
      sections: consume sections)
    var choices = builder.choices
    AlternativeSections.mark(&runbook, &choices)
    var inputs = InputCollector(runbook: runbook, choices: choices)
    inputs.collect(&runbook)
    Preconditions.extract(&runbook)
    runbook.diagnostics = builder.converter.diagnostics.sorted
    return runbook
  }

  /// The guide's body parsed, with a warning where nesting (of blocks or of inline markup) was
  /// cut short.
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
    for at in document.inlineDepthLimitedAt {
      diagnostics.report(
        .warning, "nesting-too-deep", at: at,
        "emphasis, links or strikethrough are nested more than \(MarkdownParser.maximumDepth) deep here; the deeper text is kept without markup"
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
    var condition: Condition?
    var nodes: [Node] = []
  }

  /// Splits the top level at headings: the first part holds what comes before any heading.
  /// The first H1 (Markdown or HTML) is the page's title, never a section; its text is returned.
  /// A step pin right before a heading names the section, a condition right before it makes the
  /// section conditional. A numbered heading (`### 1. Verify …`) is a step, not a section: it
  /// stays in the nodes of the section around it, with the headings below it.
  private static func splitAtHeadings(_ nodes: consuming [Node]) -> (parts: [Part], title: String?) {
    var parts = [Part(level: 0, inlines: [], slug: "", range: SourceRange(line: 1, column: 1))]
    var title: String?
    var slugger = Slugger()
    var titleTaken = false
    var pin: (id: String, at: SourceLocation)?
    var condition: Condition?
    var stepHeadingLevel: Int?
    func keepPending() {
      if let p = pin { parts[parts.count - 1].nodes.append(.pin(p.id, p.at)) }
      if let c = condition { parts[parts.count - 1].nodes.append(.condition(c)) }
      pin = nil
      condition = nil
    }
    for node in nodes {
      switch node {
      case .block(.heading(let level, let inlines, let range)):
        if level == 1, !titleTaken {
          titleTaken = true
          title = inlines.plainText.trimmingSpaces()
          continue
        }
        if NumberedHeadingRecognizer.isStepHeading(inlines) || (stepHeadingLevel.map { level > $0 } ?? false)
        {
          if NumberedHeadingRecognizer.isStepHeading(inlines), stepHeadingLevel.map({ level <= $0 }) ?? true {
            stepHeadingLevel = level
          }
          keepPending()
          parts[parts.count - 1].nodes.append(node)
          continue
        }
        stepHeadingLevel = nil
        let slug = pin?.id ?? slugger.unique(inlines.plainText.trimmingSpaces())
        parts.append(Part(level: level, inlines: inlines, slug: slug, range: range, condition: condition))
        pin = nil
        condition = nil
      case .block(.html(let html, _)) where !titleTaken:
        if let h1 = HTMLScanner.heading1(in: html) {
          titleTaken = true
          title = h1
        }
        parts[parts.count - 1].nodes.append(node)
      case .pin(let id, let at):
        // Otherwise the pin is for the next step.
        if let p = pin { parts[parts.count - 1].nodes.append(.pin(p.id, p.at)) }
        pin = (id, at)
      case .condition(let c):
        if let old = condition { parts[parts.count - 1].nodes.append(.condition(old)) }
        condition = c
      default:
        keepPending()
        parts[parts.count - 1].nodes.append(node)
      }
    }
    keepPending()
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
      let title = part.inlines.plainText.trimmingSpaces()
      let result = builder.steps(
        part.nodes, StepBuilder.Scope(prefix: nil, sectionSlug: part.slug, sectionTitle: title))
      var section = Section(
        title: title, titleInlines: part.inlines, slug: part.slug, level: part.level, intro: result.before,
        steps: result.steps, closing: result.after, sections: [], range: part.range)
      section.condition = part.condition
      built.append(section)
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
}
