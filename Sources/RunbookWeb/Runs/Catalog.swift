import Foundation
import RunbookCore
import RunbookEngine
import Synchronization

/// The runbooks found in the served folders, each compiled and linted once per version of its
/// file (size and modification time), and the runs of the store with their summaries.
final class Catalog: Sendable {
  /// A guide as the dashboard lists it.
  struct Guide: Sendable {
    var path: String
    var runbook: Runbook?
    var sha256: String
    var diagnostics: [Diagnostic]
    /// Why the guide cannot be read, when it cannot.
    var failure: String?

    var errors: Int { diagnostics.filter { $0.severity == .error }.count }
    var runnable: Bool { runbook != nil && errors == 0 }
  }

  /// A run as the dashboard lists it.
  struct RunEntry: Sendable {
    var run: RunID
    var summary: RunSummary?
    var failure: String?
  }

  private let findGuides: @Sendable () -> [String]
  private let cache = Mutex<[String: (stamp: String, guide: Guide)]>([:])

  init(findGuides: @escaping @Sendable () -> [String]) {
    self.findGuides = findGuides
  }

  /// Every guide found now, in the finder's order. Blocking: call through ``Blocking``.
  func guides() -> [Guide] {
    findGuides().map(guide(at:))
  }

  /// True when `path` is one of the guides found now.
  func contains(_ path: String) -> Bool { findGuides().contains(path) }

  /// A guide, compiled and linted (from the cache when its file did not change).
  func guide(at path: String) -> Guide {
    let stamp = Self.stamp(path)
    if let cached = cache.withLock({ $0[path] }), cached.stamp == stamp { return cached.guide }
    let guide: Guide
    do {
      let text = try GuideLoader.read(path)
      let runbook = RunbookCompiler().compile(text, file: path)
      guide = Guide(
        path: path, runbook: runbook, sha256: StepFingerprint.sha256(text),
        diagnostics: Linter().lint(runbook))
    } catch {
      guide = Guide(path: path, runbook: nil, sha256: "", diagnostics: [], failure: error.description)
    }
    cache.withLock { $0[path] = (stamp, guide) }
    return guide
  }

  private static func stamp(_ path: String) -> String {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "" }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
    let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    return "\(size)/\(modified)"
  }

  /// Every run of the store with its summary, most recent activity first. Blocking.
  func runs(in store: any RunStore, guideFor: (RunID, String) -> String?) -> [RunEntry] {
    let ids = (try? store.list()) ?? []
    var entries: [RunEntry] = []
    for run in ids {
      do {
        let contents = try store.read(run)
        let path = guideFor(run, contents.header.runbook.path)
        let guide = path.map(guide(at:))
        let summary = RunSummary(
          statePath: run.rawValue, header: contents.header, events: contents.events,
          warnings: contents.warnings,
          runbook: guide?.runbook, currentSHA256: guide?.sha256)
        entries.append(RunEntry(run: run, summary: summary))
      } catch {
        entries.append(RunEntry(run: run, summary: nil, failure: error.description))
      }
    }
    return entries.sorted {
      ($0.summary?.lastActivity ?? .distantPast) > ($1.summary?.lastActivity ?? .distantPast)
    }
  }
}
