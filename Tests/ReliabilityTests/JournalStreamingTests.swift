import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `status` and `report` read a journal in pieces, event by event (issue 18: a 200 MB journal
/// took 55 s and 2 GB). The piecewise reader must say exactly what reading the whole file says:
/// the same events, chain head, torn or garbled last line, and the same error at the same line,
/// wherever the pieces are cut.
@Suite struct JournalStreamingTests {
  /// A journal written through the real API: inputs, commands with output, notes.
  static func journal(_ w: Workspace, events: Int) throws -> String {
    let path = w.path + "/j.state.jsonl"
    let header = JournalHeader(
      runbook: .init(path: "g.md", id: "g", title: "G", sha256: String(repeating: "ab", count: 32)),
      steps: [.init(id: "s/1", fingerprint: "f")], created: Date(timeIntervalSince1970: 1_790_000_000),
      operator: "alice")
    let journal = try Journal.create(
      at: path, header: header, lock: LockInfo(operator: "t", pid: 1, host: "h", since: Date()))
    for i in 0..<events {
      let at = Date(timeIntervalSince1970: 1_790_000_000 + Double(i))
      switch i % 3 {
      case 0:
        try journal.append(
          Event(type: .input, at: at, operator: "alice", input: "v\(i)", value: "é\(i)\n\"x\""))
      case 1:
        try journal.append(
          Event(
            type: .command, at: at, operator: "bob", step: "s/1", index: 0, text: "echo \(i)", status: 0,
            output: String(repeating: "line \(i)\n", count: i % 7)))
      default:
        try journal.append(Event(type: .note, at: at, operator: "alice", step: "s/1", text: "note \(i) ✓"))
      }
    }
    journal.close()
    return path
  }

  struct Outcome: Equatable {
    var header: JournalHeader?
    var events: [Event]
    var chainHead: String?
    var goodLength: Int?
    var tail: String?
    var error: String?
  }

  static func whole(_ path: String) -> Outcome {
    let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
    do throws(JournalParser.Failure) {
      let parsed = try JournalParser(path: path).parse(bytes)
      return Outcome(
        header: parsed.header, events: parsed.events, chainHead: parsed.chainHead,
        goodLength: parsed.goodLength, tail: parsed.tail.map { "\($0.line) \($0.torn) \(Array($0.bytes))" })
    } catch {
      return Outcome(
        events: [], error: "\(error.error.description) | \(error.problem ?? "") | \(error.checkedEvents)")
    }
  }

  static func pieces(_ path: String, chunk: Int) -> Outcome {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    var events: [Event] = []
    do throws(JournalParser.Failure) {
      let parsed = try JournalParser(path: path).fold(fd, chunk: chunk) { events.append($0) }
      return Outcome(
        header: parsed.header, events: events, chainHead: parsed.chainHead, goodLength: parsed.goodLength,
        tail: parsed.tail.map { "\($0.line) \($0.torn) \(Array($0.bytes))" })
    } catch {
      return Outcome(
        events: [], error: "\(error.error.description) | \(error.problem ?? "") | \(error.checkedEvents)")
    }
  }

  /// Variants of a good journal's bytes: intact, torn or garbled at the end, damaged inside.
  static func variants(of bytes: [UInt8]) -> [(String, [UInt8])] {
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    func join(_ l: [[UInt8]]) -> [UInt8] { Array(l.joined(separator: [0x0A])) }
    var edited = lines
    edited[3] = Array(
      String(decoding: edited[3], as: UTF8.self).replacingOccurrences(of: "alice", with: "mallory").utf8)
    var swapped = lines
    swapped.swapAt(4, 5)
    return [
      ("intact", bytes),
      ("torn last line", Array(bytes.dropLast(9))),
      ("garbled last line", bytes + Array("{\"not\":\"an event\"}\n".utf8)),
      ("an empty last line", bytes + [0x0A]),
      ("a garbled line inside", join(Array(lines[..<4]) + [Array("garbage".utf8)] + Array(lines[4...]))),
      ("an altered line", join(edited)),
      ("two lines swapped", join(swapped)),
      ("only the header, torn", Array(lines[0].dropLast(3))),
      ("empty", []),
      ("not a state file", Array("hello\nworld\n".utf8)),
    ]
  }

  @Test func readingInPiecesSaysWhatReadingTheWholeFileSays() throws {
    let w = Workspace()
    defer { w.remove() }
    let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.journal(w, events: 60))))
    for (name, bytes) in Self.variants(of: good) {
      let path = w.write("v.state.jsonl", bytes: bytes)
      let expected = Self.whole(path)
      for chunk in [1, 2, 7, 100, 333, 4096, 1 << 22] {
        #expect(Self.pieces(path, chunk: chunk) == expected, "\(name), pieces of \(chunk) bytes")
      }
    }
  }

  /// What `status` and `report` see through the store is what `read` and `verify` say.
  @Test func theStoreReadsEventByEventLikeReadAndVerify() throws {
    let w = Workspace()
    defer { w.remove() }
    let path = try Self.journal(w, events: 40)
    var events: [Event] = []
    let pass = try FileStore().read(RunID(path)) { events.append($0) }
    let contents = try Journal.read(at: path)
    #expect(events == contents.events)
    #expect(pass.header == contents.header)
    #expect(pass.verification == Journal.verify(at: path))
  }
}
