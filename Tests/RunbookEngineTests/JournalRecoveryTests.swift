import Foundation
import Testing

@testable import RunbookEngine

@Suite struct JournalRecoveryTests {
  /// The next event's line as the journal would write it, with its newline.
  private func nextLine(after path: String) throws -> [UInt8] {
    let contents = try Journal.read(at: path)
    var event = JournalFixture.event(contents.events.count)
    event.seq = contents.events.count + 1
    event.prev = JournalFixture.sha256(JournalFixture.lines(path)[contents.events.count])
    return JournalCoding.line(event, encoder: JournalCoding.makeEncoder())! + [0x0A]
  }

  private func tornFiles(in dir: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".torn-") }
  }

  @Test(
    "a bad last line is ignored by read and set aside by open",
    arguments: [("torn", false), ("garbled", true)])
  func badLastLine(_ name: String, _ terminated: Bool) throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 3)
    let good = JournalFixture.bytes(path)
    let line = try nextLine(after: path)
    let bad = terminated ? Array(#"{"seq":4,"at":"2026-#"#.utf8) + [0x0A] : Array(line[0..<(line.count / 2)])
    JournalFixture.appendBytes(bad, to: path)

    let contents = try Journal.read(at: path)
    #expect(contents.events.count == 3)
    #expect(contents.warnings.count == 1)
    #expect(contents.warnings.first?.hasPrefix("line 5 is ") == true)
    #expect(JournalFixture.bytes(path) == good + bad)
    #expect(tornFiles(in: dir).isEmpty)

    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    #expect(journal.events.count == 3)
    let torn = tornFiles(in: dir)
    #expect(torn.count == 1)
    let aside = dir.appendingPathComponent(torn.first ?? "").path
    #expect(journal.recovered == "line 5 was \(name) (a crash mid-write?) and was set aside in \(aside)")
    #expect(JournalFixture.bytes(aside) == bad)
    #expect(JournalFixture.bytes(path) == good)

    let next = try journal.append(JournalFixture.event(3))
    journal.close()
    #expect(next.seq == 4)
    #expect(JournalFixture.bytes(path) == good + line)
    #expect(Journal.verify(at: path).ok)
  }

  @Test func garbageInTheMiddleIsDamage() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 3)
    var lines = JournalFixture.lines(path)
    lines[2] = "garbage"
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    let before = JournalFixture.bytes(path)

    var thrown: StoreError?
    do {
      _ = try Journal.open(at: path, lock: JournalFixture.lock())
    } catch {
      thrown = error
    }
    #expect(thrown?.kind == .damaged(line: 3))
    #expect(
      thrown?.description == "\(path) is damaged at line 3; it was not changed. "
        + "Restore it from a backup or start a new state with --state")
    #expect(JournalFixture.kind { _ = try Journal.read(at: path) } == .damaged(line: 3))
    #expect(JournalFixture.bytes(path) == before)
    #expect(tornFiles(in: dir).isEmpty)
  }

  @Test func editedHashInTheLastLineIsDamageNotATornWrite() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 3)
    var lines = JournalFixture.lines(path)
    let prev = JournalFixture.sha256(lines[2])
    lines[3] = lines[3].replacingOccurrences(of: prev, with: String(repeating: "0", count: 64))
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    let before = JournalFixture.bytes(path)

    #expect(
      JournalFixture.kind { _ = try Journal.open(at: path, lock: JournalFixture.lock()) } == .damaged(line: 3)
    )
    #expect(JournalFixture.bytes(path) == before)
    #expect(tornFiles(in: dir).isEmpty)
  }

  @Test func removedLineIsDamage() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 3)
    var lines = JournalFixture.lines(path)
    lines.remove(at: 2)
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    #expect(JournalFixture.kind { _ = try Journal.read(at: path) } == .damaged(line: 3))
    let result = Journal.verify(at: path)
    #expect(!result.ok)
    #expect(
      result.problem == "line 3 has seq 3 where 2 was expected (a line was removed, added or reordered)")
  }
}
