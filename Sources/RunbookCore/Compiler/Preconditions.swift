import Foundation
import RunbookMarkdown

/// What must hold before starting: the bullets and notes of the guide's own prerequisites
/// section (`## Prerequisites`, `## Before you begin`, `## Requirements`, `## What you need`…),
/// and notes before the first heading titled that way (`:::info Before you start`). Numbered
/// lists in such a section stay steps (they are things to do); notes anywhere else stay where
/// they are written.
enum Preconditions {
  static let heading = try! NSRegularExpression(
    pattern:
      #"^\s*(pre-?requisites?|requirements|before (you )?(begin|start)|what (you('ll| will)? )?need|you('ll| will) need)\b"#,
    options: [.caseInsensitive])

  /// True for a title that names a prerequisites section.
  static func isPrerequisites(_ title: String) -> Bool {
    heading.firstMatch(in: title, range: NSRange(title.startIndex..., in: title)) != nil
  }

  static func extract(_ runbook: inout Runbook) {
    var notes: [Note] = []
    runbook.intro.removeAll {
      guard case .note(let note) = $0, let title = note.title, isPrerequisites(title) else { return false }
      notes.append(note)
      return true
    }
    func walk(_ sections: inout [Section]) {
      for index in sections.indices {
        if !sections[index].title.isEmpty, isPrerequisites(sections[index].title) {
          sections[index].isPrerequisites = true
          take(&sections[index].intro, into: &notes)
          take(&sections[index].closing, into: &notes)
        }
        walk(&sections[index].sections)
      }
    }
    walk(&runbook.sections)
    runbook.preconditions = notes.sorted { $0.range.start < $1.range.start }
  }

  /// Takes the notes and the items of bullet lists out of a prerequisites section's content.
  static func take(_ content: inout [Content], into notes: inout [Note]) {
    var kept: [Content] = []
    for item in content {
      switch item {
      case .note(let note):
        notes.append(note)
      case .list(let list) where !list.ordered:
        for (index, entry) in list.items.enumerated() where !entry.isEmpty {
          // The first item starts where the list does (at its marker), so the list is covered.
          let start = index == 0 ? list.range.start : entry[0].range.start
          let end = entry[entry.count - 1].range.end
          notes.append(
            Note(kind: "prerequisite", title: nil, content: entry, range: SourceRange(start: start, end: end))
          )
        }
      default:
        kept.append(item)
      }
    }
    content = kept
  }
}
