import Foundation
import RunbookMarkdown

/// Finds sections the guide offers as alternatives and makes them a choice: the admin follows
/// one, and the others do not apply. Two ways of offering them are recognised:
/// - a sentence that offers a choice ("using one of the following ways:", "either … or") whose
///   links (in the sentence, or in the list right after it) point at two or more headings of
///   the guide;
/// - two or more sibling headings that start with `Option`, `Method` or `Alternative`
///   (`### Option A: Docker`, `### Option B: Kubernetes`).
enum AlternativeSections {
  static let wording = try! NSRegularExpression(
    pattern:
      #"\bone of the (following|below|these)\b|\bone of these\b|\beither\b|\bchoose (one|between)\b|\bselect one\b"#,
    options: [.caseInsensitive])
  static let optionTitle = try! NSRegularExpression(
    pattern: #"^(option|method|alternative|approach)\s+[A-Za-z0-9]{1,3}\b"#, options: [.caseInsensitive])

  static func mark(_ runbook: inout Runbook, _ choices: inout [Choice]) {
    var titles: [String: String] = [:]
    for section in runbook.allSections where !section.slug.isEmpty { titles[section.slug] = section.title }
    guard titles.count >= 2 else { return }
    var marks: [String: Condition] = [:]

    func offer(_ targets: [String], container: String, title: String, at location: SourceLocation) {
      let unmarked = targets.filter { marks[$0] == nil }
      guard unmarked.count >= 2 else { return }
      var id = Placeholder.normalize((container.isEmpty ? "guide" : container) + "-option")
      var n = 2
      while choices.contains(where: { $0.id == id }) {
        id = Placeholder.normalize((container.isEmpty ? "guide" : container) + "-option-\(n)")
        n += 1
      }
      choices.append(
        Choice(
          id: id, label: "\(title): which one do you follow?",
          options: unmarked.map { Choice.Option(value: $0, label: titles[$0] ?? $0) }, location: location))
      for target in unmarked { marks[target] = Condition(input: id, values: [target], location: location) }
    }

    func offers(in content: [Content], container: String, title: String) {
      for (index, item) in content.enumerated() {
        guard case .paragraph(let inlines, let range) = item else { continue }
        var destinations = inlines.linkDestinations
        if index + 1 < content.count, case .list(let list) = content[index + 1] {
          for entry in list.items {
            entry.walk { if case .paragraph(let i, _) = $0 { destinations += i.linkDestinations } }
          }
        }
        // Most paragraphs link to no heading of the guide: read the wording only when they do.
        guard destinations.contains(where: { $0.hasPrefix("#") }), matches(wording, inlines.plainText) else {
          continue
        }
        var targets: [String] = []
        for destination in destinations where destination.hasPrefix("#") {
          let slug = String(destination.dropFirst()).lowercased()
          if titles[slug] != nil, slug != container, !targets.contains(slug) { targets.append(slug) }
        }
        offer(targets, container: container, title: title, at: range.start)
      }
    }
    offers(in: runbook.intro, container: "", title: runbook.title)
    for section in runbook.allSections {
      offers(in: section.intro + section.closing, container: section.slug, title: section.title)
    }

    func optionHeadings(_ sections: [Section], container: String, title: String) {
      let options = sections.filter { matches(optionTitle, $0.title) }
      if options.count >= 2 {
        offer(options.map(\.slug), container: container, title: title, at: options[0].range.start)
      }
      for section in sections {
        optionHeadings(section.sections, container: section.slug, title: section.title)
      }
    }
    optionHeadings(runbook.sections, container: "", title: runbook.title)

    func apply(_ sections: inout [Section]) {
      for index in sections.indices {
        if sections[index].condition == nil, let condition = marks[sections[index].slug] {
          sections[index].condition = condition
        }
        apply(&sections[index].sections)
      }
    }
    if !marks.isEmpty { apply(&runbook.sections) }
  }

  static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
    regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }
}

extension Array where Element == Inline {
  /// The destinations of the links in the inlines, in order.
  var linkDestinations: [String] {
    var out: [String] = []
    for inline in self {
      if case .link(let destination, _, _, _) = inline { out.append(destination) }
      out += inline.children.linkDestinations
    }
    return out
  }
}
