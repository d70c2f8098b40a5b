import Dispatch
import Foundation
import RunbookMarkdown
import Synchronization

/// Compiles a Markdown guide into a ``Runbook``. It never throws and never stops at the first
/// problem: everything it finds wrong is a ``Diagnostic`` on the result.
public struct RunbookCompiler: Sendable {
  /// Guides at least this many bytes long build their sections on all cores.
  var parallelSize = 256 * 1024

  public init() {}

  /// Compiles guide text. `file` names the guide in diagnostics and gives the fallback id and title.
  public func compile(_ source: String, file: String) -> Runbook {
    var diagnostics = DiagnosticCollector(file: file)
    let (frontMatter, body, blankLines) = FrontMatter.split(source, &diagnostics)
    let document = MarkdownParser.parse(body, blankLinesBefore: blankLines)
    for at in document.depthLimitedAt {
      diagnostics.report(
        .warning, "nesting-too-deep", at: at,
        "lists or quotes are nested more than \(MarkdownParser.maximumDepth) deep here; the deeper content is kept as plain text"
      )
    }
    var builder = StepBuilder(
      converter: ContentConverter(diagnostics: diagnostics, documentLineCount: document.lineCount))
    // Each stage's input is consumed, so its memory is released as soon as the next stage has
    // what it needs: a large guide's peak memory is one stage's values, not all of them.
    let nodes = BlockGrouper.group(
      (consume document).blocks, &builder.converter.diagnostics, parallel: source.utf8.count >= parallelSize)

    let baseName = PathName.deletingExtension(PathName.lastComponent(file))
    var title = frontMatter?.title?.trimmingSpacesAndNewlines()
    if title?.isEmpty ?? true { title = nil }

    // Split the top level at headings. The first H1 is the page's title, never a section.
    var parts: [Part] = [Part(level: 0, inlines: [], slug: "", range: SourceRange(line: 1, column: 1))]
    var slugger = Slugger()
    var titleTaken = false
    var pin: (id: String, at: SourceLocation)?
    for node in consume nodes {
      switch node {
      case .block(.heading(let level, let inlines, let range)):
        if level == 1, !titleTaken {
          titleTaken = true
          if title == nil { title = inlines.plainText.trimmingSpaces() }
          continue
        }
        let text = inlines.plainText.trimmingSpaces()
        let slug = pin?.id ?? slugger.unique(text)
        pin = nil
        parts.append(Part(level: level, inlines: inlines, slug: slug, range: range))
      case .block(.html(let html, _)) where !titleTaken:
        if let h1 = HTMLScanner.heading1(in: html) {
          titleTaken = true
          if title == nil { title = h1 }
        }
        parts[parts.count - 1].nodes.append(node)
      case .pin(let id, let at):
        // A pin right before a heading names the section; otherwise it is for the next step.
        if let p = pin { parts[parts.count - 1].nodes.append(.pin(p.id, p.at)) }
        pin = (id, at)
      default:
        if let p = pin {
          parts[parts.count - 1].nodes.append(.pin(p.id, p.at))
          pin = nil
        }
        parts[parts.count - 1].nodes.append(node)
      }
    }
    if let p = pin { parts[parts.count - 1].nodes.append(.pin(p.id, p.at)) }

    // Build each part, then nest them by heading level.
    var built: [Section] = []
    // Releasing a large guide's source nodes takes a while (12 ms for 5 MiB): it is done on
    // another core while the runbook is finished here, and waited for before returning.
    let release = DispatchGroup()
    if source.utf8.count >= parallelSize, parts.count > 1,
      let sections = Self.buildInParallel(parts, &builder)
    {
      built = sections
      DispatchQueue.global().async(group: release) { [released = consume parts] in _ = released }
      parts = []
    } else {
      for index in parts.indices {
        var part = Part(level: 0, inlines: [], slug: "", range: parts[index].range)
        swap(&part, &parts[index])  // its nodes are released once its section is built
        built.append(Self.build(consume part, &builder))
      }
    }
    parts = []
    let root = built.removeFirst()
    var sections = Self.nest(consume built)
    var intro = root.intro + root.closing
    if !root.steps.isEmpty {
      sections.insert(
        Section(
          title: "", titleInlines: [], slug: "", level: 0, intro: [], steps: root.steps,
          closing: root.closing,
          sections: [], range: root.range), at: 0)
      intro = root.intro
    }
    _ = consume root

    // The sections are moved, not copied, into the runbook: the passes below change them in
    // place, and a second reference would make each change copy the whole tree (+2× the input
    // in peak memory on a large guide).
    var runbook = Runbook(
      file: file, id: frontMatter?.id ?? baseName, title: title ?? baseName,
      description: frontMatter?.description, preconditions: [], intro: consume intro,
      inputs: frontMatter?.inputs ?? [], sections: consume sections, diagnostics: [])
    var inputs = InputCollector(runbook: runbook)
    inputs.collect(&runbook)
    Self.extractPreconditions(&runbook)
    runbook.diagnostics = builder.converter.diagnostics.sorted
    release.wait()
    return runbook
  }

  /// A heading and the nodes up to the next one, before its steps are found.
  struct Part: Sendable {
    var level: Int
    var inlines: [Inline]
    var slug: String
    var range: SourceRange
    var nodes: [Node] = []
  }

  static func build(_ part: Part, _ builder: inout StepBuilder) -> Section {
    let result = builder.steps(part.nodes, StepBuilder.Scope(prefix: nil, sectionSlug: part.slug))
    return Section(
      title: part.inlines.plainText.trimmingSpaces(), titleInlines: part.inlines,
      slug: part.slug, level: part.level, intro: result.before, steps: result.steps,
      closing: result.after, sections: [], range: part.range)
  }

  /// Builds the parts on all cores, each with a builder of its own, and merges the builders'
  /// ids and diagnostics in document order. Parts share nothing but the step ids, which must
  /// be unique across the runbook: when no id was touched (taken or checked) by two parts, no
  /// part's choice of ids could depend on another's, so the result is the one building in
  /// order gives. Otherwise (an id pinned in two sections, say) nil: build them in order.
  static func buildInParallel(_ parts: [Part], _ builder: inout StepBuilder) -> [Section]? {
    let template = builder
    let results = Mutex<[(Section, StepBuilder)?]>(Array(repeating: nil, count: parts.count))
    DispatchQueue.concurrentPerform(iterations: parts.count) { index in
      var own = template
      own.usedIDs = []
      own.converter.diagnostics = DiagnosticCollector(file: template.converter.diagnostics.file)
      let section = build(parts[index], &own)
      results.withLock { $0[index] = (section, own) }
    }
    let built = results.withLock { $0.map { $0! } }
    guard idsAreDisjoint(built.map(\.1.usedIDs)) else { return nil }
    // Only the diagnostics are merged: nothing is built with `builder` after the parts.
    for (_, own) in built {
      builder.converter.diagnostics.append(contentsOf: own.converter.diagnostics)
    }
    return built.map(\.0)
  }

  /// True when no id is in two of the sets. Checked on all cores, each taking the ids of some
  /// buckets (by length and last byte, which costs nothing to find); one set of all ids built
  /// on one core cost 11 ms for a 5 MiB guide's 15,000 ids.
  static func idsAreDisjoint(_ sets: [Set<String>]) -> Bool {
    let buckets = 4
    let clash = Mutex(false)
    DispatchQueue.concurrentPerform(iterations: buckets) { bucket in
      var seen = Set<String>()
      for set in sets {
        for id in set where (Int(id.utf8.last ?? 0) &+ id.utf8.count) % buckets == bucket {
          guard seen.insert(id).inserted else {
            clash.withLock { $0 = true }
            return
          }
        }
      }
    }
    return !clash.withLock { $0 }
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
