import Foundation
import Testing

@testable import RunbookEngine

@Suite struct JournalVerifyTests {
  @Test func cleanFileVerifies() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 5)
    let result = Journal.verify(at: path)
    #expect(result.ok)
    #expect(result.events == 5)
    #expect(result.problem == nil)
    #expect(result.chainHead == JournalFixture.sha256(JournalFixture.lines(path)[5]))
  }

  @Test func editedMiddleLineIsReported() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 8)
    var lines = JournalFixture.lines(path)
    // Line 7 holds event 6, whose value is "eu-5"; change one character.
    #expect(lines[6].contains(#""value":"eu-5""#))
    lines[6] = lines[6].replacingOccurrences(of: #""value":"eu-5""#, with: #""value":"eu-6""#)
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    let before = JournalFixture.bytes(path)

    let result = Journal.verify(at: path)
    #expect(!result.ok)
    #expect(result.problem == "line 7 was altered (line 8 records a different hash)")
    #expect(result.chainHead == nil)
    #expect(result.events == 5)
    #expect(JournalFixture.kind { _ = try Journal.read(at: path) } == .damaged(line: 7))
    #expect(JournalFixture.bytes(path) == before)
  }

  @Test func editedHeaderIsReported() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 2)
    var lines = JournalFixture.lines(path)
    lines[0] = lines[0].replacingOccurrences(of: #""title":"Deploy""#, with: #""title":"Deplot""#)
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    #expect(Journal.verify(at: path).problem == "line 1 was altered (line 2 records a different hash)")
  }

  @Test func tornLastLineIsAWarningNotAProblem() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 2)
    let head = JournalFixture.sha256(JournalFixture.lines(path)[2])
    JournalFixture.appendBytes(Array(#"{"at":"#.utf8), to: path)
    let result = Journal.verify(at: path)
    #expect(result.ok)
    #expect(result.chainHead == head)
    #expect(result.warnings.count == 1)
  }

  @Test func notAStateFileIsAProblem() {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("x.jsonl").path
    JournalFixture.write(Array("hello\n".utf8), to: path)
    let result = Journal.verify(at: path)
    #expect(!result.ok)
    #expect(result.problem == "\(path) is not a runbook state file")
  }
}
